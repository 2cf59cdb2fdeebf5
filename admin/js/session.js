// Who is signed in: sign-in in cookie mode, restoring the session after a
// reload, sign-out, and what the user's role allows.

import { api, refresh, setAccessToken } from './api.js';
import * as drafts from './drafts.js';

const RANKS = { contributor: 1, author: 2, editor: 3, admin: 4 };

/** The signed-in user (`GET /api/v1/me`), or null. */
export let user = null;

export async function signIn(email, password) {
  const { data } = await api('POST', '/auth/login', {
    body: { email, password, refresh_mode: 'cookie' },
    noRefresh: true,
  });
  setAccessToken(data.access_token);
  return loadUser();
}

/** After a reload: the cookie, if any, gives a new access token. */
export async function restore() {
  if (!(await refresh())) return null;
  return loadUser().catch(() => null);
}

/**
 * Ends the session on the server. An access token that expired while the
 * page sat idle is renewed first (by `api`), so the session really ends.
 */
export async function signOut() {
  try {
    await api('POST', '/auth/logout');
  } catch (problem) {
    // Unreachable: nothing ended, so nothing is forgotten. Any other
    // answer (401: already over) leaves no session to end.
    if (problem.status === 0) throw problem;
  }
  forget();
  drafts.clearAll();
}

/** Forgets the user once the server no longer knows the session. */
export function forget() {
  setAccessToken(null);
  user = null;
}

async function loadUser() {
  user = (await api('GET', '/me')).data;
  return user;
}

/** At least this role: `atLeast('editor')`. */
export function atLeast(role) {
  return Boolean(user) && RANKS[user.role] >= RANKS[role];
}

/** Whether the user may change this article (editors: any; others: their own). */
export function mayEdit(article) {
  return atLeast('editor') || (Boolean(user?.author_id) && article.author_id === user.author_id);
}
