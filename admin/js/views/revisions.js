// An article's saved versions, newest first, each restorable.

import { api } from '../api.js';
import { h, fill, when } from '../dom.js';
import { mayLeave } from '../router.js';

export function revisionsPanel(box, { article, etag, after }) {
  const list = h('div', {}, h('p', {}, 'Loading…'));
  const details = h('details', { class: 'revisions' },
    h('summary', {}, 'Revisions'), list);
  details.addEventListener('toggle', () => { if (details.open) load(); });
  fill(box, details);

  async function load() {
    try {
      const { data } = await api('GET', `/articles/${article.id}/revisions?per_page=50`);
      if (!data.data.length) { fill(list, h('p', { class: 'empty' }, 'No earlier versions.')); return; }
      fill(list, h('table', {},
        h('caption', { class: 'visually-hidden' }, 'Revisions of this article'),
        h('thead', {}, h('tr', {}, ['Version', 'Saved', 'Step', 'Title'].map((c) => h('th', { scope: 'col' }, c)),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
        h('tbody', {}, data.data.map((r) => h('tr', {},
          h('td', { 'data-label': 'Version' }, String(r.version)),
          h('td', { 'data-label': 'Saved' }, when(r.created_at)),
          h('td', { 'data-label': 'Step' }, r.action),
          h('td', { 'data-label': 'Title' }, r.title),
          h('td', {}, r.version === article.version ? h('span', { class: 'hint' }, 'current')
            : h('button', { type: 'button', onclick: () => restore(r.version) }, `Restore version ${r.version}`)))))));
    } catch (problem) {
      fill(list, h('p', { role: 'alert' }, problem.message));
    }
  }

  async function restore(version) {
    if (!mayLeave()) return;
    try {
      const result = await api('POST', `/articles/${article.id}/revisions/${version}/restore`, { ifMatch: etag() });
      after(result, `Restored version ${version} as a new version.`);
    } catch (problem) {
      fill(list, h('p', { role: 'alert' }, problem.message));
    }
  }
}
