// The media library screen in Chromium: an admin uploads an image with its
// description (a missing file is refused at its field; the same bytes again
// find the first upload), describes it, finds it by search, and deletes an
// image an article leads with only after a second, knowing confirmation; a
// contributor sees the library but cannot change it. Each screen is
// axe-checked and photographed at 1280 and 375 px.
//
// Other test files share the server (and may have uploaded images): this one
// names its own images and finds them by search.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  BASE_URL,
  apiLogin, inSession, launchBrowser, openScreen, reviewScreen,
} from './helpers.mjs';

const EACH = { timeout: 90_000 };
const CONTRIBUTOR = { email: 'media-contributor@browser.example', password: 'quiet harbour lamp 5120' };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A fresh profile signed in as `user` (the admin when undefined). */
const as = (user, body) => inSession(browser, { user }, body);

/** The admin's API calls: `{status, body}`. */
async function asAdmin(method, path, body) {
  const { token } = await apiLogin();
  const res = await fetch(`${BASE_URL}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: res.status === 204 ? null : await res.json() };
}

const openMedia = (page) => openScreen(page, 'Media', 'Media library');

async function search(page, words) {
  await page.getByRole('searchbox', { name: 'Search' }).fill(words);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForFunction((q) => location.hash.includes(`q=${encodeURIComponent(q)}`), words);
}

/** The upload form's file input (the form's own name holds "image" too). */
function imageInput(page) {
  return page.getByRole('form', { name: 'Upload an image' }).getByLabel('Image');
}

/** A card of the library by its title. */
function card(page, title) {
  return page.locator('.media-card').filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

describe('the media library in the web admin', () => {
  test('upload, describe, search and delete an image an article uses', EACH, async () => {
    await as(undefined, async ({ page }) => {
      await openMedia(page);
      // No file chosen: the refusal sits at the Image field.
      await page.getByRole('textbox', { name: 'Title' }).fill('Quay cranes at dusk');
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.locator('[data-field="file"] .error').filter({ hasText: /choose an image/ }).waitFor();
      assert.equal(await imageInput(page).getAttribute('aria-invalid'), 'true');

      // Any PNG will do: a piece of the page itself.
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: 480, height: 300 } });
      await imageInput(page).setInputFiles({ name: 'cranes.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('textbox', { name: 'Alternative text' }).fill('Three container cranes against an orange sky');
      await page.getByRole('textbox', { name: 'Credit' }).fill('Port Arvel Authority');
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByRole('status').filter({ hasText: '“Quay cranes at dusk” uploaded.' }).waitFor();
      const cranes = card(page, 'Quay cranes at dusk');
      await cranes.getByText('Alt text: Three container cranes against an orange sky').waitFor();
      const img = cranes.getByRole('img', { name: 'Three container cranes against an orange sky' });
      await img.waitFor();
      assert.ok(await img.evaluate((el) => el.complete && el.naturalWidth > 0), 'the thumbnail loads');
      await reviewScreen(page, 'media-library');

      // The same bytes again: the library already has them.
      await imageInput(page).setInputFiles({ name: 'cranes-again.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('textbox', { name: 'Credit' }).fill('Another agency');
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'already in the library, as “Quay cranes at dusk”' }).waitFor();
      assert.equal(await card(page, 'Quay cranes at dusk').count(), 1);
      // What was typed stays in the form; the stored item keeps its credit (checked below).
      assert.equal(await page.getByRole('textbox', { name: 'Credit' }).inputValue(), 'Another agency');

      // Describe it: only the changed field is sent, and it is kept.
      await cranes.getByRole('button', { name: 'Describe Quay cranes at dusk' }).click();
      const caption = page.getByRole('textbox', { name: 'Caption' }).last();
      await caption.fill('Night shift begins at the container terminal.');
      await reviewScreen(page, 'media-describe');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: '“Quay cranes at dusk” saved.' }).waitFor();
      const { body: list } = await asAdmin('GET', '/media?q=Quay%20cranes');
      assert.equal(list.data.length, 1);
      const item = list.data[0];
      assert.equal(item.caption, 'Night shift begins at the container terminal.');
      assert.equal(item.credit, 'Port Arvel Authority');

      // Search: a word of the title finds it, another word finds nothing.
      await search(page, 'cranes');
      await card(page, 'Quay cranes at dusk').waitFor();
      await search(page, 'zeppelin');
      await page.getByText('No image matches.').waitFor();
      await search(page, 'cranes');

      // An article leads with it: the first confirmation meets the 409,
      // the second (knowing) one deletes, and the article loses it.
      const { body: author } = await asAdmin('POST', '/authors', { name: 'Media Desk' });
      const { status, body: article } = await asAdmin('POST', '/articles', {
        title: 'Terminal works through the night', body: 'Cranes moved 4,000 containers.',
        author_id: author.id, featured_image_id: item.id,
      });
      assert.equal(status, 201, JSON.stringify(article));
      const asked = [];
      page.on('dialog', (d) => { asked.push(d.message()); d.accept(); });
      await card(page, 'Quay cranes at dusk').getByRole('button', { name: 'Delete Quay cranes at dusk' }).click();
      await page.getByRole('status').filter({ hasText: 'no longer show it' }).waitFor();
      assert.equal(asked.length, 2, asked.join(' | '));
      assert.match(asked[1], /is used by 1 article\(s\): \d+ \(terminal-works-through-the-night\)\.\n\nDelete it anyway\?/);
      assert.equal((await asAdmin('GET', `/media/${item.id}`)).status, 404);
      const { body: after } = await asAdmin('GET', `/articles/${article.id}`);
      assert.equal(after.featured_image_id, null);
      await page.getByText('No image matches.').waitFor();
    });
  });

  test('a contributor sees the library but cannot change it', EACH, async () => {
    const made = await asAdmin('POST', '/users', { ...CONTRIBUTOR, role: 'contributor' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await as(undefined, async ({ page }) => {
      await openMedia(page);
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: 200, height: 120 } });
      await imageInput(page).setInputFiles({ name: 'ferry.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('textbox', { name: 'Title' }).fill('Morning ferry');
      await page.getByRole('button', { name: 'Upload', exact: true }).click();
      await card(page, 'Morning ferry').waitFor();
    });
    await as(CONTRIBUTOR, async ({ page }) => {
      await openMedia(page);
      await search(page, 'ferry');
      const ferry = card(page, 'Morning ferry');
      await ferry.waitFor();
      await ferry.getByText('No alternative text yet.').waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Upload an image' }).count(), 0, 'no upload form');
      assert.equal(await ferry.getByRole('button').count(), 0, 'no Describe or Delete');
      await reviewScreen(page, 'media-contributor');
    });
  });
});
