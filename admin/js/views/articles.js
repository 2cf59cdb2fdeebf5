// The article list: one tab per status, search, tag and author filters,
// pages.

import { all, api, query } from '../api.js';
import { go } from '../router.js';
import { h, fill, when, action, announce, labelled, pager } from '../dom.js';
import * as session from '../session.js';
import { STATUS_LABELS } from './labels.js';

const PER_PAGE = 20;
const EMPTY = {
  draft: 'No drafts.',
  in_review: 'Nothing is waiting for review.',
  scheduled: 'Nothing is scheduled.',
  published: 'Nothing is published yet.',
  archived: 'Nothing is archived.',
  trashed: 'The trash is empty.',
};

export async function articlesView(main, { query: params }) {
  const tabs = ['draft', 'in_review', 'scheduled', 'published', 'archived']
    .concat(session.atLeast('editor') ? ['trashed'] : []);
  const status = tabs.includes(params.get('status')) ? params.get('status') : 'draft';
  const q = params.get('q') || '';
  const tag = params.get('tag') || '';
  const author = params.get('author') || '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const link = (changes) => `#/articles${query({ status, q, tag, author, page: 1, ...changes })}`;

  const [tags, authors] = await Promise.all([all('/tags'), all('/authors')]);
  const search = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter articles' },
    labelled('Search', h('input', { type: 'search', name: 'q', value: q })),
    labelled('Tag', h('select', { name: 'tag' }, h('option', { value: '' }, 'Any tag'),
      tags.map((t) => h('option', { value: t.slug, selected: t.slug === tag }, t.name)))),
    labelled('Author', h('select', { name: 'author' }, h('option', { value: '' }, 'Any author'),
      authors.map((a) => h('option', { value: a.slug, selected: a.slug === author }, a.name)))),
    h('button', { type: 'submit' }, 'Filter'));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = new FormData(search);
    location.hash = link({ q: f.get('q').trim(), tag: f.get('tag'), author: f.get('author') });
  });

  const table = h('div', { class: 'list', 'aria-live': 'polite' }, h('p', {}, 'Loading…'));
  fill(main,
    h('div', { class: 'heading' },
      h('h1', {}, 'Articles'),
      h('a', { class: 'button primary', href: '#/articles/new' }, 'New article')),
    h('nav', { class: 'tabs', 'aria-label': 'Status' },
      h('ul', {}, tabs.map((s) => h('li', {}, h('a', { href: link({ status: s, page: 1 }), 'aria-current': s === status ? 'page' : false }, STATUS_LABELS[s]))))),
    search,
    table);

  const { data } = await api('GET', `/articles${query({
    status, q, tag, author, page, per_page: PER_PAGE,
    sort: q ? 'relevance' : '-updated_at', include: 'author',
  })}`);
  const articles = data.data;
  const total = data.meta.total;
  if (!articles.length) {
    fill(table, h('p', { class: 'empty' }, q || tag || author ? 'No article matches these filters.' : EMPTY[status]));
    return;
  }
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  fill(table,
    h('table', {},
      h('caption', {}, `${STATUS_LABELS[status]}: ${total} article${total === 1 ? '' : 's'}`),
      h('thead', {}, h('tr', {}, ['Title', 'Author', 'Updated', status === 'scheduled' ? 'Goes live' : 'Published'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, articles.map((a) => h('tr', {},
        // A trashed article cannot be opened, only restored.
        h('td', { 'data-label': 'Title' }, status === 'trashed'
          ? [a.title, ' ', action('Restore', () => restore(a), { 'aria-label': `Restore “${a.title}”` })]
          : h('a', { href: `#/articles/${a.id}` }, a.title)),
        h('td', { 'data-label': 'Author' }, a.author?.name || '—'),
        h('td', { 'data-label': 'Updated' }, when(a.updated_at)),
        h('td', { 'data-label': status === 'scheduled' ? 'Goes live' : 'Published' }, when(a.publish_at || a.published_at)))))),
    pager(page, pages, (n) => link({ page: n })));
}


/** Out of the trash, back to the status it had; then opened in the editor. */
async function restore(article) {
  try {
    await api('POST', `/articles/${article.id}/restore`);
    announce(`Restored “${article.title}”.`);
    go(`/articles/${article.id}`);
  } catch (problem) {
    announce(`Not restored: ${problem.message}`, 'error');
  }
}
