// The newsroom's day in the web admin, in order: an admin sets up an
// author, a tag, two colleagues and an API key; a contributor writes a
// story (with a live preview and unsaved changes kept) and submits it; an
// editor publishes it, and it is in the public API; a reader's comment is
// approved from the moderation queue; two tabs collide on one article
// (412) and the editor overwrites knowingly; everyone signs out.
//
// Every screen is checked by axe, photographed under
// target/browser/screenshots/, and checked for sideways scrolling at 375 px.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN, ADMIN_URL, BASE_URL,
  apiLogin, checkAxe, inSession, launchBrowser, openScreen, refreshCookie, reviewScreen, shot,
  signIn, signedInFrame, tabTo,
} from './helpers.mjs';

const EACH = { timeout: 90_000 };

// Our own sample story, in the seed's style (curly quotes, an ellipsis).
const STORY = {
  title: 'Port Arvel grid operator brings second solar field online',
  body: [
    'The Port Arvel Power Authority switched on its second desert solar field on Monday, adding enough daytime capacity to cover roughly a fifth of the city’s demand during the hottest afternoons.',
    'The 240-hectare site at Wadi Senna took just under two years to build. Engineers say the panels track the sun on a single axis.',
    '“Last August we came within a few megawatts of rolling cuts,” said operations director Hana Selim. “This field means we go into the summer with a cushion.”',
    'For now, officials are asking households to keep thermostats at 24 degrees between six and nine in the evening… a request made every summer for a decade.',
  ].join('\n\n'),
};
const CONTRIBUTOR = { email: 'lea@browser.example', password: 'plum orchard lantern 4471' };
const EDITOR = { email: 'desk@browser.example', password: 'copper kettle meridian 9120' };

let browser;
/** What earlier steps made, for later ones. */
const made = {};

before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A fresh profile signed in as `user` (the admin when undefined). */
const as = (user, body, options = {}) => inSession(browser, { user, ...options }, body);

/** A text box or list by its accessible name (the " *" of required fields is hidden). */
function control(page, name) {
  return page.getByRole('textbox', { name, exact: true });
}

/** The status line of the editor, e.g. "In review". */
function badge(page) {
  return page.locator('.status-line .badge');
}

async function publicGet(path) {
  const res = await fetch(`${BASE_URL}/api/v1${path}`);
  return { status: res.status, body: await res.json() };
}

/** A reader's comment on the story, through the public form (held for moderation). */
async function postComment(name, email, body) {
  const form = await publicGet(`/articles/${made.slug}/comment-form`);
  assert.equal(form.status, 200);
  const posted = await fetch(`${BASE_URL}/api/v1/articles/${made.slug}/comments`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ author_name: name, author_email: email, honeypot: '', body, form_token: form.body.form_token }),
  });
  assert.equal(posted.status, 202);
}

describe('the newsroom in the web admin', () => {
  test('an admin adds an author, a tag, two colleagues and an API key', EACH, async () => {
    await as(undefined, async ({ page }) => {
      await openScreen(page, 'Authors');
      await control(page, 'Name').fill('Lea Moreau');
      await control(page, 'Biography').fill('Energy and climate correspondent.');
      await page.getByRole('button', { name: 'Add author' }).click();
      await page.getByRole('cell', { name: 'Lea Moreau', exact: true }).waitFor();
      await reviewScreen(page, 'authors');

      // Tags, by keyboard only; a blank name is refused next to its field.
      await openScreen(page, 'Tags');
      await tabTo(page, control(page, 'Name'));
      await page.keyboard.press('Enter');
      const nameError = page.locator('[data-field="name"] .error');
      await nameError.filter({ hasText: /\S/ }).waitFor();
      assert.equal(await control(page, 'Name').getAttribute('aria-invalid'), 'true');
      await shot(page, 'tags-error-next-to-field');
      await page.keyboard.type('Energy');
      await page.keyboard.press('Enter');
      await page.getByRole('cell', { name: 'energy', exact: true }).waitFor();
      await reviewScreen(page, 'tags');

      await openScreen(page, 'Users');
      for (const [user, role] of [[CONTRIBUTOR, 'contributor'], [EDITOR, 'editor']]) {
        await control(page, 'Email').fill(user.email);
        await page.getByLabel('Password').fill(user.password);
        await page.getByRole('combobox', { name: 'Role' }).selectOption(role);
        if (role === 'contributor') {
          await page.getByRole('combobox', { name: 'Author profile' }).selectOption({ label: 'Lea Moreau' });
        }
        await page.getByRole('button', { name: 'Add user' }).click();
        await page.getByRole('cell', { name: user.email, exact: true }).waitFor();
      }
      // The same email again: the conflict is shown, nothing is added.
      await control(page, 'Email').fill(EDITOR.email);
      await page.getByLabel('Password').fill(EDITOR.password);
      await page.getByRole('button', { name: 'Add user' }).click();
      await page.locator('[data-field="email"] .error').filter({ hasText: /already|exists|taken/i }).waitFor();
      assert.equal(await control(page, 'Email').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.getByRole('cell', { name: EDITOR.email, exact: true }).count(), 1);
      await reviewScreen(page, 'users');

      await openScreen(page, 'API keys');
      await control(page, 'Name').fill('Website frontend');
      await page.getByRole('button', { name: 'Add API key' }).click();
      const secret = page.locator('.secret-box code');
      await secret.waitFor();
      const value = (await secret.textContent()).trim();
      const res = await fetch(`${BASE_URL}/api/v1/articles`, { headers: { Authorization: `Bearer ${value}` } });
      assert.equal(res.status, 200, 'the key shown once works');
      await reviewScreen(page, 'api-keys');
      // Revoked (after a confirmation), it stops working at once.
      page.once('dialog', (d) => d.accept());
      await page.getByRole('button', { name: 'Revoke Website frontend' }).click();
      await page.getByText('No API keys yet.').waitFor();
      const revoked = await fetch(`${BASE_URL}/api/v1/articles`, { headers: { Authorization: `Bearer ${value}` } });
      assert.equal(revoked.status, 401, 'a revoked key is refused');

      // A user disabled on the Users screen can no longer sign in.
      await openScreen(page, 'Users');
      await page.getByRole('button', { name: `Edit ${EDITOR.email}` }).click();
      await page.getByRole('checkbox', { name: 'Disabled (cannot sign in)' }).check();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('row', { name: new RegExp(`${EDITOR.email}.*disabled`) }).waitFor();
      assert.equal((await apiLogin(EDITOR)).status, 401, 'a disabled user cannot sign in');
      await page.getByRole('button', { name: `Edit ${EDITOR.email}` }).click();
      await page.getByRole('checkbox', { name: 'Disabled (cannot sign in)' }).uncheck();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('row', { name: new RegExp(`${EDITOR.email}.*enabled`) }).waitFor();
    });
  });

  test('the article list pages, searches and filters by tag and author', EACH, async () => {
    // 23 drafts through the API (as the admin), one of them tagged.
    const { token } = await apiLogin(ADMIN);
    const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
    const authors = await (await fetch(`${BASE_URL}/api/v1/authors`)).json();
    const lea = authors.data.find((a) => a.name === 'Lea Moreau');
    for (let i = 1; i <= 23; i += 1) {
      const body = {
        title: i === 7 ? 'Harbour dredging contract awarded' : `Briefing note ${i}`,
        body: `Desk note number ${i}.`, author_id: lea.id, tags: i === 7 ? ['energy'] : [],
      };
      const res = await fetch(`${BASE_URL}/api/v1/articles`, { method: 'POST', headers, body: JSON.stringify(body) });
      assert.equal(res.status, 201);
    }
    await as(undefined, async ({ page }) => {
      await page.getByRole('table').getByRole('caption').filter({ hasText: 'Drafts: 23 articles' }).waitFor();
      assert.equal(await page.getByRole('table').getByRole('row').count(), 21, 'a header and 20 rows');
      await page.getByText('Page 1 of 2').waitFor();
      await page.getByRole('link', { name: 'Next →' }).click();
      await page.getByText('Page 2 of 2').waitFor();
      assert.equal(await page.getByRole('table').getByRole('row').count(), 4);
      await reviewScreen(page, 'articles-drafts-page-2');

      await page.getByRole('searchbox', { name: 'Search' }).fill('dredging');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('link', { name: 'Harbour dredging contract awarded' }).waitFor();
      assert.equal(await page.getByRole('table').getByRole('row').count(), 2);

      await page.getByRole('searchbox', { name: 'Search' }).fill('');
      await page.getByRole('combobox', { name: 'Tag' }).selectOption({ label: 'Energy' });
      await page.getByRole('combobox', { name: 'Author' }).selectOption({ label: 'Lea Moreau' });
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('table').getByRole('caption').filter({ hasText: 'Drafts: 1 article' }).waitFor();
      await page.getByRole('link', { name: 'Harbour dredging contract awarded' }).waitFor();
    });
  });

  test('a contributor writes the story with a live preview and submits it', EACH, async () => {
    await as(CONTRIBUTOR, async ({ page }) => {
      await page.getByRole('link', { name: 'New article' }).click();
      await page.getByRole('heading', { level: 1, name: 'New article' }).waitFor();
      await control(page, 'Title').fill(STORY.title);
      await control(page, 'Body').fill(STORY.body);
      await page.getByRole('combobox', { name: 'Tags' }).fill('energy');
      // The preview is the server's rendering: paragraphs, curly quotes kept.
      const preview = page.getByRole('region', { name: 'Preview' });
      const paragraphs = preview.locator('.preview-body p');
      await paragraphs.nth(3).waitFor();
      assert.match(await paragraphs.nth(2).textContent(), /^“Last August/);
      await preview.getByText(/\d+ words · \d+ min read/).waitFor();
      await page.getByRole('button', { name: 'Create draft' }).click();
      await badge(page).filter({ hasText: 'Draft' }).waitFor();
      made.id = Number(new URL(page.url()).hash.split('/').pop());
      assert.ok(made.id > 0, page.url());
      // A contributor may submit, not publish.
      assert.equal(await page.getByRole('button', { name: 'Publish now' }).count(), 0);

      // Unsaved changes: leaving asks first; a reload keeps them in the browser.
      await control(page, 'Excerpt').fill('A second field covers a fifth of peak demand.');
      const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.type()); d.dismiss(); }));
      await page.getByRole('link', { name: 'Articles', exact: true }).first().click();
      assert.equal(await asked, 'confirm');
      await page.getByRole('heading', { level: 1, name: STORY.title }).waitFor();
      page.once('dialog', (d) => d.accept());
      await page.reload();
      await page.getByRole('region', { name: 'Unsaved changes' }).waitFor();
      await shot(page, 'editor-unsaved-changes-offered');
      await page.getByRole('button', { name: 'Restore them' }).click();
      assert.equal(await control(page, 'Excerpt').inputValue(), 'A second field covers a fifth of peak demand.');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      await reviewScreen(page, 'editor');
      await page.getByRole('button', { name: 'Submit for review' }).click();
      await badge(page).filter({ hasText: 'In review' }).waitFor();
      await shot(page, 'editor-submitted');
      const { status } = await publicGet(`/articles/${made.id}`);
      assert.equal(status, 404, 'not public before it is published');
    });
  });

  test('an editor publishes it from the review queue; it is in the public API', EACH, async () => {
    await as(EDITOR, async ({ page }) => {
      await page.getByRole('link', { name: 'In review' }).click();
      await reviewScreen(page, 'articles-in-review');
      await page.getByRole('link', { name: STORY.title }).click();
      await badge(page).filter({ hasText: 'In review' }).waitFor();
      await page.getByRole('button', { name: 'Publish now' }).click();
      await badge(page).filter({ hasText: 'Published' }).waitFor();
      await shot(page, 'editor-published');
      const { status, body } = await publicGet(`/articles/${made.id}`);
      assert.equal(status, 200);
      assert.equal(body.title, STORY.title);
      assert.equal(body.status, 'published');
      assert.equal(body.excerpt, 'A second field covers a fifth of peak demand.');
      assert.ok(body.body_html.includes('“Last August we came within a few megawatts'), body.body_html);
      made.slug = body.slug;
    });
  });

  test('an editor approves a reader comment from the moderation queue', EACH, async () => {
    await postComment('Sam Okafor', 'sam@example.org', 'Our bill went up 14% last summer. Will the new field help?');
    assert.equal((await publicGet(`/articles/${made.slug}/comments`)).body.data.length, 0);

    await as(EDITOR, async ({ page }) => {
      await openScreen(page, 'Comments');
      await page.getByRole('cell', { name: /Our bill went up/ }).waitFor();
      assert.equal(await page.getByText('sam@example.org').count(), 0, 'no commenter email on screen');
      await reviewScreen(page, 'comments-pending');
      await page.getByRole('checkbox', { name: 'Choose the comment by Sam Okafor' }).check();
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByRole('status').filter({ hasText: 'Approve: 1 comment' }).waitFor();
      await page.getByText('No pending comments.').waitFor();
      await shot(page, 'comments-after-approval');
    });
    const thread = await publicGet(`/articles/${made.slug}/comments`);
    assert.equal(thread.body.data.length, 1);
    assert.equal(thread.body.data[0].author_name, 'Sam Okafor');
  });

  test('a save from a second tab meets a 412 and overwrites knowingly', EACH, async () => {
    await as(EDITOR, async ({ context, page: first }) => {
      const url = `${ADMIN_URL}#/articles/${made.id}`;
      await first.goto(url);
      await badge(first).waitFor();
      const second = await context.newPage();
      await second.goto(url);
      await badge(second).waitFor();

      await control(first, 'Title').fill(`${STORY.title} (updated)`);
      await first.getByRole('button', { name: 'Save', exact: true }).click();
      await first.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      await control(second, 'Excerpt').fill('Edited in the second tab.');
      await second.getByRole('button', { name: 'Save', exact: true }).click();
      const conflict = second.getByRole('alert').filter({ hasText: 'Someone else saved this article' });
      await conflict.waitFor();
      const rows = await conflict.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.textContent)));
      assert.deepEqual(rows, [['Title', 'them'], ['Excerpt', 'you']], 'who changed which field');
      await checkAxe(second, 'conflict');
      await shot(second, 'editor-conflict-412');

      // The second tab's change wins; the first tab's other change stays.
      await second.getByRole('button', { name: 'Overwrite with mine' }).click();
      await second.getByRole('status').filter({ hasText: /Saved/ }).waitFor();
      const { body } = await publicGet(`/articles/${made.id}`);
      assert.equal(body.excerpt, 'Edited in the second tab.');
      assert.equal(body.title, `${STORY.title} (updated)`);
      assert.equal(await control(second, 'Title').inputValue(), `${STORY.title} (updated)`, 'the screen shows what is stored');
      await second.close();
    });
  });

  test('revisions list every version and restore one', EACH, async () => {
    await as(EDITOR, async ({ page }) => {
      await page.goto(`${ADMIN_URL}#/articles/${made.id}`);
      await badge(page).waitFor();
      await page.getByText('Revisions', { exact: true }).click();
      const restore = page.getByRole('button', { name: /^Restore version \d+$/ }).first();
      await restore.waitFor();
      await reviewScreen(page, 'editor-revisions');
      const before = (await publicGet(`/articles/${made.id}`)).body.version;
      await restore.click();
      await page.getByRole('status').filter({ hasText: /Restored version/ }).waitFor();
      assert.equal((await publicGet(`/articles/${made.id}`)).body.version, before + 1);
    });
  });

  test('an editor uploads a featured image and schedules a story in their own time zone', EACH, async () => {
    await as(EDITOR, async ({ page }) => {
      await page.getByRole('link', { name: 'New article' }).click();
      await control(page, 'Title').fill('Offshore wind tender draws bids from seven consortia');
      await control(page, 'Body').fill('Seven consortia have bid for the first offshore wind lease off the Halmar coast.');
      // This editor has no author profile: the API's refusal shows at the field.
      await page.getByRole('button', { name: 'Create draft' }).click();
      const author = page.getByRole('combobox', { name: 'Author', exact: true });
      await page.locator('[data-field="author_id"] .error').filter({ hasText: 'Choose an author' }).waitFor();
      assert.equal(await author.getAttribute('aria-invalid'), 'true');
      await author.selectOption({ label: 'Lea Moreau' });
      await page.getByRole('button', { name: 'Create draft' }).click();
      await badge(page).filter({ hasText: 'Draft' }).waitFor();
      const id = Number(new URL(page.url()).hash.split('/').pop());

      // Any PNG will do: a piece of the page itself.
      const png = await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } });
      await page.getByLabel('Upload a new image').setInputFiles({ name: 'harbour-at-dawn.png', mimeType: 'image/png', buffer: png });
      await page.getByRole('status').filter({ hasText: 'Image uploaded' }).waitFor();
      const chosen = await page.getByRole('combobox', { name: 'Featured image', exact: true }).inputValue();
      assert.ok(Number(chosen) > 0, 'the upload is the featured image');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();

      // 09:30 in New York on 1 June 2030 is 13:30 UTC (daylight saving time).
      await page.getByLabel('Publish at (America/New_York)').fill('2030-06-01T09:30');
      await page.getByRole('button', { name: 'Schedule', exact: true }).click();
      await badge(page).filter({ hasText: 'Scheduled' }).waitFor();
      await reviewScreen(page, 'editor-scheduled');

      const { token } = await apiLogin(EDITOR);
      const res = await fetch(`${BASE_URL}/api/v1/articles/${id}`, { headers: { Authorization: `Bearer ${token}` } });
      const article = await res.json();
      assert.equal(article.status, 'scheduled');
      assert.equal(new Date(article.publish_at).toISOString(), '2030-06-01T13:30:00.000Z');
      assert.equal(article.featured_image_id, Number(chosen));
    }, { timezoneId: 'America/New_York' });
  });

  test('keyboard only: an editor moderates a comment, with the focus always visible', EACH, async () => {
    await postComment('Noor Haddad', 'noor@example.org', 'Is there a map of the new field?');

    await as(EDITOR, async ({ page }) => {
      const link = signedInFrame(page).nav.getByRole('link', { name: 'Comments', exact: true });
      await tabTo(page, link);
      const outline = await link.evaluate((el) => {
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      assert.equal(outline.style, 'solid', 'a focused link shows an outline');
      assert.ok(outline.width >= 2, `outline ${outline.width}px`);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: 'Comments' }).waitFor();
      const box = page.getByRole('checkbox', { name: 'Choose the comment by Noor Haddad' });
      await tabTo(page, box);
      await page.keyboard.press('Space');
      assert.ok(await box.isChecked());
      await tabTo(page, page.getByRole('button', { name: 'Approve' }));
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'Approve: 1 comment' }).waitFor();
    });
    const thread = await publicGet(`/articles/${made.slug}/comments`);
    assert.ok(thread.body.data.some((c) => c.author_name === 'Noor Haddad'));
  });

  test('an editor moves a story to the trash and restores it from the Trash tab', EACH, async () => {
    await as(EDITOR, async ({ page }) => {
      await page.goto(`${ADMIN_URL}#/articles/${made.id}`);
      await badge(page).filter({ hasText: 'Published' }).waitFor();
      await page.getByRole('button', { name: 'Move to the trash' }).click();
      await page.getByRole('heading', { level: 1, name: 'Articles' }).waitFor();
      assert.equal((await publicGet(`/articles/${made.id}`)).status, 404, 'gone from the public API');
      const restore = page.getByRole('button', { name: `Restore “${STORY.title} (updated)”` });
      await restore.waitFor();
      await reviewScreen(page, 'articles-trash');
      await restore.click();
      await badge(page).filter({ hasText: 'Published' }).waitFor();
      assert.equal((await publicGet(`/articles/${made.id}`)).status, 200, 'public again');
    });
  });

  test('an admin reads the audit log, filtered by target', EACH, async () => {
    await as(undefined, async ({ page }) => {
      await openScreen(page, 'Audit log');
      await page.getByRole('cell', { name: 'article.publish' }).first().waitFor();
      await reviewScreen(page, 'audit-log');
      await page.getByRole('combobox', { name: 'Target' }).fill(`article:${made.id}`);
      await page.getByRole('button', { name: 'Filter' }).click();
      // The filtered page replaces the full one when it has loaded.
      await page.waitForFunction((wanted) => {
        const cells = [...document.querySelectorAll('td[data-label="Target"]')];
        return cells.length > 0 && cells.every((td) => td.textContent === wanted);
      }, `article ${made.id}`);
      await page.getByRole('cell', { name: 'article.create' }).waitFor();
      const targets = await page.locator('td[data-label="Target"]').allTextContents();
      assert.ok(targets.length >= 5, `${targets.length} events`);
      assert.deepEqual([...new Set(targets)], [`article ${made.id}`], 'only that article');
      // The contributor's create, by name: who did it is shown as an email.
      await page.getByRole('row', { name: new RegExp(`${CONTRIBUTOR.email}.*article\\.create`) }).waitFor();
    });
  });

  test('a user changes their password on the Account screen', EACH, async () => {
    await as(CONTRIBUTOR, async ({ page }) => {
      await page.getByRole('link', { name: /^Your account:/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
      await page.getByLabel('Current password').fill('not my password at all');
      await page.getByLabel('New password').fill('harbour lights at dusk 2030');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.locator('[data-field="current_password"] .error').filter({ hasText: 'not your current password' }).waitFor();
      await reviewScreen(page, 'account');
      await page.getByLabel('Current password').fill(CONTRIBUTOR.password);
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Your password is changed').waitFor();
      CONTRIBUTOR.password = 'harbour lights at dusk 2030';
      await signIn(page, CONTRIBUTOR);
    });
  });

  test('signing out after the access token expired still ends the session', EACH, async () => {
    await as(CONTRIBUTOR, async ({ context, page }) => {
      // The page sat idle: its in-memory access token has expired. The
      // first logout is sent with a dead token; the admin must renew it
      // and sign out for real.
      let spoiled = 0;
      await page.route('**/api/v1/auth/logout', async (route) => {
        if (spoiled++ > 0) return route.continue();
        const headers = { ...route.request().headers(), authorization: 'Bearer expired.token.value' };
        return route.continue({ headers });
      });
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(spoiled, 2, 'the logout was retried with a renewed token');
      await page.reload();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await refreshCookie(context), undefined);
    });
  });

  test('signing out ends the session on the server', EACH, async () => {
    await as(CONTRIBUTOR, async ({ context, page }) => {
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      await page.reload();
      await page.getByRole('button', { name: 'Sign in', exact: true }).waitFor();
      assert.equal(await refreshCookie(context), undefined);
    });
  });
});
