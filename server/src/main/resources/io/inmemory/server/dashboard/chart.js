// Horizontal SVG bars, with the same numbers in a table beside them (the table is what screen
// readers and tests read; the chart is its picture).
import {h, table} from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) {
    element.setAttribute(name, String(value));
  }
  if (text !== undefined) {
    element.textContent = text;
  }
  return element;
}

/** A figure: the top entries of counts ({name: count}) as bars and as a table. */
export function bars(id, title, counts, top = 10) {
  const entries = Object.entries(counts || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top);
  const heading = h('h3', {id: `${id}-title`}, title);
  if (entries.length === 0) {
    return h('section', {class: 'chart'}, heading, h('p', {}, 'None.'));
  }
  const row = 26;
  const label = 140;
  const width = 460;
  const most = Math.max(...entries.map(([, count]) => count));
  const picture = svg('svg', {
    role: 'img', 'aria-labelledby': `${id}-title`, viewBox: `0 0 ${width} ${entries.length * row}`,
    width, height: entries.length * row, class: 'bars', 'data-chart': id,
  });
  entries.forEach(([name, count], i) => {
    const y = i * row;
    const length = Math.max(2, Math.round((width - label - 50) * count / most));
    picture.append(
      svg('text', {x: label - 8, y: y + 17, 'text-anchor': 'end', class: 'bar-label'}, name),
      svg('rect', {x: label, y: y + 4, width: length, height: row - 8, class: 'bar',
        'data-name': name, 'data-count': count}),
      svg('text', {x: label + length + 6, y: y + 17, class: 'bar-value'}, String(count)));
  });
  return h('section', {class: 'chart'}, heading, picture,
    table(title, ['Name', 'Memories'], entries, {class: 'chart-table'}));
}
