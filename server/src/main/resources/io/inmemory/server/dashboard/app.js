// The dashboard's entry: sign-in, the hash router and the navigation. Hash routes keep Back
// working and never reach the server's router.
import {ApiError, call, session, whenUnauthorized} from './api.js';
import {append, h, status} from './dom.js';
import * as views from './views.js';

const main = document.getElementById('main');
let current = null;

function signOut() {
  session.clear();
  location.hash = '';
  location.reload();
}

whenUnauthorized(signOut);

function problemText(error) {
  if (!(error instanceof ApiError)) {
    return `Something failed: ${error.message}`;
  }
  return `${error.message} (HTTP ${error.status}${error.requestId ? `, request ${error.requestId}` : ''})`;
}

function signInForm(message) {
  const key = h('input', {id: 'key', name: 'key', type: 'password', autocomplete: 'off',
    required: true, 'aria-describedby': 'key-error', 'aria-invalid': message ? 'true' : null});
  const error = h('p', {id: 'key-error', class: 'error', role: 'alert', tabindex: '-1'},
    message || '');
  const form = h('form', {id: 'sign-in'},
    h('div', {class: 'field'}, h('label', {for: 'key'}, 'API key'), key), error,
    h('button', {type: 'submit'}, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await start(key.value.trim());
    } catch (failure) {
      key.setAttribute('aria-invalid', 'true');
      error.textContent = failure.message;
      error.focus();
    }
  });
  main.replaceChildren(h('h2', {tabindex: '-1'}, 'Sign in'),
    h('p', {}, 'Sign in with an API key of a project (read scope; keys scope for the keys tab,'
      + ' webhooks scope for the webhooks tab).'),
    form);
  (message ? error : key).focus();
}

/** Signs in with {@code key}: checks it, keeps it for this tab, shows the tabs its scopes allow. */
async function start(key) {
  const me = await call('GET', '/v1/users/current', {key});
  if (!me.project_id) {
    throw new Error('This key has no project: create a project key (POST /v1/auth/generate-key)'
      + ' and sign in with it.');
  }
  session.keep(key);
  current = me;
  document.getElementById('project').textContent = `Project ${me.project_name || me.project_id}`;
  const scopes = new Set(me.scopes);
  const tab = (name) => document.querySelector(`[data-tab=${name}]`);
  tab('keys').hidden = !(scopes.has('keys') || scopes.has('admin'));
  tab('webhooks').hidden = !((scopes.has('webhooks') || scopes.has('admin'))
    && await webhooksServed());
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  if (!location.hash.startsWith('#/')) {
    location.hash = '#/users';
  }
  await render();
}

/** Whether the server has webhook routes: it has none when webhooks are off (404). */
async function webhooksServed() {
  try {
    await call('GET', '/v1/webhooks');
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return false;
    }
    throw error;
  }
}

const ROUTES = [
  [/^\/users$/, 'users', (m, params) => views.users(params)],
  [/^\/(users|agents)\/([^/]+)$/, 'users', (m, params) => views.memories(m[1], m[2], params)],
  [/^\/memory\/([^/]+)$/, 'users', (m, params) => views.memory(m[1], params)],
  [/^\/stats\/(users|agents)\/([^/]+)$/, 'users', (m) => views.stats(m[1], m[2])],
  [/^\/search$/, 'search', () => views.search()],
  [/^\/keys$/, 'keys', () => views.keys(current, signOut)],
  [/^\/webhooks$/, 'webhooks', () => views.webhooks()],
  [/^\/webhooks\/([^/]+)$/, 'webhooks', (m, params) => views.webhook(m[1], params)],
];

async function render() {
  if (!current || !location.hash.startsWith('#/')) {
    return;
  }
  const [path, query = ''] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query);
  const found = ROUTES.map(([pattern, tab, view]) => [pattern.exec(path), tab, view])
    .find(([match]) => match);
  document.querySelectorAll('#nav a').forEach((a) => a.removeAttribute('aria-current'));
  if (!found) {
    main.replaceChildren(h('h2', {tabindex: '-1'}, 'Not found'),
      h('p', {}, h('a', {href: '#/users'}, 'Back to the users')));
    main.querySelector('h2').focus();
    return;
  }
  const [match, tab, view] = found;
  document.querySelector(`[data-tab=${tab}]`).setAttribute('aria-current', 'page');
  status('Loading…');
  main.setAttribute('aria-busy', 'true');
  try {
    const args = match.slice(1).map((part) => decodeURIComponent(part));
    const nodes = await view([match[0], ...args], params);
    main.replaceChildren();
    append(main, nodes);
  } catch (error) {
    main.replaceChildren(h('h2', {tabindex: '-1'}, 'Something went wrong'),
      h('p', {role: 'alert', class: 'error'}, problemText(error)));
    status('');
  } finally {
    main.removeAttribute('aria-busy');
  }
  const title = main.querySelector('h2');
  if (title) {
    title.focus();
  }
}

window.addEventListener('hashchange', render);
document.getElementById('sign-out').addEventListener('click', signOut);

const kept = session.key();
if (kept) {
  start(kept).catch((error) => signInForm(problemText(error)));
} else {
  signInForm();
}
