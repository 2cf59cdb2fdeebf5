// Webhooks (admins only): endpoints that are sent signed events, their
// signing secret shown once after creation, and each endpoint's delivery
// log with redelivery.

import { api, query } from '../api.js';
import { h, fill, when, announce, action, focusHeading, pager } from '../dom.js';
import * as session from '../session.js';
import { crudScreen, showSecretOnce } from './crud.js';

/** The events an endpoint may subscribe to (EventType in the API), with what they mean. */
const EVENTS = [
  ['article.published', 'an article went live'],
  ['article.unpublished', 'a live article was taken back'],
  ['article.updated', 'a live article’s content changed'],
  ['article.trashed', 'an article went to the trash'],
  ['article.deleted', 'an article was deleted for good'],
  ['comment.approved', 'a comment became public'],
  ['media.updated', 'a media item’s description changed'],
];
const PER_PAGE = 20;
let groups = 0;

export function webhooksView(main) {
  return crudScreen(main, {
    title: 'Webhooks', noun: 'endpoint', path: '/webhooks',
    label: (w) => w.url,
    canWrite: session.atLeast('admin'),
    columns: [
      ['URL', (w) => [h('code', { class: 'url' }, w.url), w.description ? h('span', { class: 'hint block' }, w.description) : null]],
      ['Events', (w) => w.events.join(', ')],
      ['Status', (w) => endpointStatus(w)],
      ['Failing since', (w) => when(w.failing_since)],
      ['Deliveries', (w) => h('a', { href: `#/webhooks/${w.id}` }, 'Deliveries', h('span', { class: 'visually-hidden' }, ` to ${w.url}`))],
    ],
    fields: (w) => [
      { name: 'url', label: 'URL', type: 'url', value: w?.url, required: true, autocomplete: 'off', spellcheck: 'false',
        hint: 'An http or https address on the public internet, without a user name or password.' },
      { name: 'description', label: 'Description', value: w?.description, maxlength: 500, hint: 'What the endpoint is for, e.g. “Rebuild the search index”.' },
      eventsGroup(w?.events ?? []),
      ...(w ? [{ name: 'enabled', label: 'Enabled', type: 'checkbox', value: w.enabled,
        hint: w.disabled_reason ? `The server disabled it: ${w.disabled_reason}. Enabling it again clears its failure record.` : 'Events are sent only to enabled endpoints.' }] : []),
    ],
    body: (v, w) => (w ? changes(v, w) : {
      url: v.url.trim(),
      events: chosenEvents(v),
      ...(v.description.trim() ? { description: v.description.trim() } : {}),
    }),
    created: (hook, box) => showSecretOnce(box, `The signing secret of “${hook.url}”`, hook.secret,
      'The receiver checks each delivery’s ', h('code', {}, 'webhook-signature'), ' header with it (Standard Webhooks).'),
  });
}

/** "Enabled", or "Disabled" with the server's reason. */
function endpointStatus(w) {
  if (w.enabled) return h('span', { class: 'badge status-enabled' }, 'Enabled');
  return [h('span', { class: 'badge status-disabled' }, 'Disabled'), w.disabled_reason ? h('span', { class: 'hint block' }, w.disabled_reason) : null];
}

/**
 * The events as labelled checkboxes in a fieldset. It stands in for a field
 * (`data-field`, `.control`, an error slot), so a problem about `events`
 * shows under it.
 */
function eventsGroup(chosen) {
  const id = `events-${++groups}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const boxes = EVENTS.map(([type, meaning], i) => {
    const boxId = `${id}-${i}`;
    const box = h('input', { type: 'checkbox', id: boxId, name: `event:${type}`, checked: chosen.includes(type), 'aria-describedby': `${hintId} ${errorId}` });
    return h('div', { class: 'field-checkbox' }, box, h('label', { for: boxId }, h('code', {}, type), ` — ${meaning}`));
  });
  const group = h('fieldset', { class: 'field field-group', 'data-field': 'events', 'aria-describedby': `${hintId} ${errorId}` },
    h('legend', {}, 'Events', h('span', { class: 'req', 'aria-hidden': 'true' }, ' *')),
    h('div', { class: 'event-checks' }, boxes),
    h('p', { class: 'hint', id: hintId }, 'Choose at least one.'),
    h('p', { class: 'error', id: errorId }));
  group.control = boxes[0].querySelector('input');
  return group;
}

/** The events ticked in the form, in the API's order. */
function chosenEvents(v) {
  return EVENTS.map(([type]) => type).filter((type) => v[`event:${type}`]);
}

/** Only what the edit form changed (PATCH leaves the rest as it is). */
function changes(v, w) {
  const body = {};
  const events = chosenEvents(v);
  if (v.url.trim() !== w.url) body.url = v.url.trim();
  if (v.description.trim() !== w.description) body.description = v.description.trim();
  if (events.join() !== [...w.events].sort(byEventOrder).join()) body.events = events;
  if (v.enabled !== w.enabled) body.enabled = v.enabled;
  return body;
}

function byEventOrder(a, b) {
  return EVENTS.findIndex(([t]) => t === a) - EVENTS.findIndex(([t]) => t === b);
}

/** `#/webhooks/:id`: one endpoint's deliveries, newest first, a page at a time. */
export async function deliveriesView(main, { id, query: params }) {
  const page = Math.max(1, Number(params.get('page')) || 1);
  let hook;
  let list;
  try {
    [{ data: hook }, { data: list }] = await Promise.all([
      api('GET', `/webhooks/${encodeURIComponent(id)}`),
      api('GET', `/webhooks/${encodeURIComponent(id)}/deliveries${query({ page, per_page: PER_PAGE })}`),
    ]);
  } catch (problem) {
    if (problem.status !== 404) throw problem;
    fill(main, h('h1', {}, 'Endpoint not found'),
      h('p', {}, 'It may have been deleted. ', h('a', { href: '#/webhooks' }, 'Back to the webhooks')));
    return;
  }
  const result = h('div', { class: 'form-alert-slot' });
  const reload = async (focus) => {
    await deliveriesView(main, { id, query: params });
    focus();
  };
  const refresh = action('Refresh', () => reload(() => main.querySelector('.refresh')?.focus()), { class: 'refresh' });
  const pages = Math.max(1, Math.ceil(list.meta.total / PER_PAGE));
  fill(main,
    h('h1', {}, 'Webhook deliveries'),
    h('p', {}, h('a', { href: '#/webhooks' }, '← All webhooks')),
    endpointFacts(hook),
    result,
    h('div', { class: 'buttons' }, refresh),
    list.data.length
      ? deliveriesTable(list, (d) => redeliver(hook, d, result, () => reload(() => focusHeading(main))))
      : h('p', { class: 'empty' }, 'Nothing has been sent to this endpoint yet.'),
    pager(page, pages, (n) => `#/webhooks/${id}${query({ page: n })}`));
}

/** What the endpoint is, above its log. */
function endpointFacts(hook) {
  return h('dl', { class: 'facts-list' },
    h('dt', {}, 'Endpoint'), h('dd', {}, h('code', { class: 'url' }, hook.url)),
    hook.description ? [h('dt', {}, 'Description'), h('dd', {}, hook.description)] : null,
    h('dt', {}, 'Events'), h('dd', {}, hook.events.join(', ')),
    h('dt', {}, 'Status'), h('dd', {}, endpointStatus(hook)),
    h('dt', {}, 'Failing since'), h('dd', {}, when(hook.failing_since)));
}

/** The log as a table; `onRedeliver(delivery)` runs a row's button. */
function deliveriesTable(list, onRedeliver) {
  const total = list.meta.total;
  return h('table', { class: 'deliveries' },
    h('caption', {}, `${total} ${total === 1 ? 'delivery' : 'deliveries'}, newest first`),
    h('thead', {}, h('tr', {},
      ['Event', 'Status', 'Attempts', 'Last answer', 'Last error', 'Latency', 'Created', 'Delivered'].map((c) => h('th', { scope: 'col' }, c)),
      h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')))),
    h('tbody', {}, list.data.map((d) => h('tr', {},
      h('td', { 'data-label': 'Event' }, h('code', {}, d.event_type), h('span', { class: 'hint block message-id' }, d.message_id)),
      h('td', { 'data-label': 'Status' }, deliveryStatus(d)),
      h('td', { 'data-label': 'Attempts' }, String(d.attempts)),
      h('td', { 'data-label': 'Last answer' }, d.last_status_code ?? '—'),
      h('td', { 'data-label': 'Last error', class: 'last-error' }, d.last_error || '—'),
      h('td', { 'data-label': 'Latency' }, d.last_latency_ms == null ? '—' : `${d.last_latency_ms} ms`),
      h('td', { 'data-label': 'Created' }, when(d.created_at)),
      h('td', { 'data-label': 'Delivered' }, when(d.delivered_at)),
      h('td', { class: 'row-actions' },
        action('Redeliver', () => onRedeliver(d), { 'aria-label': `Redeliver ${d.event_type} ${d.message_id}` }))))));
}

/** The status badge; a pending delivery also says when it is next tried. */
function deliveryStatus(d) {
  return [h('span', { class: `badge status-${d.status}` }, d.status),
    d.status === 'pending' && d.next_attempt_at ? h('span', { class: 'hint block' }, `next attempt ${when(d.next_attempt_at)}`) : null];
}

/** Queues a delivery again (202), or says why not in an alert. */
async function redeliver(hook, d, result, reload) {
  fill(result);
  try {
    await api('POST', `/webhooks/${hook.id}/deliveries/${d.id}/redeliver`);
  } catch (problem) {
    fill(result, h('p', { class: 'form-alert', role: 'alert' }, `Not redelivered: ${problem.message}`));
    return;
  }
  // The worker sends only to enabled endpoints.
  announce(hook.enabled
    ? `The ${d.event_type} delivery is queued again; it is sent in a moment.`
    : `The ${d.event_type} delivery is queued again; it is sent once the endpoint is enabled.`);
  await reload();
}
