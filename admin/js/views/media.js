// The media library: search, pages of images, upload (authors and up),
// describe (title, alt text, caption, credit) and delete. An image that
// articles use is only deleted after a second, knowing confirmation
// (editors), as the API asks.

import { api, query } from '../api.js';
import { h, fill, field, when, announce, showProblem, clearErrors, problemBody, values, labelled, pager, focusHeading } from '../dom.js';
import * as session from '../session.js';
import { mediaLabel } from './labels.js';

const PER_PAGE = 24;
/** What an image is described by, in the order the forms show them. */
const DESCRIPTION = [
  ['title', 'Title', 'input', 'How the library and the picker name it.'],
  ['alt_text', 'Alternative text', 'textarea', 'What the image shows, for readers who cannot see it.'],
  ['caption', 'Caption', 'textarea', null],
  ['credit', 'Credit', 'input', 'Photographer or agency.'],
];

export async function mediaView(main, { query: params }) {
  const q = params.get('q') || '';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const link = (changes) => `#/media${query({ q, page: 1, ...changes })}`;
  const { data } = await api('GET', `/media${query({ q, page, per_page: PER_PAGE })}`);
  const pages = Math.max(1, Math.ceil(data.meta.total / PER_PAGE));
  const reload = async (message) => {
    await mediaView(main, { query: params });
    focusHeading(main);
    if (message) announce(message);
  };

  const search = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search the media library' },
    labelled('Search', h('input', { type: 'search', name: 'q', value: q })),
    h('button', { type: 'submit' }, 'Search'));
  search.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = link({ q: new FormData(search).get('q').trim() });
  });

  const total = data.meta.total;
  fill(main,
    h('h1', {}, 'Media library'),
    session.atLeast('author') ? uploadForm(reload) : null,
    search,
    data.data.length
      ? h('ul', { class: 'media-grid', 'aria-label': `${total} ${total === 1 ? 'image' : 'images'}` },
        data.data.map((item) => h('li', {}, mediaCard(item, reload))))
      : h('p', { class: 'empty' }, q ? 'No image matches.' : 'The library is empty.'),
    pager(page, pages, (n) => link({ page: n })));
}

/** The upload form: the file and its description, in one request. */
function uploadForm(reload) {
  const file = field({ name: 'file', label: 'Image', type: 'file', required: true,
    accept: 'image/jpeg,image/png,image/webp,image/gif',
    hint: 'JPEG, PNG, WebP or GIF. Metadata (camera, GPS) is removed on upload.' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'upload-heading' },
    h('h2', { id: 'upload-heading' }, 'Upload an image'),
    h('div', { class: 'two-columns' }, file, descriptionFields({})),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Upload')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const chosen = file.control.files[0];
    if (!chosen) {
      showProblem(form, { errors: [{ field: 'file', message: 'choose an image to upload' }] });
      return;
    }
    const body = new FormData();
    body.append('file', chosen);
    for (const [name, value] of Object.entries(values(form))) {
      if (name !== 'file' && value.trim()) body.append(name, value.trim());
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const { status, data } = await api('POST', '/media', { body });
      if (status === 201) {
        await reload(`“${mediaLabel(data)}” uploaded.`);
        return;
      }
      // The same bytes were stored before: that item is answered as it is,
      // and what was typed here stays, for its Describe form.
      showProblem(form, {
        detail: `This image is already in the library, as “${mediaLabel(data)}”: nothing was uploaded and its description was not changed. Use Describe on it to change the description.`,
      });
    } catch (problem) {
      showProblem(form, problemBody(problem));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** Title, alt text, caption and credit fields, filled from `item`. */
function descriptionFields(item) {
  return DESCRIPTION.map(([name, text, type, hint]) => field({
    name, label: text, type: type === 'input' ? 'text' : type, value: item[name] ?? '', hint, rows: type === 'textarea' ? 2 : undefined,
  }));
}


/** May the user change or delete this item (its uploader, editors, admins)? */
function mayChange(item) {
  return session.atLeast('editor')
    || (session.atLeast('author') && item.uploaded_by != null && item.uploaded_by === session.user?.id);
}

/** The smallest stored file at least `min` pixels wide (or the full size). */
function thumbnailOf(item, min = 240) {
  const wide = item.variants.filter((v) => v.width >= min).sort((a, b) => a.width - b.width || (a.format === 'webp' ? -1 : 1));
  return wide[0]?.url || item.url;
}

/** One image: its picture, description, facts and actions. */
function mediaCard(item, reload) {
  const box = h('article', { class: 'media-card', 'aria-labelledby': `media-${item.id}` });
  const facts = h('p', { class: 'facts' },
    `${item.width} × ${item.height} · ${item.format.toUpperCase()} · ${kilobytes(item.bytes)} · ${when(item.created_at)}`);
  const show = () => fill(box,
    h('img', { src: thumbnailOf(item), alt: item.alt_text, loading: 'lazy', width: item.width, height: item.height }),
    h('h2', { id: `media-${item.id}` }, mediaLabel(item)),
    item.alt_text ? h('p', {}, h('span', { class: 'muted' }, 'Alt text: '), item.alt_text) : h('p', { class: 'warning' }, 'No alternative text yet.'),
    item.credit ? h('p', { class: 'muted' }, `Credit: ${item.credit}`) : null,
    facts,
    mayChange(item)
      ? h('div', { class: 'row-actions' },
        h('button', { type: 'button', onclick: edit, 'aria-label': `Describe ${mediaLabel(item)}` }, 'Describe'),
        h('button', { type: 'button', class: 'danger', onclick: remove, 'aria-label': `Delete ${mediaLabel(item)}` }, 'Delete'))
      : null);

  function edit() {
    const fields = descriptionFields(item);
    const form = h('form', { novalidate: true, 'aria-labelledby': `media-${item.id}` },
      h('h2', { id: `media-${item.id}` }, `Describe “${mediaLabel(item)}”`),
      fields,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'primary' }, 'Save'),
        h('button', { type: 'button', class: 'quiet', onclick: () => { show(); box.querySelector('button')?.focus(); } }, 'Cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearErrors(form);
      // Only what changed; an emptied field becomes empty text.
      const body = {};
      for (const [name, value] of Object.entries(values(form))) {
        if (value.trim() !== (item[name] ?? '')) body[name] = value.trim();
      }
      try {
        if (Object.keys(body).length) item = (await api('PATCH', `/media/${item.id}`, { body })).data;
        show();
        box.querySelector('button')?.focus();
        announce(`“${mediaLabel(item)}” saved.`);
      } catch (problem) {
        showProblem(form, problemBody(problem));
      }
    });
    fill(box, form);
    fields[0].control.focus();
  }

  /** Says why a deletion did not happen, in the card's one alert. */
  function refused(text) {
    box.querySelector('.form-alert')?.remove();
    const alert = h('p', { class: 'form-alert', role: 'alert', tabindex: '-1' }, text);
    box.append(alert);
    alert.focus();
  }

  async function remove() {
    if (!confirm(`Delete “${mediaLabel(item)}” and its files?`)) return;
    try {
      await api('DELETE', `/media/${item.id}`);
      await reload(`“${mediaLabel(item)}” deleted.`);
    } catch (problem) {
      if (problem.code !== 'media_in_use') {
        refused(`Not deleted: ${problem.message}`);
      } else if (!session.atLeast('editor')) {
        refused(`Not deleted: “${mediaLabel(item)}” is ${uses(problem)}. An editor may delete it anyway.`);
      } else if (confirm(`“${mediaLabel(item)}” is ${uses(problem)}.\n\nDelete it anyway? Those articles lose it.`)) {
        await forceRemove();
      } else {
        refused(`Not deleted: “${mediaLabel(item)}” is ${uses(problem)}.`);
      }
    }
  }

  async function forceRemove() {
    try {
      await api('DELETE', `/media/${item.id}?force=true`);
      await reload(`“${mediaLabel(item)}” deleted; the articles that used it no longer show it.`);
    } catch (problem) {
      refused(`Not deleted: ${problem.message}`);
    }
  }

  show();
  return box;
}

/** "used by 2 article(s): 12 (slug), 15 (slug)", from a `media_in_use` problem. */
function uses(problem) {
  return problem.body.detail.split(';')[0];
}

function kilobytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
