// What a 412 shows: someone saved the article since it was opened. The
// editor sees who changed which field and chooses knowingly.

import { h, fill, when } from '../dom.js';
import { FIELDS, LABELS, changed } from './article_form.js';

export function showConflict(box, { mine, theirs, oldBase, article, reload, overwrite }) {
  const yours = new Set(changed(mine, oldBase));
  const others = new Set(changed(theirs, oldBase));
  const fields = FIELDS.filter((name) => yours.has(name) || others.has(name));
  const by = (name) => (yours.has(name) && others.has(name) ? 'both of you' : yours.has(name) ? 'you' : 'them');
  const heading = h('h2', { id: 'conflict-heading', tabindex: '-1' }, 'Someone else saved this article');
  const panel = h('section', { class: 'conflict', role: 'alert', 'aria-labelledby': 'conflict-heading' },
    heading,
    h('p', {}, `Version ${article.version} was saved at ${when(article.updated_at)}, after you opened the article. `,
      'These fields were changed:'),
    h('table', { class: 'diff' },
      h('thead', {}, h('tr', {}, ['Field', 'Changed by', 'Their version', 'Your version'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, fields.map((name) => h('tr', {},
        h('th', { scope: 'row' }, LABELS[name]),
        h('td', { 'data-label': 'Changed by' }, by(name)),
        h('td', { 'data-label': 'Their version' }, shown(theirs[name])),
        h('td', { 'data-label': 'Your version' }, shown(mine[name])))))),
    h('p', {}, '“Overwrite with mine” saves the fields you changed over theirs and keeps their other changes.'),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'danger', onclick: overwrite }, 'Overwrite with mine'),
      h('button', { type: 'button', onclick: reload }, 'Load their version')),
    h('p', { class: 'hint' }, 'Your text stays in this browser until you choose.'));
  fill(box, panel);
  heading.focus();
}

function shown(value) {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = String(value ?? '');
  if (!text) return h('em', {}, 'empty');
  return h('div', { class: 'diff-text' }, text.length > 600 ? `${text.slice(0, 600)}…` : text);
}
