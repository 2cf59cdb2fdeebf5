// Building the page: elements, labelled form fields, errors next to their
// fields, and announcements for screen readers. No HTML strings are built
// here: text always goes in as text.

let uid = 0;

/** An element: h('button', {type: 'button', onclick: f}, 'Save'). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key in PROPS) el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}
const PROPS = { value: 1, checked: 1, selected: 1, disabled: 1, hidden: 1 };

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * A labelled input with its hint and error slot:
 * field({name: 'title', label: 'Title', required: true}).
 * `type` may be 'textarea', 'select' (with `options: [[value, text]]`) or
 * 'checkbox'; the control is `.control`, the wrapper is returned.
 */
export function field({ name, label, type = 'text', value = '', hint, options = [], ...rest }) {
  const id = `f-${name}-${++uid}`;
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : undefined;
  const described = [hintId, errorId].filter(Boolean).join(' ');
  let control;
  if (type === 'textarea') {
    control = h('textarea', { id, name, 'aria-describedby': described, ...rest });
    control.value = value ?? '';
  } else if (type === 'select') {
    control = h('select', { id, name, 'aria-describedby': described, ...rest },
      options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value ?? '') }, text)));
  } else if (type === 'checkbox') {
    control = h('input', { id, name, type, checked: Boolean(value), 'aria-describedby': described, ...rest });
  } else {
    control = h('input', { id, name, type, value: value ?? '', 'aria-describedby': described, ...rest });
  }
  const wrapper = h('div', { class: `field field-${type}`, 'data-field': name },
    type === 'checkbox'
      ? [control, h('label', { for: id }, label)]
      : [h('label', { for: id }, label, rest.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null), control],
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'error', id: errorId }));
  wrapper.control = control;
  return wrapper;
}

/** The values of a form's named controls, as strings (checkboxes as booleans). */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

/** The problem+json body of a failed request (or its message as `detail`). */
export function problemBody(problem) {
  return problem.body || { detail: problem.message };
}

/** Clears the errors a form shows. */
export function clearErrors(form) {
  for (const p of form.querySelectorAll('.field .error')) p.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const alert = form.querySelector(':scope > .form-alert');
  if (alert) alert.remove();
}

/**
 * Shows an API problem on a form: each `errors[]` entry next to its field
 * (focusing the first), the rest in an alert at the top of the form.
 */
export function showProblem(form, problem) {
  clearErrors(form);
  const loose = [];
  let first = null;
  for (const { field: name, message } of problem.errors || []) {
    const wrapper = name && form.querySelector(`[data-field="${CSS.escape(name.split(/[.[]/)[0])}"]`);
    if (!wrapper) { loose.push(`${name}: ${message}`); continue; }
    const error = wrapper.querySelector('.error');
    error.textContent = error.textContent ? `${error.textContent} ${message}` : message;
    wrapper.control.setAttribute('aria-invalid', 'true');
    first = first || wrapper.control;
  }
  const summary = problem.errors?.length ? 'Please correct the marked fields.' : problem.detail || problem.title;
  form.prepend(h('div', { class: 'form-alert', role: 'alert' }, summary, loose.length ? h('ul', {}, loose.map((l) => h('li', {}, l))) : null));
  (first || form.querySelector('.form-alert')).focus?.();
}

/** Says something to everyone, screen readers included. */
export function announce(message, kind = 'ok') {
  const status = document.getElementById('status');
  status.dataset.kind = kind;
  status.textContent = '';
  // A change of text is what screen readers announce.
  requestAnimationFrame(() => { status.textContent = message; });
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { status.textContent = ''; }, 6000);
}

/** A date-time as the reader's locale writes it. */
export function when(iso) {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A button that runs an async action, disabled while it runs. */
export function action(label, run, attrs = {}) {
  const button = h('button', { type: 'button', ...attrs }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try { await run(button); } finally { button.disabled = false; }
  });
  return button;
}

/** Moves the focus to a screen's heading (after it is redrawn). */
export function focusHeading(root) {
  const heading = root.querySelector('h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}

/** A control with its name above it, for filter rows. */
export function labelled(text, control) {
  return h('label', { class: 'inline' }, h('span', {}, text), control);
}

/** "← Previous · Page n of m · Next →"; `href(n)` links page n. Nothing for one page. */
export function pager(page, pages, href) {
  if (pages <= 1) return null;
  return h('nav', { class: 'pager', 'aria-label': 'Pages' },
    page > 1 ? h('a', { href: href(page - 1), rel: 'prev' }, '← Previous') : h('span'),
    h('span', {}, `Page ${page} of ${pages}`),
    page < pages ? h('a', { href: href(page + 1), rel: 'next' }, 'Next →') : h('span'));
}

/** The browser's time zone, as date-time labels name it. */
export const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;

/** A `datetime-local` value (the browser's time zone) as an RFC 3339 instant. */
export function fromLocalInput(value) {
  return new Date(value).toISOString();
}

/** An instant as a `datetime-local` value in the browser's time zone. */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
