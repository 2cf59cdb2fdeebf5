// Webhooks in the web admin, in order: an admin registers a receiver (by
// keyboard; the signing secret shows once), a refused URL and a missing
// event show their errors at their fields, a published article reaches
// the receiver signed as Standard Webhooks says, the deliveries screen
// shows it delivered and redelivers it with the same webhook-id, and the
// endpoint is disabled, then deleted.
//
// The receiver is a small HTTP server of this test on 127.0.0.1 that
// records each request and answers 200 (scripts/browser-tests lets the
// server deliver there: WEBHOOK_ALLOW_PRIVATE=true, WEBHOOK_POLL_MS=200).
// Every screen is checked by axe, photographed, and checked for sideways
// scrolling at 375 px.

import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN_URL, BASE_URL,
  apiLogin, inSession, isFocused, launchBrowser, reviewScreen, shot, signedInFrame, tabTo,
} from './helpers.mjs';

const EACH = { timeout: 90_000 };
/** How long a delivery may take to arrive (the worker polls every 200 ms). */
const DELIVERY_WAIT_MS = 20_000;

let browser;
let receiver;
/** What earlier steps made, for later ones: the endpoint, its secret, the first delivery. */
const made = {};

before(async () => {
  browser = await launchBrowser();
  receiver = await startReceiver();
});
after(async () => {
  await browser?.close();
  await receiver?.close();
});

/** A fresh profile signed in as the admin; a failure leaves a screenshot named after the test. */
const withSession = (t, options, body) => inSession(browser, { label: t.name, ...options }, body);

/** An HTTP server on 127.0.0.1 that records every request and answers 200. */
async function startReceiver() {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hooks/cms`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** Waits until `find()` returns something (checked every 100 ms); returns it. */
async function eventually(what, find, ms = DELIVERY_WAIT_MS) {
  const end = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found) return found;
    if (Date.now() > end) assert.fail(`waited ${ms} ms for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens Webhooks from the main navigation; checks the focus is on its heading. */
async function openWebhooks(page) {
  await signedInFrame(page).nav.getByRole('link', { name: 'Webhooks', exact: true }).click();
  const heading = page.getByRole('heading', { level: 1, name: 'Webhooks', exact: true });
  await heading.waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  return heading;
}

/** `text` as a regular expression that matches it literally. */
function literal(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function urlField(page) {
  return page.getByRole('textbox', { name: 'URL', exact: true });
}

function eventBox(page, type) {
  return page.getByRole('checkbox', { name: new RegExp(`^${literal(type)} `) });
}

/** Presses Refresh and waits until the list is redrawn (the old button gone). */
async function refresh(page) {
  const button = page.getByRole('button', { name: 'Refresh' });
  const old = await button.elementHandle();
  await button.click();
  await page.waitForFunction((el) => !el.isConnected, old);
  await old.dispose();
}

/** The admin API, as a non-browser client: `(method, path, body)` → `{status, body}`. */
async function adminApi() {
  const { token } = await apiLogin();
  return async (method, path, body) => {
    const res = await fetch(`${BASE_URL}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

/** Standard Webhooks: base64 HMAC-SHA256 of "id.timestamp.body", keyed with the secret's base64 part. */
function expectedSignature(secret, id, timestamp, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

describe('webhooks in the web admin', () => {
  test('webhooks: an admin registers an endpoint by keyboard; its secret shows once', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      await openWebhooks(page);
      await page.getByText('No endpoints yet.').waitFor();
      await reviewScreen(page, 'webhooks-empty');

      // Keyboard only: URL, description, one event, then the button.
      await tabTo(page, urlField(page));
      await page.keyboard.type(receiver.url);
      await page.keyboard.press('Tab');
      assert.ok(await isFocused(page.getByRole('textbox', { name: 'Description' })), 'Tab goes from URL to Description');
      await page.keyboard.type('Rebuild the search index');
      const published = eventBox(page, 'article.published');
      await tabTo(page, published, 5);
      await page.keyboard.press('Space');
      assert.ok(await published.isChecked(), 'Space ticks the event');
      await tabTo(page, page.getByRole('button', { name: 'Add endpoint' }), 10);
      await page.keyboard.press('Enter');

      const secret = page.locator('.secret-box code.secret');
      await secret.waitFor();
      made.secret = (await secret.textContent()).trim();
      assert.match(made.secret, /^whsec_[A-Za-z0-9+/]+=*$/);
      assert.ok(await isFocused(secret), 'the focus is on the secret');
      await page.getByRole('status').filter({ hasText: 'Endpoint added.' }).waitFor();
      const row = page.getByRole('row', { name: new RegExp(`${literal(receiver.url)}.*article\\.published.*Enabled`) });
      await row.waitFor();
      await reviewScreen(page, 'webhooks-secret-shown');

      const call = await adminApi();
      const { body: list } = await call('GET', '/webhooks');
      assert.equal(list.data.length, 1);
      const [hook] = list.data;
      assert.deepEqual(hook.events, ['article.published']);
      assert.equal(hook.description, 'Rebuild the search index');
      assert.equal(hook.enabled, true);
      assert.equal(hook.secret, undefined, 'the list never shows the secret');
      made.id = hook.id;

      // A second visit: the endpoint is listed, its secret is gone for good.
      await signedInFrame(page).nav.getByRole('link', { name: 'Articles', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
      await openWebhooks(page);
      await row.waitFor();
      assert.equal(await page.locator('.secret-box').count(), 0, 'the secret box shows again');
      assert.ok(!(await page.content()).includes(made.secret), 'the secret is on the page again');
      await shot(page, 'webhooks-second-visit');
    }));

  test('webhooks: a refused URL and a missing event show their errors at their fields', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      await openWebhooks(page);
      await urlField(page).fill('ftp://example.com/x');
      await eventBox(page, 'comment.approved').check();
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/webhooks') && r.request().method() === 'POST');
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      assert.equal((await answer).status(), 422);
      await page.locator('[data-field="url"] .error').filter({ hasText: /http or https/ }).waitFor();
      assert.equal(await urlField(page).getAttribute('aria-invalid'), 'true');
      assert.ok(await isFocused(urlField(page)), 'the focus is on the refused URL');
      await page.getByRole('alert').filter({ hasText: 'Please correct the marked fields.' }).waitFor();
      await reviewScreen(page, 'webhooks-refused-url');

      // A good URL with no event: the error shows under the events.
      await urlField(page).fill(receiver.url);
      await eventBox(page, 'comment.approved').uncheck();
      await page.getByRole('button', { name: 'Add endpoint' }).click();
      await page.locator('[data-field="events"] .error').filter({ hasText: /\S/ }).waitFor();
      assert.equal(await page.locator('[data-field="url"] .error').textContent(), '', 'the URL error is cleared');
      assert.equal(await urlField(page).getAttribute('aria-invalid'), null);
      assert.equal(await eventBox(page, 'article.published').getAttribute('aria-invalid'), 'true');
      assert.ok(await isFocused(eventBox(page, 'article.published')), 'the focus is on the events');
      await shot(page, 'webhooks-no-event');
      assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 1, 'nothing was added');
    }));

  test('webhooks: a published article reaches the receiver, signed with the secret', EACH, async () => {
    assert.ok(made.secret, 'the first test registered the endpoint');
    const call = await adminApi();
    const author = await call('POST', '/authors', { name: 'Wire Desk' });
    assert.equal(author.status, 201, JSON.stringify(author.body));
    const article = await call('POST', '/articles', {
      title: 'Harbour ferry timetable changes from Monday',
      body: 'The early ferry to Sel Island leaves twenty minutes later from Monday.',
      author_id: author.body.id,
    });
    assert.equal(article.status, 201, JSON.stringify(article.body));
    const published = await call('POST', `/articles/${article.body.id}/publish`, {});
    assert.equal(published.status, 200, JSON.stringify(published.body));

    const delivery = await eventually('the article.published delivery', () => receiver.requests.find((r) => JSON.parse(r.body).type === 'article.published'));
    assert.equal(delivery.method, 'POST');
    assert.equal(delivery.path, '/hooks/cms');
    assert.match(delivery.headers['content-type'], /^application\/json/);
    const payload = JSON.parse(delivery.body);
    assert.equal(payload.data.id, article.body.id);
    assert.equal(payload.data.status, 'published');

    const id = delivery.headers['webhook-id'];
    const timestamp = delivery.headers['webhook-timestamp'];
    assert.ok(id, 'a webhook-id header');
    assert.match(timestamp, /^\d+$/);
    assert.ok(Math.abs(Date.now() / 1000 - Number(timestamp)) < 300, `timestamp ${timestamp} is not recent`);
    const wanted = Buffer.from(expectedSignature(made.secret, id, timestamp, delivery.body));
    const given = delivery.headers['webhook-signature'].split(' ')
      .filter((s) => s.startsWith('v1,')).map((s) => Buffer.from(s.slice(3)));
    assert.ok(given.some((sig) => sig.length === wanted.length && timingSafeEqual(sig, wanted)),
      `no signature matches: ${delivery.headers['webhook-signature']}`);
    made.messageId = id;
  });

  test('webhooks: the deliveries screen shows it delivered; Redeliver sends the same webhook-id', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      assert.ok(made.messageId, 'the delivery arrived');
      // The receiver has it; the log notes the answer right after.
      const call = await adminApi();
      await eventually('the delivery marked delivered', async () => (await call('GET', `/webhooks/${made.id}/deliveries`)).body.data[0]?.status === 'delivered', 10_000);

      await openWebhooks(page);
      await page.getByRole('link', { name: `Deliveries to ${receiver.url}` }).click();
      const heading = page.getByRole('heading', { level: 1, name: 'Webhook deliveries' });
      await heading.waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      const row = page.getByRole('row', { name: new RegExp(`article\\.published.*${literal(made.messageId)}`) });
      await row.waitFor();
      assert.equal(await row.locator('td[data-label="Status"]').textContent(), 'delivered');
      assert.equal(await row.locator('td[data-label="Attempts"]').textContent(), '1');
      assert.equal(await row.locator('td[data-label="Last answer"]').textContent(), '200');
      assert.match(await row.locator('td[data-label="Latency"]').textContent(), /^\d+ ms$/);
      assert.notEqual(await row.locator('td[data-label="Delivered"]').textContent(), '—');
      await reviewScreen(page, 'webhook-deliveries');

      // Redeliver: 202, announced, the list reloaded; the same id arrives again.
      const before = receiver.requests.length;
      await row.getByRole('button', { name: /^Redeliver/ }).click();
      await page.getByRole('status').filter({ hasText: 'queued again' }).waitFor();
      await eventually('the redelivery', () => receiver.requests.slice(before).find((r) => r.headers['webhook-id'] === made.messageId));
      await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
      await eventually('the redelivery logged', async () => {
        await refresh(page);
        return /delivered/.test(await row.locator('td[data-label="Status"]').textContent());
      });
      assert.ok(await isFocused(page.getByRole('button', { name: 'Refresh' })), 'Refresh keeps the focus');

      // A 409 (a worker is sending it right now: a race the test cannot
      // cause on demand, so the answer is staged) shows its detail.
      const detail = 'a worker is sending this delivery right now; retry in a minute';
      await page.route('**/redeliver', (route) => route.fulfill({
        status: 409,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: '/problems/delivery_in_flight', title: 'Conflict', status: 409, detail, code: 'delivery_in_flight', errors: [] }),
      }));
      await row.getByRole('button', { name: /^Redeliver/ }).click();
      await page.getByRole('alert').filter({ hasText: detail }).waitFor();
      await page.unroute('**/redeliver');
      await reviewScreen(page, 'webhook-deliveries-conflict');
    }));

  test('webhooks: an admin disables the endpoint, then deletes it', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      await openWebhooks(page);
      await page.getByRole('button', { name: `Edit ${receiver.url}` }).click();
      await page.getByRole('heading', { level: 2, name: `Edit endpoint “${receiver.url}”` }).waitFor();
      assert.ok(await isFocused(urlField(page)), 'the edit form starts at the URL');
      assert.ok(await eventBox(page, 'article.published').isChecked());
      await page.getByRole('checkbox', { name: 'Enabled', exact: true }).uncheck();
      await reviewScreen(page, 'webhooks-edit');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Endpoint saved.' }).waitFor();
      await page.getByRole('row', { name: new RegExp(`${literal(receiver.url)}.*Disabled`) }).waitFor();
      const call = await adminApi();
      const { body: hook } = await call('GET', `/webhooks/${made.id}`);
      assert.equal(hook.enabled, false);
      assert.deepEqual(hook.events, ['article.published'], 'only what changed was sent');
      await reviewScreen(page, 'webhooks-disabled');

      page.once('dialog', (d) => d.accept());
      await page.getByRole('button', { name: `Delete ${receiver.url}` }).click();
      await page.getByText('No endpoints yet.').waitFor();
      await page.getByRole('status').filter({ hasText: 'Endpoint deleted.' }).waitFor();
      assert.equal((await call('GET', `/webhooks/${made.id}`)).status, 404);
      await page.goto(`${ADMIN_URL}#/webhooks/${made.id}`);
      await page.getByRole('heading', { level: 1, name: 'Endpoint not found' }).waitFor();
      await page.getByRole('link', { name: 'Back to the webhooks' }).waitFor();
    }));
});
