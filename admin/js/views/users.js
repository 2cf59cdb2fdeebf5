// Users (admins only): accounts, roles, author profiles, disabling.

import { all } from '../api.js';
import * as session from '../session.js';
import { crudScreen } from './crud.js';

const ROLES = ['contributor', 'author', 'editor', 'admin'];

export async function usersView(main) {
  const authors = await all('/authors');
  const authorName = (id) => authors.find((a) => a.id === id)?.name;
  const authorOptions = [['', 'None'], ...authors.map((a) => [String(a.id), a.name])];
  return crudScreen(main, {
    title: 'Users', noun: 'user', path: '/users',
    label: (u) => u.email,
    canWrite: session.atLeast('admin'),
    columns: [
      ['Email', (u) => u.email],
      ['Role', (u) => u.role],
      ['Author profile', (u) => authorName(u.author_id)],
      ['Sign-in', (u) => (u.disabled ? 'disabled' : 'enabled')],
    ],
    fields: (u) => [
      { name: 'email', label: 'Email', type: 'email', value: u?.email, required: true, autocomplete: 'off' },
      { name: 'password', label: u ? 'New password' : 'Password', type: 'password', required: !u, autocomplete: 'new-password',
        hint: u ? 'Leave empty to keep the current one. Changing it ends their sessions.' : 'At least 8 characters; not a common password.' },
      { name: 'role', label: 'Role', type: 'select', value: u?.role || 'contributor', options: ROLES.map((r) => [r, r]) },
      { name: 'author_id', label: 'Author profile', type: 'select', value: u?.author_id ?? '', options: authorOptions,
        hint: 'Contributors and authors write as this author.' },
      ...(u ? [{ name: 'disabled', label: 'Disabled (cannot sign in)', type: 'checkbox', value: u.disabled }] : []),
    ],
    body: (v, u) => {
      const body = {};
      const authorId = v.author_id ? Number(v.author_id) : null;
      if (!u || v.email !== u.email) body.email = v.email;
      if (v.password) body.password = v.password;
      if (!u || v.role !== u.role) body.role = v.role;
      if (u ? authorId !== (u.author_id ?? null) : authorId !== null) body.author_id = authorId;
      if (u && v.disabled !== u.disabled) body.disabled = v.disabled;
      return body;
    },
  });
}
