// End-to-end tests of the web admin (/admin/) in Debian's Chromium. Run by
// scripts/browser-tests, which starts a server on a fresh SQLite database,
// creates the admin account and sets BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD.
//
// Each test opens a fresh browser profile (no cookies) and closes it at the
// end, failing if the page logged a JavaScript error or a CSP violation.
// Screens are saved under target/browser/screenshots/ and checked by axe.
// A new flow (articles, editor, moderation, conflicts…) is one more
// `test(…)` in the same shape: `withSession` + `signIn` from helpers.mjs.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  ADMIN, ADMIN_URL, PHONE,
  checkAxe, inSession, isFocused, launchBrowser, refreshCookie, shot, signIn, signInForm,
  signedInFrame,
} from './helpers.mjs';

/** Each test's limit (node:test's `timeout` of a describe would bound them all together). */
const EACH = { timeout: 60_000 };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** A fresh profile, not signed in; a failure leaves a screenshot named after the test. */
const withSession = (t, options, body) => inSession(browser, { user: null, label: t.name, ...options }, body);

/** The navigation landmark's "Articles" link (there may be more than one nav). */
function articlesLink(page) {
  return signedInFrame(page).nav.getByRole('link', { name: 'Articles', exact: true }).first();
}

describe('web admin', () => {
  test('GET /admin/ is HTML under a strict Content-Security-Policy', EACH, async () => {
    const res = await fetch(ADMIN_URL);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html\b/);
    const csp = res.headers.get('content-security-policy');
    assert.ok(csp, 'no Content-Security-Policy header');
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean)
      .map((d) => { const [name, ...values] = d.split(/\s+/); return [name.toLowerCase(), values]; }));
    assert.deepEqual(directives['script-src'], ["'self'"], `script-src in: ${csp}`);
    assert.deepEqual(directives['frame-ancestors'], ["'none'"], `frame-ancestors in: ${csp}`);
    assert.ok(!csp.includes("'unsafe-inline'"), `'unsafe-inline' in: ${csp}`);
    assert.ok(!csp.includes("'unsafe-eval'"), `'unsafe-eval' in: ${csp}`);
    await res.arrayBuffer();
  });

  test('sign-in screen: wrong password is refused, the right one opens the admin', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      await page.goto(ADMIN_URL);
      const form = signInForm(page);
      await form.email.waitFor();
      await form.password.waitFor();
      await form.submit.waitFor();
      await shot(page, 'sign-in');
      await checkAxe(page, 'sign-in');

      await form.email.fill(ADMIN.email);
      await form.password.fill('not the password');
      // The alert must answer the server's refusal (401), not some other error.
      const refused = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
      await form.submit.click();
      assert.equal((await refused).status(), 401, 'POST /api/v1/auth/login with a wrong password');
      const alert = page.getByRole('alert').filter({ hasText: /\S/ }).first();
      await alert.waitFor();
      assert.ok((await alert.textContent()).trim().length > 0, 'the alert is empty');
      assert.equal(await signedInFrame(page).signOut.count(), 0, 'signed in with a wrong password');
      await shot(page, 'sign-in-wrong-password');
      await checkAxe(page, 'sign-in, wrong password');

      await form.password.fill(ADMIN.password);
      await form.submit.click();
      await articlesLink(page).waitFor();
      await signedInFrame(page).signOut.waitFor();
      assert.equal(await form.email.count(), 0, 'the sign-in form is still there');
      await shot(page, 'signed-in');
      await checkAxe(page, 'signed in');
    }));

  test('the session survives a reload through an HttpOnly cookie only', EACH, (t) =>
    withSession(t, {}, async ({ page, context }) => {
      await signIn(page);
      const cookie = await refreshCookie(context);
      assert.ok(cookie, `no cms_refresh cookie; cookies: ${JSON.stringify(await context.cookies())}`);
      assert.equal(cookie.httpOnly, true, 'cms_refresh is not HttpOnly');
      assert.equal(cookie.secure, true, 'cms_refresh is not Secure');
      assert.equal(cookie.sameSite, 'Strict', 'cms_refresh is not SameSite=Strict');
      assert.ok(!(await page.evaluate(() => document.cookie)).includes('cms_refresh'),
        'cms_refresh is readable from JavaScript');

      await page.reload();
      await signedInFrame(page).signOut.waitFor();
      await articlesLink(page).waitFor();
      assert.equal(await signInForm(page).email.count(), 0, 'the sign-in form shows after a reload');
      assert.ok(!(await page.evaluate(() => document.cookie)).includes('cms_refresh'),
        'cms_refresh is readable from JavaScript after a reload');
      await shot(page, 'signed-in-after-reload');
    }));

  test('sign out returns to the sign-in form, and a reload stays signed out', EACH, (t) =>
    withSession(t, {}, async ({ page, context }) => {
      await signIn(page);
      await signedInFrame(page).signOut.click();
      const form = signInForm(page);
      await form.email.waitFor();
      await form.submit.waitFor();
      assert.equal(await signedInFrame(page).signOut.count(), 0, 'still a Sign out button');
      assert.equal(await refreshCookie(context), undefined, 'cms_refresh is still set after sign-out');
      await shot(page, 'signed-out');
      await checkAxe(page, 'signed out');

      await page.reload();
      await form.email.waitFor();
      assert.equal(await signedInFrame(page).signOut.count(), 0, 'signed in again after a reload');
    }));

  test('keyboard: Tab reaches Email, Password, Sign in in order; Enter submits', EACH, (t) =>
    withSession(t, {}, async ({ page }) => {
      await page.goto(ADMIN_URL);
      const form = signInForm(page);
      await form.submit.waitFor();
      const seen = [];
      /** Presses Tab until `target` has the focus (at most `limit` times). */
      const tabTo = async (target, name, limit) => {
        for (let i = 0; i < limit; i += 1) {
          await page.keyboard.press('Tab');
          seen.push(await page.evaluate(() => {
            const el = document.activeElement;
            return el ? `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.name ? `[name=${el.name}]` : ''}` : 'none';
          }));
          if (await isFocused(target)) return;
        }
        assert.fail(`Tab did not reach ${name} within ${limit} presses; focus went: ${seen.join(' → ')}`);
      };
      // Before the form: at most a skip link and the like.
      await tabTo(form.email, 'Email', 5);
      await page.keyboard.type(ADMIN.email);
      await tabTo(form.password, 'Password', 1);
      await page.keyboard.type(ADMIN.password);
      // A "show password" toggle may sit between the field and the button.
      await tabTo(form.submit, 'Sign in', 2);
      await page.keyboard.press('Enter');
      await signedInFrame(page).signOut.waitFor();
      await articlesLink(page).waitFor();
    }));

  test('375 px wide: the signed-in screen does not scroll sideways', EACH, (t) =>
    withSession(t, { viewport: PHONE }, async ({ page }) => {
      await signIn(page);
      await articlesLink(page).waitFor({ state: 'attached' });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      await shot(page, 'signed-in-375px');
      assert.ok(width <= PHONE.width, `the page is ${width} px wide at a ${PHONE.width} px viewport`);
      await checkAxe(page, 'signed in, 375 px');
    }));
});
