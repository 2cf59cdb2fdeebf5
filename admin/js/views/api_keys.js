// API keys (admins only): read-only keys for frontends and previews; the
// secret is shown once, right after creation.

import { h, when, TIME_ZONE, fromLocalInput } from '../dom.js';
import * as session from '../session.js';
import { crudScreen, showSecretOnce } from './crud.js';

export function apiKeysView(main) {
  return crudScreen(main, {
    title: 'API keys', noun: 'API key', path: '/api-keys',
    label: (k) => k.name,
    canWrite: session.atLeast('admin'),
    canEdit: false,
    deleteVerb: 'Revoke', deletedWord: 'revoked',
    columns: [
      ['Name', (k) => k.name],
      ['Scope', (k) => k.scope],
      ['Starts with', (k) => h('code', {}, k.prefix)],
      ['Expires', (k) => when(k.expires_at)],
      ['Last used', (k) => when(k.last_used_at)],
    ],
    fields: () => [
      { name: 'name', label: 'Name', required: true, hint: 'What the key is for, e.g. “Website frontend”.' },
      { name: 'scope', label: 'Scope', type: 'select', value: 'read',
        options: [['read', 'read: published content'], ['preview', 'preview: also unpublished articles']] },
      { name: 'expires_at', label: `Expires (${TIME_ZONE})`, type: 'datetime-local', hint: 'Never when left empty.' },
    ],
    body: (v) => ({
      name: v.name,
      scope: v.scope,
      ...(v.expires_at ? { expires_at: fromLocalInput(v.expires_at) } : {}),
    }),
    created: (key, box) => showSecretOnce(box, `The secret of “${key.name}”`, key.secret),
  });
}
