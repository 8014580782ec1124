// Building the page from values: every value becomes a text node or an attribute, never markup
// (the page's Trusted Types policy makes any HTML string assignment throw).

/** An element: h('a', {href: '#/x'}, 'text', child, [more]); null, undefined and false skipped. */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return append(element, ...children);
}

/**
 * Appends to {@code parent}: nodes as they are, values as text, arrays flattened; null,
 * undefined and false skipped (a view's optional parts). Returns {@code parent}.
 */
export function append(parent, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined && child !== false) {
      parent.append(child instanceof Node ? child : String(child));
    }
  }
  return parent;
}

/** A table with a caption, column headers and rows of cells (values or nodes). */
export function table(caption, headers, rows, attrs = {}) {
  return h('table', attrs,
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((name) => h('th', {scope: 'col'}, name)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))));
}

/** A description list of [term, value] pairs; pairs whose value is null or '' are left out. */
export function details(pairs) {
  return h('dl', {}, pairs.filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** The browser's time zone. */
export function timeZone() {
  return zone;
}

const format = new Intl.DateTimeFormat('en-CA', {
  timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
  minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
});

/** An instant as an absolute time in the browser's zone ("2026-12-07 09:00 UTC"); '' for none. */
export function time(iso) {
  if (!iso) {
    return '';
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso))
    .map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** Says something in the live status line. */
export function status(text) {
  document.getElementById('status').textContent = text;
}
