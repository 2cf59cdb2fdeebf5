// What a 412 shows: someone saved the article since it was opened. The
// editor sees each field that differs and chooses knowingly.

import { h, fill, when } from '../dom.js';
import { LABELS, changed } from './article_form.js';

export function showConflict(box, { mine, theirs, article, reload, overwrite }) {
  const fields = changed(mine, theirs);
  const panel = h('section', { class: 'conflict', role: 'alert', 'aria-labelledby': 'conflict-heading' },
    h('h2', { id: 'conflict-heading' }, 'Someone else saved this article'),
    h('p', {}, `Version ${article.version} was saved at ${when(article.updated_at)} after you opened it. `,
      fields.length ? 'These fields differ between their version and yours:' : 'Your text equals theirs.'),
    fields.length ? h('table', { class: 'diff' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Their version'), h('th', { scope: 'col' }, 'Your version'))),
      h('tbody', {}, fields.map((name) => h('tr', {},
        h('th', { scope: 'row' }, LABELS[name]),
        h('td', {}, shown(theirs[name])),
        h('td', {}, shown(mine[name])))))) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', onclick: reload }, 'Load their version'),
      h('button', { type: 'button', class: 'danger', onclick: overwrite }, 'Overwrite with mine')),
    h('p', { class: 'hint' }, 'Your text stays in this browser until you choose.'));
  fill(box, panel);
  panel.querySelector('button').focus();
}

function shown(value) {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = String(value ?? '');
  if (!text) return h('em', {}, 'empty');
  return h('div', { class: 'diff-text' }, text.length > 600 ? `${text.slice(0, 600)}…` : text);
}
