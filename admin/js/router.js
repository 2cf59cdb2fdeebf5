// Screens by URL fragment (#/articles/12), with a guard against leaving
// unsaved changes behind.

const routes = [];
let guard = null;
let current = location.hash;
let render = () => {};

/** `route('/articles/:id', (params) => view)`. */
export function route(pattern, view) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name) => { names.push(name); return '([^/]+)'; })}$`);
  routes.push({ regex, names, view });
}

/** While `isDirty()` is true, leaving the screen asks first. */
export function setLeaveGuard(isDirty) { guard = isDirty; }

/** Whether the screen holds changes not yet saved. */
export function hasUnsaved() { return Boolean(guard && guard()); }

/** Asks before losing unsaved changes; true when it is fine to go on. */
export function mayLeave(question = 'You have unsaved changes. Leave anyway? (A copy stays in this browser until you sign out.)') {
  return !hasUnsaved() || confirm(question);
}

export function go(path) { location.hash = `#${path}`; }

/** Names the current screen anew without leaving it (a new article got its id). */
export function replace(path) {
  current = `#${path}`;
  history.replaceState(null, '', current);
}

/** Starts routing; `show(view, params)` renders a screen. */
export function start(show) {
  render = show;
  window.addEventListener('hashchange', () => {
    if (location.hash === current) return;
    if (!mayLeave()) { history.replaceState(null, '', current); return; }
    dispatch();
  });
  window.addEventListener('beforeunload', (event) => {
    if (hasUnsaved()) { event.preventDefault(); event.returnValue = ''; }
  });
  dispatch();
}

export function dispatch() {
  guard = null;
  current = location.hash;
  let path;
  try {
    path = decodeURIComponent(location.hash.replace(/^#/, '').split('?')[0]) || '/articles';
  } catch {
    path = '/not-found';
  }
  for (const { regex, names, view } of routes) {
    const match = path.match(regex);
    if (match) {
      const params = Object.fromEntries(names.map((n, i) => [n, match[i + 1]]));
      params.query = new URLSearchParams(location.hash.split('?')[1] || '');
      return render(view, params);
    }
  }
  return render(null, {});
}
