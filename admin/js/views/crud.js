// One screen shape for the small resources (authors, tags, users, API
// keys): a table, a form to add or change one item, and deletion.

import { all, api } from '../api.js';
import { h, fill, field, showProblem, clearErrors, announce, focusHeading, problemBody, values as formValues } from '../dom.js';

/**
 * spec: {title, noun, path, columns: [[label, item => text|node]],
 *   fields(item|null) => [field options, or a ready element with `.control`
 *   and `data-field`, e.g. a fieldset], canWrite, canEdit (default canWrite),
 *   body(values, item|null) => JSON, created(data, box) (optional)}
 */
export async function crudScreen(main, spec) {
  const items = await all(spec.path);
  const formBox = h('div', { class: 'crud-form' });
  const extra = h('div', {});
  const canEdit = spec.canEdit ?? spec.canWrite;

  function showForm(item) {
    const wrappers = spec.fields(item).map((opts) => (opts instanceof Node ? opts : field(opts)));
    const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'crud-form-heading' },
      h('h2', { id: 'crud-form-heading' }, item ? `Edit ${spec.noun} “${spec.label(item)}”` : `New ${spec.noun}`),
      wrappers,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, item ? 'Save' : `Add ${spec.noun}`),
        item ? h('button', { type: 'button', class: 'quiet', onclick: () => { showForm(null); } }, 'Cancel') : null));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      const values = formValues(form);
      try {
        const { data } = item
          ? await api('PATCH', `${spec.path}/${item.id}`, { body: spec.body(values, item) })
          : await api('POST', spec.path, { body: spec.body(values, null) });
        announce(item ? `${capital(spec.noun)} saved.` : `${capital(spec.noun)} added.`);
        await crudScreen(main, spec);
        focusHeading(main);
        if (!item && spec.created) spec.created(data, main.querySelector('.crud-extra'));
      } catch (problem) {
        showProblem(form, problemBody(problem));
      }
    });
    fill(formBox, form);
    if (item) wrappers[0].control.focus();
  }

  async function remove(item) {
    if (!confirm(`${spec.deleteVerb || 'Delete'} ${spec.noun} “${spec.label(item)}”?`)) return;
    try {
      await api('DELETE', `${spec.path}/${item.id}`);
      announce(`${capital(spec.noun)} ${spec.deletedWord || 'deleted'}.`);
      await crudScreen(main, spec);
      focusHeading(main);
    } catch (problem) {
      fill(extra, h('p', { class: 'form-alert', role: 'alert' }, problem.message));
    }
  }

  fill(main,
    h('h1', {}, spec.title),
    extra,
    h('div', { class: 'crud-extra' }),
    items.length
      ? h('table', {},
        h('caption', {}, `${items.length} ${items.length === 1 ? spec.noun : spec.plural || `${spec.noun}s`}`),
        h('thead', {}, h('tr', {}, spec.columns.map(([label]) => h('th', { scope: 'col' }, label)),
          spec.canWrite ? h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')) : null)),
        h('tbody', {}, items.map((item) => h('tr', {},
          spec.columns.map(([label, show]) => h('td', { 'data-label': label }, show(item) ?? '—')),
          spec.canWrite ? h('td', { class: 'row-actions' },
            canEdit ? h('button', { type: 'button', onclick: () => showForm(item), 'aria-label': `Edit ${spec.label(item)}` }, 'Edit') : null,
            h('button', { type: 'button', class: 'danger', onclick: () => remove(item), 'aria-label': `${spec.deleteVerb || 'Delete'} ${spec.label(item)}` }, spec.deleteVerb || 'Delete')) : null))))
      : h('p', { class: 'empty' }, `No ${spec.plural || `${spec.noun}s`} yet.`),
    spec.canWrite ? formBox : null);
  if (spec.canWrite) showForm(null);
}

/**
 * A secret shown this once (an API key's, a webhook's signing secret),
 * focused, with a Copy button; `more` adds to its explanation.
 */
export function showSecretOnce(box, heading, secret, ...more) {
  const code = h('code', { class: 'secret', tabindex: '0' }, secret);
  fill(box, h('section', { class: 'notice secret-box', role: 'alert', 'aria-labelledby': 'secret-heading' },
    h('h2', { id: 'secret-heading' }, heading),
    h('p', {}, 'Copy it now: it cannot be shown again.', more.length ? [' ', more] : null),
    code,
    h('button', { type: 'button', onclick: async (e) => {
      try { await navigator.clipboard.writeText(secret); e.target.textContent = 'Copied'; } catch { e.target.textContent = 'Select and copy it by hand'; }
    } }, 'Copy')));
  code.focus();
}

function capital(text) { return text[0].toUpperCase() + text.slice(1); }

/** Optional text: empty means "none" (null), or left out of a new item. */
export function optional(values, names, item) {
  const out = {};
  for (const name of names) {
    const value = values[name].trim();
    if (value) out[name] = value;
    // A slug cannot be cleared, only changed.
    else if (item && item[name] && name !== 'slug') out[name] = null;
  }
  return out;
}
