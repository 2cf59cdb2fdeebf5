// Shared pieces of the browser tests: Debian's Chromium driven by
// playwright-core, screenshots, axe-core accessibility checks, a collector of
// JavaScript errors and CSP violations, and the sign-in steps every flow
// starts from. scripts/browser-tests sets the environment read here.

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run the tests with scripts/browser-tests)`);
  return value;
}

/** The server under test, e.g. http://localhost:8123 (no trailing slash). */
export const BASE_URL = required('BASE_URL').replace(/\/+$/, '');
/** The admin URL every flow starts from. */
export const ADMIN_URL = `${BASE_URL}/admin/`;
/** The account scripts/browser-tests created with `cms create-admin`. */
export const ADMIN = { email: required('ADMIN_EMAIL'), password: required('ADMIN_PASSWORD') };

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR
  ?? path.resolve(here, '../../target/browser/screenshots');

/** Viewports: a laptop and a small phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

/** Milliseconds an action or expectation waits before failing. */
const TIMEOUT_MS = Number(process.env.BROWSER_TIMEOUT_MS ?? 10000);

/**
 * Debian's Chromium, headless. The network flags matter: the machine has no
 * internet, and without them Chromium keeps trying to reach Google's
 * services (updates, sync, field trials) in the background.
 */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', // CI runs as root, where the sandbox cannot start
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A fresh browser profile (no cookies, no storage) with one page, watched
 * for errors. Returns { context, page, errors }; call `errors.assertNone()`
 * at the end of a test (newSession's `close` does it).
 */
export async function newSession(browser, { viewport = DESKTOP, timezoneId } = {}) {
  const context = await browser.newContext({ viewport, locale: 'en-GB', ...(timezoneId ? { timezoneId } : {}) });
  context.setDefaultTimeout(TIMEOUT_MS);
  context.setDefaultNavigationTimeout(TIMEOUT_MS);
  const page = await context.newPage();
  const errors = await watchErrors(page);
  return {
    context,
    page,
    errors,
    /** Closes the profile, then fails if the page logged an error. */
    async close() {
      await context.close();
      errors.assertNone();
    },
  };
}

/**
 * Collects what must never happen on an admin page: uncaught exceptions,
 * console.error calls, CSP violations, failed loads. Chromium reports a CSP
 * violation as a console error ("Refused to …"), and an init script (run by
 * the DevTools protocol, so not subject to the page's CSP) also logs every
 * `securitypolicyviolation` event, so none can go unnoticed.
 *
 * Allowed: Chromium's "Failed to load resource: … status of 4xx" lines. The
 * admin gets 401 for a wrong password or a session restore without a cookie
 * and must handle them; the tests check what the user then sees. A 5xx or a
 * network failure still counts.
 */
export async function watchErrors(page) {
  const seen = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  page.on('pageerror', (error) => seen.push(`uncaught exception: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/^Failed to load resource: the server responded with a status of 4\d\d\b/.test(text)) return;
    const where = message.location()?.url ? ` (${message.location().url}:${message.location().lineNumber})` : '';
    seen.push(`console error: ${text}${where}`);
  });
  // The admin works with no network beyond its server: nothing else is asked.
  const own = new URL(BASE_URL).origin;
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== own) {
      seen.push(`request to another host: ${request.method()} ${request.url()}`);
    }
  });
  page.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'failed';
    // A navigation or reload cancels the requests of the page it leaves.
    if (failure === 'net::ERR_ABORTED') return;
    seen.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
  });
  return {
    list: seen,
    assertNone() {
      assert.deepEqual(seen, [], `the page reported errors:\n  ${seen.join('\n  ')}`);
    },
  };
}

let shotNumber = 0;
/** Saves a full-page PNG as target/browser/screenshots/<file>-NN-name.png; returns its path. */
export async function shot(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  shotNumber += 1;
  // Each test file runs in its own process: its name keeps the numbers apart.
  const suite = path.basename(process.argv[1] ?? 'run').replace(/\.test\.mjs$/, '');
  const file = path.join(SCREENSHOT_DIR, `${suite}-${String(shotNumber).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core on the page as it is now and fails on any violation (of
 * any impact), naming the rule and the elements.
 *
 * Injection: the admin's CSP is `script-src 'self'`, so a <script> with
 * inline content (page.addScriptTag({content}) or ({path}), which inlines
 * the file) would be refused, and would itself show up as a CSP violation.
 * page.evaluate runs the source through the DevTools protocol, which CSP
 * does not govern, so the page keeps its real policy for everything else
 * (no bypassCSP context, which would hide the admin's own violations).
 */
export async function checkAxe(page, screenName) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) {
    await page.evaluate(AXE_SOURCE);
  }
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    resultTypes: ['violations'],
  }));
  const describe = (v) => `${v.id} (${v.impact}): ${v.help}\n      ${v.nodes.map((n) => n.target.join(' ')).join('\n      ')}`;
  assert.ok(results.passes.length > 0, `axe on "${screenName}" checked nothing`);
  // The issue asks for no serious or critical violation; the admin has
  // none of any impact, and keeps it that way.
  assert.equal(results.violations.length, 0,
    `axe on "${screenName}": ${results.violations.length} violation(s):\n    ${results.violations.map(describe).join('\n    ')}`);
  return results;
}

/** Waits until `locator` is the focused element (keyboard tests). */
export async function isFocused(locator) {
  return locator.evaluate((el) => el === document.activeElement);
}

/**
 * The sign-in form's parts, as a user finds them (label, role, name). Not
 * `exact` labels: Playwright matches a label's whole text, which includes
 * the aria-hidden " *" of a required field.
 */
export function signInForm(page) {
  return {
    email: page.getByLabel('Email'),
    password: page.getByLabel('Password'),
    submit: page.getByRole('button', { name: 'Sign in', exact: true }),
  };
}

/** What marks the signed-in frame: the main navigation and the sign-out button. */
export function signedInFrame(page) {
  return {
    nav: page.getByRole('navigation'),
    signOut: page.getByRole('button', { name: 'Sign out', exact: true }),
  };
}

/** Opens the admin and signs in through the form; resolves once the frame shows. */
export async function signIn(page, { email = ADMIN.email, password = ADMIN.password } = {}) {
  await page.goto(ADMIN_URL);
  const form = signInForm(page);
  await form.email.fill(email);
  await form.password.fill(password);
  await form.submit.click();
  await signedInFrame(page).signOut.waitFor({ state: 'visible' });
}

/**
 * Chromium's view of the session cookie (undefined when there is none). All
 * of the profile's cookies are searched: filtering by BASE_URL would miss
 * one scoped to a path such as /api/v1/auth.
 */
export async function refreshCookie(context) {
  return (await context.cookies()).find((c) => c.name === 'cms_refresh');
}

/** Signs in through the API, as a non-browser client would: `{status, token}`. */
export async function apiLogin(user = ADMIN) {
  const res = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: user.email, password: user.password }),
  });
  const body = await res.json();
  return { status: res.status, token: body.access_token };
}

/**
 * Runs `body(session)` in a fresh profile, signed in as `user` first (the
 * admin by default; `null`: not signed in), then fails if the page logged
 * an error. A failure leaves a screenshot named after `label` (a test's
 * name) and adds the page's errors to the message, since they often
 * explain a failed step. Other options go to `newSession`.
 */
export async function inSession(browser, { user = ADMIN, label = 'step', ...options }, body) {
  const session = await newSession(browser, options);
  try {
    if (user) await signIn(session.page, user);
    await body(session);
  } catch (error) {
    const name = `FAILED-${label.replace(/[^a-z0-9]+/gi, '-').slice(0, 40).replace(/-+$/, '')}`;
    const file = await shot(session.page, name).catch(() => null);
    let extra = file ? `\n(screen at the failure: ${path.relative(process.cwd(), file)})` : '';
    if (session.errors.list.length) {
      extra += `\n(the page also reported:\n  ${session.errors.list.join('\n  ')})`;
    }
    // The reporter prints the stack, which holds the message as it was.
    error.message += extra;
    if (typeof error.stack === 'string') error.stack += extra;
    await session.context.close().catch(() => {});
    throw error;
  }
  await session.close();
}

/** Follows a main-navigation link and waits for the screen's heading. */
export async function openScreen(page, link, heading = link) {
  await signedInFrame(page).nav.getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

/**
 * Checks a screen with axe and photographs it at desktop size, then at
 * 375 px, where it must not scroll sideways.
 */
export async function reviewScreen(page, name) {
  await checkAxe(page, name);
  await shot(page, name);
  const size = page.viewportSize();
  await page.setViewportSize(PHONE);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= PHONE.width, `${name} scrolls sideways at 375 px (${width} px wide)`);
  await checkAxe(page, `${name} (375 px)`);
  await shot(page, `${name}-375px`);
  await page.setViewportSize(size);
}

/** Presses Tab until `locator` has the focus (keyboard-only use). */
export async function tabTo(page, locator, most = 60) {
  for (let i = 0; i < most; i += 1) {
    if (await isFocused(locator)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached ${locator}`);
}
