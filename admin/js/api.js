// The one way the admin talks to the server: the public JSON API, with the
// access token kept in memory only. The refresh token lives in an HttpOnly
// cookie the page cannot read; a 401 triggers one refresh and one retry.

const BASE = '/api/v1';

let accessToken = null;
let refreshing = null;
let onSignedOut = () => {};

/** An answer other than 2xx, with its problem+json body. */
export class Problem extends Error {
  constructor(status, body) {
    super(body?.detail || body?.title || `HTTP ${status}`);
    this.status = status;
    this.body = body || {};
    this.code = this.body.code;
    this.errors = this.body.errors || [];
  }
}

/** Called when the session cannot be renewed (expired, revoked). */
export function whenSignedOut(callback) { onSignedOut = callback; }

export function setAccessToken(token) { accessToken = token; }

/**
 * A request to the API, e.g. PATCH of an article with `{body, ifMatch}`.
 * Resolves to `{data, etag, status}`; rejects with a `Problem`.
 */
export async function api(method, path, options = {}) {
  let res = await send(method, path, options).catch(offline);
  if (res.status === 401 && !options.noRefresh) {
    const renewed = await refresh();
    if (renewed === null) offline();
    if (renewed) res = await send(method, path, options).catch(offline);
    else onSignedOut();
  }
  const type = res.headers.get('content-type') || '';
  const data = res.status === 204 ? null
    : type.includes('json') ? await res.json().catch(() => null) : await res.text();
  if (!res.ok) throw new Problem(res.status, typeof data === 'object' ? data : { detail: data });
  return { data, etag: res.headers.get('etag'), status: res.status };
}

function send(method, path, { body, ifMatch, headers = {} }) {
  const all = { Accept: 'application/json, application/problem+json', ...headers };
  if (accessToken) all.Authorization = `Bearer ${accessToken}`;
  if (ifMatch) all['If-Match'] = ifMatch;
  // A FormData body (an upload) goes as multipart, its boundary set by fetch.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) all['Content-Type'] = 'application/json';
  return fetch(BASE + path, {
    method,
    headers: all,
    body: body === undefined || multipart ? body : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-cache',
  });
}

/** A request that never reached the server: not a reason to sign out. */
function offline() {
  throw new Problem(0, { detail: 'The server cannot be reached; check the connection and try again.' });
}

/**
 * Trades the refresh cookie for a new access token: true, false when the
 * session is over (401, 403), null when the server could not be reached. One refresh at a time,
 * across tabs too (Web Locks): two tabs presenting the same single-use
 * token at once would look like theft and end the session.
 */
export function refresh() {
  if (!refreshing) {
    const run = () => fetch(`${BASE}/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
      credentials: 'same-origin',
    }).then(async (res) => {
      if (res.status === 401 || res.status === 403) { accessToken = null; return false; }
      if (!res.ok) return null;
      accessToken = (await res.json()).access_token;
      return true;
    }).catch(() => null);
    refreshing = (navigator.locks ? navigator.locks.request('cms-refresh', run) : run())
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Every item of a small list (authors, tags, users), 100 at a time. */
export async function all(path) {
  const items = [];
  for (let page = 1; page <= 50; page += 1) {
    const { data } = await api('GET', `${path}${query({ page, per_page: 100 })}`);
    items.push(...data.data);
    if (items.length >= data.meta.total || !data.data.length) break;
  }
  return items;
}
