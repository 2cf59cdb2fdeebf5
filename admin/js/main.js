// Start-up: restore the session, draw the frame, route to screens.

import { whenSignedOut } from './api.js';
import { h, fill, announce, focusHeading } from './dom.js';
import * as drafts from './drafts.js';
import * as router from './router.js';
import * as session from './session.js';
import { loginView } from './views/login.js';
import { articlesView } from './views/articles.js';
import { editorView } from './views/editor.js';
import { commentsView } from './views/comments.js';
import { mediaView } from './views/media.js';
import { authorsView, tagsView } from './views/taxonomy.js';
import { usersView } from './views/users.js';
import { apiKeysView } from './views/api_keys.js';
import { webhooksView, deliveriesView } from './views/webhooks.js';
import { auditView } from './views/audit.js';
import { accountView } from './views/account.js';

const main = document.getElementById('main');
const top = document.getElementById('top');

router.route('/articles', articlesView);
router.route('/articles/new', editorView);
router.route('/articles/:id', editorView);
router.route('/comments', commentsView);
router.route('/media', mediaView);
router.route('/authors', authorsView);
router.route('/tags', tagsView);
router.route('/users', usersView);
router.route('/api-keys', apiKeysView);
router.route('/webhooks', webhooksView);
router.route('/webhooks/:id', deliveriesView);
router.route('/audit', auditView);
router.route('/account', (screen) => accountView(screen, {
  onPasswordChanged: () => showLogin('Your password is changed and every session has ended: sign in with the new one.'),
}));

/** The navigation, by role. */
function links() {
  return [
    ['/articles', 'Articles', true],
    ['/comments', 'Comments', session.atLeast('editor')],
    ['/media', 'Media', true],
    ['/authors', 'Authors', true],
    ['/tags', 'Tags', true],
    ['/users', 'Users', session.atLeast('admin')],
    ['/api-keys', 'API keys', session.atLeast('admin')],
    ['/webhooks', 'Webhooks', session.atLeast('admin')],
    ['/audit', 'Audit log', session.atLeast('admin')],
  ].filter(([, , shown]) => shown);
}

function drawFrame() {
  const user = session.user;
  fill(top,
    h('a', { class: 'brand', href: '#/articles' }, 'CMS admin'),
    h('nav', { 'aria-label': 'Main' },
      h('ul', {}, links().map(([path, label]) => h('li', {}, h('a', { href: `#${path}`, 'data-path': path }, label))))),
    h('div', { class: 'who' },
      h('a', { class: 'me', href: '#/account' },
        h('span', { class: 'visually-hidden' }, 'Your account: '), user.email, ' ', h('span', { class: 'role' }, user.role)),
      h('button', { type: 'button', class: 'quiet', onclick: signOut }, 'Sign out')));
  top.hidden = false;
}

function markCurrentLink() {
  const path = location.hash.replace(/^#/, '').split('?')[0] || '/articles';
  for (const a of top.querySelectorAll('nav a')) {
    const here = path === a.dataset.path || path.startsWith(`${a.dataset.path}/`);
    if (here) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

let shown = 0;
/**
 * Draws a screen off-page, then swaps it in: a slow screen that finishes
 * after the user has moved on is dropped, never drawn over the newer one.
 */
async function show(view, params) {
  if (!session.user) return;
  const ticket = ++shown;
  markCurrentLink();
  const screen = h('div', { class: 'screen' });
  if (!view) {
    fill(screen, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/articles' }, 'Back to the articles')));
  } else {
    try {
      await view(screen, params);
    } catch (error) {
      fill(screen, h('h1', {}, 'Something went wrong'), h('p', { role: 'alert' }, error.message));
    }
  }
  if (ticket !== shown || !session.user) return;
  main.replaceChildren(screen);
  focusHeading(screen);
  const heading = screen.querySelector('h1');
  document.title = `${heading ? heading.textContent : 'CMS'} · CMS admin`;
}

async function signOut() {
  if ((router.hasUnsaved() || drafts.count())
    && !confirm('Unsaved changes kept in this browser are deleted when you sign out. Sign out anyway?')) return;
  try {
    await session.signOut();
  } catch (problem) {
    announce(`Not signed out: ${problem.message}`, 'error');
    return;
  }
  router.setLeaveGuard(null);
  showLogin('You are signed out.');
}

function showLogin(message) {
  top.hidden = true;
  top.replaceChildren();
  document.title = 'Sign in · CMS admin';
  loginView(main, { message, onSignedIn: enter });
}

let started = false;
function enter() {
  drawFrame();
  // The sign-in form goes at once; the first screen follows when loaded.
  fill(main, h('p', { class: 'loading' }, 'Loading…'));
  if (started) router.dispatch(); else { started = true; router.start(show); }
}

whenSignedOut(() => {
  if (!session.user) return;
  session.forget();
  announce('Your session has ended. Please sign in again.', 'error');
  showLogin('Your session has ended. Please sign in again; unsaved text is kept in this browser.');
});

const user = await session.restore();
if (user) enter(); else showLogin();
