// The editor's fields and how they map to an article's JSON.

import { api } from '../api.js';
import { h, field, announce } from '../dom.js';
import * as session from '../session.js';
import { mediaLabel } from './labels.js';

/** Editable fields, in the order they are compared and sent. */
export const FIELDS = ['title', 'slug', 'body', 'excerpt', 'tags', 'author_id', 'featured_image_id',
  'featured_image_url', 'meta_title', 'meta_description', 'canonical_url', 'comments_open'];

export const LABELS = {
  title: 'Title', slug: 'Slug', body: 'Body', excerpt: 'Excerpt', tags: 'Tags', author_id: 'Author',
  featured_image_id: 'Featured image', featured_image_url: 'Featured image URL', meta_title: 'SEO title',
  meta_description: 'SEO description', canonical_url: 'Canonical URL', comments_open: 'Readers may comment',
};

const OPTIONAL = new Set(['excerpt', 'featured_image_id', 'featured_image_url', 'meta_title', 'meta_description', 'canonical_url']);

/** An article's values as the form holds them (strings, and a boolean). */
export function fromArticle(article) {
  const a = article || {};
  return {
    title: a.title || '',
    slug: a.slug || '',
    body: a.body || '',
    excerpt: a.excerpt || '',
    tags: (a.tags || []).map((t) => t.slug).join(', '),
    author_id: a.author_id ? String(a.author_id) : String(session.user?.author_id || ''),
    featured_image_id: a.featured_image_id ? String(a.featured_image_id) : '',
    featured_image_url: a.featured_image_id ? '' : a.featured_image_url || '',
    meta_title: a.meta_title || '',
    meta_description: a.meta_description || '',
    canonical_url: a.canonical_url || '',
    comments_open: a.comments_open ?? true,
  };
}

/** One form value as the API takes it. */
function toJson(name, value) {
  if (name === 'tags') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (name === 'author_id' || name === 'featured_image_id') return value ? Number(value) : null;
  if (name === 'comments_open') return Boolean(value);
  if (OPTIONAL.has(name)) return value.trim() ? value : null;
  return value;
}

/** The request body: every field for a new article, the changed ones for an edit. */
export function requestBody(current, base) {
  const body = {};
  for (const name of FIELDS) {
    if (base && same(current[name], base[name])) continue;
    const value = toJson(name, current[name]);
    if (!base && (value === null || value === '' || (name === 'author_id' && !session.atLeast('editor')))) continue;
    if (base && name === 'slug' && value === '') continue;
    body[name] = value;
  }
  return body;
}

export function same(a, b) {
  return String(a ?? '') === String(b ?? '');
}

/** The names of the fields whose values differ. */
export function changed(a, b) {
  return FIELDS.filter((name) => !same(a[name], b[name]));
}


/** The form's controls, grouped; returns {form, controls, read(), write(values)}. */
export function buildForm({ authors, tags, media }) {
  const f = (name, opts) => field({ name, label: LABELS[name], ...opts });
  const controls = {
    title: f('title', { required: true, maxlength: 300 }),
    slug: f('slug', { hint: 'Lower-case words joined by hyphens; made from the title when left empty.', pattern: '[a-z0-9]+(-[a-z0-9]+)*' }),
    body: f('body', { type: 'textarea', rows: 18, hint: 'Markdown. The preview shows exactly what readers will get.' }),
    excerpt: f('excerpt', { type: 'textarea', rows: 3, hint: 'The teaser; the first paragraph when left empty.' }),
    tags: f('tags', { hint: `Tag slugs, comma-separated, in display order. Existing: ${tags.map((t) => t.slug).join(', ') || 'none yet'}.`, list: 'tag-slugs', autocomplete: 'off' }),
    author_id: f('author_id', {
      type: 'select',
      disabled: !session.atLeast('editor'),
      options: [['', 'Choose an author'], ...authors.map((a) => [String(a.id), a.name])],
    }),
    featured_image_id: f('featured_image_id', {
      type: 'select',
      options: [['', media.length ? 'None' : 'The media library is empty'], ...media.map((m) => [String(m.id), mediaLabel(m)])],
    }),
    featured_image_url: f('featured_image_url', { type: 'url', hint: 'For an image outside the media library.' }),
    meta_title: f('meta_title', { maxlength: 200 }),
    meta_description: f('meta_description', { type: 'textarea', rows: 2, maxlength: 500 }),
    canonical_url: f('canonical_url', { type: 'url' }),
    comments_open: f('comments_open', { type: 'checkbox' }),
  };
  // Authors and up may add an image to the library from here.
  const upload = session.atLeast('author')
    ? field({ name: 'upload', label: 'Upload a new image', type: 'file', accept: 'image/jpeg,image/png,image/webp,image/gif',
      hint: 'JPEG, PNG, WebP or GIF; it joins the media library and becomes the featured image.' })
    : null;
  const thumb = h('img', { class: 'thumb', alt: '', hidden: true });
  const showThumb = () => {
    const item = media.find((m) => String(m.id) === controls.featured_image_id.control.value);
    thumb.hidden = !item;
    if (item) { thumb.src = item.url; thumb.alt = item.alt_text || ''; }
  };
  controls.featured_image_id.control.addEventListener('change', showThumb);
  upload?.control.addEventListener('change', async () => {
    const file = upload.control.files[0];
    if (!file) return;
    const error = upload.querySelector('.error');
    error.textContent = '';
    upload.control.removeAttribute('aria-invalid');
    const form = new FormData();
    form.append('file', file);
    form.append('title', file.name.replace(/\.[a-z0-9]+$/i, ''));
    try {
      const { data } = await api('POST', '/media', { body: form });
      media.unshift(data);
      const select = controls.featured_image_id.control;
      select.add(h('option', { value: String(data.id) }, mediaLabel(data)), 1);
      select.value = String(data.id);
      select.dispatchEvent(new Event('input', { bubbles: true }));
      showThumb();
      announce('Image uploaded and chosen as the featured image.');
    } catch (problem) {
      error.textContent = problem.errors[0]?.message || problem.message;
      upload.control.setAttribute('aria-invalid', 'true');
      announce(`Upload failed: ${error.textContent}`, 'error');
    } finally {
      upload.control.value = '';
    }
  });
  const datalist = h('datalist', { id: 'tag-slugs' }, tags.map((t) => h('option', { value: t.slug })));
  const read = () => {
    const out = {};
    for (const [name, wrapper] of Object.entries(controls)) {
      out[name] = wrapper.control.type === 'checkbox' ? wrapper.control.checked : wrapper.control.value;
    }
    return out;
  };
  const write = (values) => {
    for (const [name, wrapper] of Object.entries(controls)) {
      if (wrapper.control.type === 'checkbox') wrapper.control.checked = Boolean(values[name]);
      else wrapper.control.value = values[name] ?? '';
    }
    showThumb();
  };
  return { controls, upload, thumb, datalist, read, write };
}
