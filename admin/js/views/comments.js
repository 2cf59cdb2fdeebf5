// The moderation queue: comments by status, chosen with checkboxes, then
// approved, marked as spam or trashed together.

import { api, query } from '../api.js';
import { h, fill, when, announce, focusHeading, pager } from '../dom.js';

const STATUSES = [['pending', 'Pending'], ['approved', 'Approved'], ['spam', 'Spam'], ['trash', 'Trash']];
const ACTIONS = [['approved', 'Approve'], ['spam', 'Mark as spam'], ['trash', 'Move to trash']];
const PER_PAGE = 50;

export async function commentsView(main, { query: params, failed = [] }) {
  const status = STATUSES.some(([s]) => s === params.get('status')) ? params.get('status') : 'pending';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const link = (changes) => `#/comments${query({ status, page, ...changes })}`;
  const { data } = await api('GET', `/comments${query({ status, page, per_page: PER_PAGE })}`);
  const comments = data.data;
  const titles = await articleTitles(comments);
  const boxes = new Map();
  const selectAll = h('input', { type: 'checkbox', id: 'select-all' });
  const result = h('div', { class: 'form-alert-slot' });
  selectAll.addEventListener('change', () => { for (const box of boxes.values()) box.checked = selectAll.checked; });
  // What the last bulk action could not do stays on screen, still chosen.
  if (failed.length) {
    const byId = new Map(comments.map((c) => [c.id, c]));
    fill(result, h('div', { class: 'form-alert', role: 'alert' },
      `${failed.length} comment${failed.length === 1 ? '' : 's'} could not be changed:`,
      h('ul', {}, failed.map(({ id, reason }) => h('li', {}, `${byId.get(id)?.author_name ?? `Comment ${id}`}: ${reason}`)))));
  }

  async function moderate(newStatus, label) {
    const chosen = [...boxes].filter(([, box]) => box.checked).map(([id]) => id);
    if (!chosen.length) {
      fill(result, h('p', { class: 'form-alert', role: 'alert' }, 'Choose at least one comment first.'));
      return;
    }
    const outcomes = await Promise.allSettled(chosen.map((id) => api('PATCH', `/comments/${id}`, { body: { status: newStatus } })));
    const failed = chosen
      .map((id, i) => [id, outcomes[i]])
      .filter(([, outcome]) => outcome.status === 'rejected')
      .map(([id, outcome]) => ({ id, reason: outcome.reason.message }));
    const done = chosen.length - failed.length;
    announce(`${label}: ${done} comment${done === 1 ? '' : 's'}${failed.length ? `, ${failed.length} failed` : ''}.`, failed.length ? 'error' : 'ok');
    await commentsView(main, { query: params, failed });
    focusHeading(main);
  }

  const pages = Math.max(1, Math.ceil(data.meta.total / PER_PAGE));
  fill(main,
    h('h1', {}, 'Comments'),
    h('nav', { class: 'tabs', 'aria-label': 'Moderation status' },
      h('ul', {}, STATUSES.map(([s, label]) => h('li', {}, h('a', { href: link({ status: s, page: 1 }), 'aria-current': s === status ? 'page' : false }, label))))),
    result,
    comments.length
      ? h('form', { class: 'bulk', 'aria-label': 'Moderate comments', onsubmit: (e) => e.preventDefault() },
        h('div', { class: 'buttons', role: 'group', 'aria-label': 'With the chosen comments' },
          ACTIONS.filter(([s]) => s !== status).map(([s, label]) => h('button', {
            type: 'button', class: s === 'approved' ? 'primary' : s === 'trash' ? 'danger' : '',
            onclick: () => moderate(s, label),
          }, label))),
        h('table', { class: 'comments' },
          h('caption', {}, `${STATUSES.find(([s]) => s === status)[1]}: ${data.meta.total} comment${data.meta.total === 1 ? '' : 's'}`),
          h('thead', {}, h('tr', {},
            h('th', { scope: 'col' }, selectAll, h('label', { for: 'select-all', class: 'visually-hidden' }, 'Choose all comments on this page')),
            ['Comment', 'By', 'Article', 'Posted'].map((c) => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, comments.map((c) => {
            const id = `comment-${c.id}`;
            const box = h('input', { type: 'checkbox', id, value: String(c.id), checked: failed.some((f) => f.id === c.id) });
            boxes.set(c.id, box);
            return h('tr', {},
              h('td', {}, box, h('label', { for: id, class: 'visually-hidden' }, `Choose the comment by ${c.author_name}`)),
              h('td', { 'data-label': 'Comment', class: 'comment-body' }, c.body),
              h('td', { 'data-label': 'By' }, c.author_name),
              h('td', { 'data-label': 'Article' }, h('a', { href: `#/articles/${c.article_id}` }, titles.get(c.article_id) || `Article ${c.article_id}`)),
              h('td', { 'data-label': 'Posted' }, when(c.created_at)));
          }))))
      : h('p', { class: 'empty' }, `No ${status} comments.`),
    pager(page, pages, (n) => link({ page: n })));
}

/** The titles of the articles the comments are on (one small read each). */
async function articleTitles(comments) {
  const ids = [...new Set(comments.map((c) => c.article_id))];
  const found = await Promise.all(ids.map((id) => api('GET', `/articles/${id}?fields=id,title`)
    .then(({ data }) => [id, data.title]).catch(() => [id, null])));
  return new Map(found);
}
