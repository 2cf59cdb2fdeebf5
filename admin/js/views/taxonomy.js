// Authors and tags.

import * as session from '../session.js';
import { crudScreen, optional } from './crud.js';

export function authorsView(main) {
  return crudScreen(main, {
    title: 'Authors', noun: 'author', path: '/authors',
    label: (a) => a.name,
    canWrite: session.atLeast('editor'),
    columns: [['Name', (a) => a.name], ['Slug', (a) => a.slug], ['Articles', (a) => String(a.article_count ?? 0)]],
    fields: (a) => [
      { name: 'name', label: 'Name', value: a?.name, required: true },
      { name: 'slug', label: 'Slug', value: a?.slug, hint: 'Made from the name when left empty.' },
      { name: 'bio', label: 'Biography', type: 'textarea', rows: 3, value: a?.bio },
      { name: 'website', label: 'Website', type: 'url', value: a?.website },
      { name: 'avatar_url', label: 'Portrait URL', type: 'url', value: a?.avatar_url },
    ],
    body: (v, a) => ({ name: v.name, ...optional(v, ['slug', 'bio', 'website', 'avatar_url'], a) }),
  });
}

export function tagsView(main) {
  return crudScreen(main, {
    title: 'Tags', noun: 'tag', path: '/tags',
    label: (t) => t.name,
    canWrite: session.atLeast('editor'),
    columns: [['Name', (t) => t.name], ['Slug', (t) => t.slug], ['Articles', (t) => String(t.article_count ?? 0)]],
    fields: (t) => [
      { name: 'name', label: 'Name', value: t?.name, required: true },
      { name: 'slug', label: 'Slug', value: t?.slug, hint: 'Made from the name when left empty.' },
      { name: 'description', label: 'Description', type: 'textarea', rows: 2, value: t?.description },
    ],
    body: (v, t) => ({ name: v.name, ...optional(v, ['slug', 'description'], t) }),
  });
}
