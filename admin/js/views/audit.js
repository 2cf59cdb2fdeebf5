// The audit log (admins): who did what, to what, when; filters and older
// pages by cursor.

import { all, api, query } from '../api.js';
import { h, fill, when, labelled } from '../dom.js';

const TARGETS = ['article', 'author', 'tag', 'comment', 'user', 'api_key', 'media', 'webhook'];

export async function auditView(main, { query: params }) {
  const filters = { actor: params.get('actor') || '', target: params.get('target') || '', action: params.get('action') || '' };
  const cursor = params.get('cursor') || '';
  const link = (changes) => `#/audit${query({ ...filters, ...changes })}`;
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter events' },
    labelled('Actor', h('input', { name: 'actor', value: filters.actor, placeholder: 'user:3, system…' })),
    labelled('Target', h('input', { name: 'target', value: filters.target, placeholder: 'article:12, tag…', list: 'audit-targets' })),
    h('datalist', { id: 'audit-targets' }, TARGETS.map((t) => h('option', { value: t }))),
    labelled('Action', h('input', { name: 'action', value: filters.action, placeholder: 'article.publish' })),
    h('button', { type: 'submit' }, 'Filter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = new FormData(form);
    location.hash = link({ actor: f.get('actor').trim(), target: f.get('target').trim(), action: f.get('action').trim(), cursor: '' });
  });
  const list = h('div', {});
  fill(main, h('h1', {}, 'Audit log'), form, list);

  let page;
  try {
    page = (await api('GET', `/audit${query({ ...filters, cursor, per_page: 50 })}`)).data;
  } catch (problem) {
    fill(list, h('p', { class: 'form-alert', role: 'alert' }, problem.errors.map((e) => `${e.field}: ${e.message}`).join('; ') || problem.message));
    return;
  }
  const users = new Map((await all('/users').catch(() => [])).map((u) => [u.id, u.email]));
  const actor = (a) => (a.type === 'user' && users.has(a.id) ? users.get(a.id) : a.id ? `${a.type} ${a.id}` : a.type);
  const target = (t) => (t.type === 'article' && t.id
    ? h('a', { href: `#/articles/${t.id}` }, `article ${t.id}`)
    : t.id ? `${t.type} ${t.id}` : t.type);
  const fields = (e) => {
    if (e.after && !e.before) return `created (${Object.keys(e.after).length} fields)`;
    if (e.before && !e.after) return 'deleted';
    return [...new Set([...Object.keys(e.before || {}), ...Object.keys(e.after || {})])].join(', ');
  };
  if (!page.data.length) { fill(list, h('p', { class: 'empty' }, 'No event matches.')); return; }
  fill(list,
    h('table', {},
      h('caption', {}, cursor ? 'Older events' : 'Newest events first'),
      h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Target', 'Fields', 'From'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, page.data.map((e) => h('tr', {},
        h('td', { 'data-label': 'When' }, when(e.at)),
        h('td', { 'data-label': 'Who' }, actor(e.actor)),
        h('td', { 'data-label': 'Action' }, h('code', {}, e.action)),
        h('td', { 'data-label': 'Target' }, target(e.target)),
        h('td', { 'data-label': 'Fields' }, fields(e) || '—'),
        h('td', { 'data-label': 'From' }, e.client_ip || '—'))))),
    h('nav', { class: 'pager', 'aria-label': 'Pages' },
      cursor ? h('a', { href: link({ cursor: '' }) }, '← Newest') : h('span'),
      page.meta.next_cursor ? h('a', { href: link({ cursor: page.meta.next_cursor }) }, 'Older →') : h('span')));
}
