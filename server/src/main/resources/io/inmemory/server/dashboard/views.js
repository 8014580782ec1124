// The views, one per hash route. Each returns the nodes of the main area; an ApiError thrown by a
// view is shown by the router (the problem's detail and the request id).
import {call} from './api.js';
import {bars} from './chart.js';
import {append, details, h, status, table, time, timeZone} from './dom.js';

const PAGE = 20;

function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function heading(text) {
  return h('h2', {tabindex: '-1'}, text);
}

function link(href, text, attrs = {}) {
  return h('a', {href, ...attrs}, text);
}

/** A hash route with query parameters (empty ones left out). */
function route(path, query = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '' && value !== false) {
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return `#${path}${text ? `?${text}` : ''}`;
}

/** The scope of an owner: a user's memories or an agent's own. */
function scope(kind, id) {
  return kind === 'agents' ? {agent_id: id} : {user_id: id};
}

function memoryLink(memory, kind, owner) {
  const query = kind === 'agents' ? {agent: owner} : {user: owner};
  return link(route(`/memory/${encodeURIComponent(memory.id)}`, query), memory.memory_content);
}

function labels(memory) {
  return (memory.tags || []).join(', ');
}

function validity(memory) {
  if (memory.invalid_at) {
    return `superseded ${time(memory.invalid_at)}`;
  }
  return 'current';
}

// ------------------------------------------------------------------ users and agents

function ownerTable(kind, page) {
  const items = kind === 'agents' ? page.agents : page.users;
  const idName = kind === 'agents' ? 'agent_id' : 'user_id';
  const title = kind === 'agents' ? 'Agents' : 'Users';
  if (items.length === 0) {
    return h('p', {}, kind === 'agents' ? 'No agent holds memories of its own.'
      : 'No user holds memories yet.');
  }
  return table(title, [kind === 'agents' ? 'Agent' : 'User', 'Memories', 'Newest memory', 'Stats'],
    items.map((owner) => [
      link(route(`/${kind}/${encodeURIComponent(owner[idName])}`), owner[idName]),
      String(owner.memory_count), time(owner.last_created_at),
      link(route(`/stats/${kind}/${encodeURIComponent(owner[idName])}`),
        `Stats of ${owner[idName]}`)]),
    {id: `${kind}-table`});
}

export async function users(params) {
  const [people, agents] = await Promise.all([
    call('GET', '/v1/users', {query: {limit: PAGE, after: params.get('after')}}),
    call('GET', '/v1/agents', {query: {limit: PAGE, after: params.get('agents_after')}})]);
  status(`${count(people.users.length, 'user')}, ${count(agents.agents.length, 'agent')}`);
  return [heading('Users'), ownerTable('users', people),
    people.next_after ? h('p', {}, link(route('/users', {after: people.next_after}),
      'Next users')) : null,
    h('h2', {}, 'Agents'), ownerTable('agents', agents),
    agents.next_after ? h('p', {}, link(route('/users', {agents_after: agents.next_after}),
      'Next agents')) : null];
}

// ------------------------------------------------------------------ one owner's memories

export async function memories(kind, owner, params) {
  const offset = Math.max(0, Number(params.get('offset')) || 0);
  const superseded = params.get('superseded') === '1';
  const page = await call('GET', '/v1/memories', {query: {...scope(kind, owner), limit: PAGE, offset,
    include_superseded: superseded || null}});
  const first = page.items.length === 0 ? 0 : offset + 1;
  const range = `${first}–${offset + page.items.length} of ${page.total}`;
  status(range);
  const here = (query) => route(`/${kind}/${encodeURIComponent(owner)}`, query);
  const toggle = h('input', {type: 'checkbox', id: 'superseded', checked: superseded,
    onchange: (event) => {
      location.hash = here({superseded: event.target.checked ? '1' : null});
    }});
  return [heading(`Memories of ${owner}`),
    h('p', {}, link(route(`/stats/${kind}/${encodeURIComponent(owner)}`), 'Stats and chart')),
    h('p', {}, toggle, ' ', h('label', {for: 'superseded'}, 'Include superseded memories')),
    table(`Memories of ${owner}, newest first: ${range}`,
      ['Created', 'Memory', 'Tags', 'State'],
      page.items.map((memory) => [time(memory.created_at), memoryLink(memory, kind, owner),
        labels(memory), validity(memory)]),
      {id: 'memories-table'}),
    h('nav', {'aria-label': 'Pages', class: 'pager'},
      offset > 0 ? link(here({offset: Math.max(0, offset - PAGE) || null,
        superseded: superseded ? '1' : null}), 'Previous') : null,
      page.has_more ? link(here({offset: offset + PAGE, superseded: superseded ? '1' : null}),
        'Next') : null)];
}

// ------------------------------------------------------------------ one memory

export async function memory(id, params) {
  const owner = params.get('agent') ? {agent_id: params.get('agent')} : {user_id: params.get('user')};
  const [found, history] = await Promise.all([
    call('GET', `/v1/memories/${encodeURIComponent(id)}`, {query: owner}),
    call('GET', `/v1/memories/${encodeURIComponent(id)}/history`, {query: owner})]);
  const back = params.get('agent') ? {agent: params.get('agent')} : {user: params.get('user')};
  status(count(history.entries.length, 'change'));
  const validityText = [`valid from ${time(found.valid_from)}`,
    found.invalid_at ? `superseded at ${time(found.invalid_at)}` : 'current'].join(' · ');
  return [heading('Memory'),
    h('blockquote', {id: 'memory-content'}, found.memory_content),
    h('p', {id: 'validity'}, validityText,
      found.superseded_by ? [' by ', link(route(`/memory/${encodeURIComponent(found.superseded_by)}`,
        back), found.superseded_by)] : null),
    details([['Id', found.id], ['User', found.user_id], ['Agent', found.agent_id],
      ['Session', found.session_id], ['Role', found.role], ['Tags', labels(found)],
      ['People', (found.people || []).join(', ')], ['Topic', found.topic],
      ['Created', time(found.created_at)], ['Updated', time(found.updated_at)],
      ['Metadata', found.metadata && Object.keys(found.metadata).length
        ? h('pre', {}, JSON.stringify(found.metadata, null, 2)) : null]]),
    h('h3', {}, 'History'),
    table('Changes, oldest first', ['At', 'Event', 'Previous content', 'New content'],
      history.entries.map((entry) => [time(entry.at), entry.event, entry.previous_content || '',
        entry.new_content || '']),
      {id: 'history-table'})];
}

// ------------------------------------------------------------------ search

function field(id, labelText, input, hint, wide = false) {
  return h('div', {class: wide ? 'field wide' : 'field'}, h('label', {for: id}, labelText), input,
    hint ? h('p', {id: `${id}-hint`, class: 'hint'}, hint) : null,
    h('p', {id: `${id}-error`, class: 'error', hidden: true}));
}

function input(id, attrs = {}) {
  return h('input', {id, name: id, type: 'text', 'aria-describedby': `${id}-hint ${id}-error`,
    ...attrs});
}

function invalid(form, id, message) {
  const element = form.querySelector(`#${id}`);
  const error = form.querySelector(`#${id}-error`);
  element.setAttribute('aria-invalid', 'true');
  error.textContent = message;
  error.hidden = false;
}

function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach((element) => element.removeAttribute('aria-invalid'));
  form.querySelectorAll('.error').forEach((error) => {
    error.textContent = '';
    error.hidden = true;
  });
}

/** Which form field a problem's violation names. */
const FIELDS = {userId: 'user', agentId: 'agent', query: 'query', temporal: 'time',
  zone: 'zone', tags: 'tags', filters: 'filters', filter: 'filters', limit: 'query'};

export async function search() {
  const results = h('div', {id: 'results'});
  const form = h('form', {id: 'search-form', novalidate: true},
    field('user', 'User id', input('user', {autocomplete: 'off'}), 'Whose memories; or an agent id.'),
    field('agent', 'Agent id', input('agent', {autocomplete: 'off'})),
    field('query', 'Query', input('query', {type: 'search'}), 'What to look for, by meaning.', true),
    field('time', 'Time phrase', input('time'),
      'Optional: "last week", "yesterday evening", "past 3 days", "march".'),
    field('zone', 'Time zone', input('zone', {value: timeZone()})),
    field('tags', 'Tags', input('tags'), 'Comma-separated.'),
    h('fieldset', {}, h('legend', {}, 'Tags must match'),
      h('label', {}, h('input', {type: 'radio', name: 'match', value: 'any', checked: true}), ' any'),
      h('label', {}, h('input', {type: 'radio', name: 'match', value: 'all'}), ' all')),
    field('filters', 'Filter (JSON)', h('textarea', {id: 'filters', name: 'filters', rows: 3,
      'aria-describedby': 'filters-hint filters-error'}),
    'mem0 v2 filters, e.g. {"tags": {"contains": "food"}}.', true),
    h('p', {class: 'wide'}, h('input', {type: 'checkbox', id: 'include'}), ' ',
      h('label', {for: 'include'}, 'Include superseded memories')),
    h('p', {class: 'wide'}, h('button', {type: 'submit'}, 'Search')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runSearch(form, results);
  });
  return [heading('Search'), form, results];
}

async function runSearch(form, results) {
  clearErrors(form);
  results.replaceChildren();
  const value = (id) => form.querySelector(`#${id}`).value.trim();
  const body = {query: value('query') || '*', limit: 20};
  if (value('user')) body.user_id = value('user');
  if (value('agent')) body.agent_id = value('agent');
  if (value('time')) {
    body.temporal_query = value('time');
    body.time_zone = value('zone') || undefined;
  }
  if (value('tags')) {
    body.tags = value('tags').split(',').map((tag) => tag.trim()).filter(Boolean);
    body.tag_match = form.querySelector('input[name=match]:checked').value;
  }
  if (value('filters')) {
    try {
      body.filters = JSON.parse(value('filters'));
    } catch (e) {
      invalid(form, 'filters', `Not JSON: ${e.message}`);
      form.querySelector('#filters').focus();
      return;
    }
  }
  if (form.querySelector('#include').checked) body.include_superseded = true;
  status('Searching…');
  let answer;
  try {
    answer = await call('POST', '/v1/memories/search', {body});
  } catch (error) {
    const named = ((error.problem && error.problem.violations) || [])
      .map((violation) => [FIELDS[violation.field], violation.problem]).filter(([id]) => id);
    if (named.length === 0) {
      throw error;
    }
    named.forEach(([id, message]) => invalid(form, id, message));
    form.querySelector(`#${named[0][0]}`).focus();
    status('The search was refused: see the fields marked.');
    return;
  }
  const owner = body.user_id ? {user: body.user_id} : {agent: body.agent_id};
  const range = answer.time_range;
  status(count(answer.hits.length, 'result'));
  const found = h('h3', {tabindex: '-1'}, count(answer.hits.length, 'result'));
  append(results, found,
    range ? h('p', {id: 'time-range'}, `Created between ${time(range.start) || 'the beginning'}`
      + ` and ${time(range.end) || 'now'}`) : null,
    table(`Results for "${body.query}"`, ['Score', 'Memory', 'Created', 'Tags'],
      answer.hits.map((hit) => [hit.score.toFixed(3),
        link(route(`/memory/${encodeURIComponent(hit.memory.id)}`, owner), hit.memory.memory_content),
        time(hit.memory.created_at), labels(hit.memory)]),
      {id: 'results-table'}));
  // keyboard and screen reader users land on the results, which also scrolls them into view
  found.focus();
}

// ------------------------------------------------------------------ stats

export async function stats(kind, owner) {
  const path = kind === 'agents' ? `/v1/agents/${encodeURIComponent(owner)}/stats`
    : `/v1/users/${encodeURIComponent(owner)}/stats`;
  const numbers = await call('GET', path);
  status(numbers.memory_count === 1 ? '1 memory' : `${numbers.memory_count} memories`);
  return [heading(`Stats of ${owner}`),
    details([['Memories', String(numbers.memory_count)],
      ['Superseded', String(numbers.superseded_count)],
      ['First created', time(numbers.first_created_at)],
      ['Last created', time(numbers.last_created_at)]]),
    h('div', {class: 'charts'},
      bars('tags', 'Top tags', numbers.tag_counts),
      bars('topics', 'Top topics', numbers.topic_counts),
      bars('people', 'People mentioned', numbers.people_counts))];
}

// ------------------------------------------------------------------ keys

export async function keys(current, signOut) {
  const list = await call('GET', '/v1/auth/keys');
  const dialog = h('dialog', {id: 'revoke-dialog', 'aria-labelledby': 'revoke-title'});
  status(count(list.keys.length, 'key'));
  const row = (key) => [key.name || '', key.hint || '', key.scopes.join(', '), time(key.created_at),
    time(key.last_used_at), String(key.usage_count), time(key.expires_at),
    key.revoked_at ? `revoked ${time(key.revoked_at)}`
      : h('button', {type: 'button', 'data-key': key.key_id,
        onclick: () => confirmRevoke(dialog, key, current, signOut)},
      `Revoke ${key.name || key.hint}`)];
  return [heading('API keys'),
    table('Keys of this project', ['Name', 'Hint', 'Scopes', 'Created', 'Last used', 'Uses',
      'Expires', 'Status'], list.keys.map(row), {id: 'keys-table'}),
    dialog];
}

function confirmRevoke(dialog, key, current, signOut) {
  const own = key.key_id === current.key_id;
  const confirm = h('button', {type: 'button', id: 'revoke-confirm', class: 'danger'}, 'Revoke');
  const cancel = h('button', {type: 'button', id: 'revoke-cancel'}, 'Cancel');
  dialog.replaceChildren(h('h3', {id: 'revoke-title'}, `Revoke ${key.name || key.hint}?`),
    h('p', {}, own ? 'This is the key you signed in with: you will be signed out.'
      : 'Every client using it is refused from its next request. This cannot be undone.'),
    h('p', {class: 'error', role: 'alert'}),
    h('div', {class: 'actions'}, cancel, confirm));
  cancel.addEventListener('click', () => dialog.close());
  confirm.addEventListener('click', async () => {
    try {
      await call('DELETE', '/v1/auth/revoke-key', {query: {key_id: key.key_id}});
    } catch (error) {
      dialog.querySelector('[role=alert]').textContent = error.message;
      return;
    }
    dialog.close();
    if (own) {
      signOut();
    } else {
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    }
  });
  dialog.showModal();
  cancel.focus();
}

// ------------------------------------------------------------------ webhooks

/** Enabled, or since when and why not (no reason: disabled by hand). */
function hookState(hook) {
  if (hook.enabled) {
    return 'enabled';
  }
  return `disabled ${time(hook.disabled_at)}: ${hook.disabled_reason || 'by hand'}`;
}

export async function webhooks() {
  const list = await call('GET', '/v1/webhooks');
  status(count(list.items.length, 'webhook'));
  return [heading('Webhooks'),
    table('Webhooks of this project, oldest first', ['URL', 'Events', 'State', 'Failures in a row',
      'Secret', 'Created'],
    list.items.map((hook) => [link(route(`/webhooks/${encodeURIComponent(hook.id)}`), hook.url),
      hook.events.join(', '), hookState(hook), String(hook.consecutive_failures),
      hook.secret_hint, time(hook.created_at)]),
    {id: 'webhooks-table'})];
}

/** When a delivery is tried next: only a pending one is, and only once its hook is enabled. */
function nextAttempt(delivery, hook) {
  if (delivery.state !== 'pending') {
    return '';
  }
  return hook.enabled ? time(delivery.next_attempt_at) : 'when enabled';
}

/** One hook and its delivery log, newest first, PAGE a page (keyset: before a sequence). */
export async function webhook(id, params) {
  const path = `/v1/webhooks/${encodeURIComponent(id)}`;
  const before = params.get('before');
  const [hook, log] = await Promise.all([call('GET', path),
    call('GET', `${path}/deliveries`, {query: {limit: PAGE, before}})]);
  status(log.items.length === 1 ? '1 delivery' : `${log.items.length} deliveries`);
  const here = (query) => route(`/webhooks/${encodeURIComponent(id)}`, query);
  const last = log.items[log.items.length - 1];
  return [heading(`Webhook to ${hook.url}`),
    details([['Id', hook.id], ['URL', hook.url], ['Description', hook.description],
      ['Events', hook.events.join(', ')], ['Content sent', hook.include_content ? 'yes' : 'no'],
      ['State', hookState(hook)], ['Failures in a row', String(hook.consecutive_failures)],
      ['Secret', hook.secret_hint],
      ['Previous secret signs until', time(hook.previous_secret_until)],
      ['Created', time(hook.created_at)], ['Updated', time(hook.updated_at)]]),
    table(`Deliveries, newest first${before ? `, before sequence ${before}` : ''}`,
      ['Created', 'Event', 'State', 'Attempts', 'Last attempt', 'Last status', 'Last error',
        'Next attempt'],
      log.items.map((delivery) => [time(delivery.created_at), delivery.type, delivery.state,
        String(delivery.attempts), time(delivery.last_attempt_at),
        delivery.last_status === null ? '' : String(delivery.last_status),
        delivery.last_error || '', nextAttempt(delivery, hook)]),
      {id: 'deliveries-table'}),
    h('nav', {'aria-label': 'Pages', class: 'pager'},
      before ? link(here(), 'Newest deliveries') : null,
      log.has_more ? link(here({before: last.sequence}), 'Older deliveries') : null)];
}
