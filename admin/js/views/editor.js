// The article editor: fields, a live preview from the server's own
// renderer, saving with If-Match, the workflow buttons, revisions, and a
// local copy of unsaved changes.

import { api, Problem } from '../api.js';
import { h, fill, showProblem, clearErrors, announce, when } from '../dom.js';
import * as drafts from '../drafts.js';
import { replace, setLeaveGuard } from '../router.js';
import * as session from '../session.js';
import { all } from './articles.js';
import { buildForm, fromArticle, requestBody, changed } from './article_form.js';
import { showConflict } from './conflict.js';
import { revisionsPanel } from './revisions.js';
import { workflowPanel } from './workflow.js';
import { STATUS_NAMES } from './labels.js';

export async function editorView(main, { id }) {
  const [loaded, authors, tags, media] = await Promise.all([
    id ? api('GET', `/articles/${encodeURIComponent(id)}?include=tags`) : null,
    all('/authors'),
    all('/tags'),
    api('GET', '/media?per_page=100').then((r) => r.data.data).catch(() => []),
  ]);
  const state = {
    article: loaded?.data || null,
    etag: loaded?.etag || null,
  };
  const draftKey = () => (state.article ? `article:${state.article.id}` : 'article:new');
  let base = fromArticle(state.article);

  const form = buildForm({ authors, tags, media });
  const c = form.controls;
  const preview = h('div', { class: 'preview-body' });
  const previewFacts = h('p', { class: 'facts' });
  const heading = h('h1', {});
  const statusLine = h('p', { class: 'status-line' });
  const notices = h('div', { class: 'notices' });
  const saveButton = h('button', { type: 'submit', class: 'primary' }, 'Save');
  const workflow = h('div', { class: 'workflow' });
  const history = h('div', { class: 'history' });

  const editForm = h('form', { class: 'editor', novalidate: true, 'aria-labelledby': 'editor-heading' },
    h('div', { class: 'columns' },
      h('div', { class: 'write' }, c.title, c.slug, c.body),
      h('section', { class: 'preview', 'aria-labelledby': 'preview-heading' },
        h('h2', { id: 'preview-heading' }, 'Preview'), previewFacts, preview)),
    c.excerpt,
    h('fieldset', {}, h('legend', {}, 'Filing'), c.tags, form.datalist, c.author_id, c.comments_open),
    h('fieldset', {}, h('legend', {}, 'Featured image'), c.featured_image_id, form.thumb, form.upload, c.featured_image_url),
    h('fieldset', {}, h('legend', {}, 'Search engines'), c.meta_title, c.meta_description, c.canonical_url),
    h('div', { class: 'actions' }, saveButton, h('a', { class: 'button quiet', href: '#/articles' }, 'Back to the list')));

  const isDirty = () => changed(form.read(), base).length > 0;
  setLeaveGuard(isDirty);

  function render() {
    const a = state.article;
    heading.id = 'editor-heading';
    fill(heading, a ? a.title : 'New article');
    fill(statusLine, a
      ? [h('span', { class: `badge status-${a.status}` }, STATUS_NAMES[a.status] || a.status),
        ` Version ${a.version} · updated ${when(a.updated_at)}`,
        a.status === 'scheduled' ? ` · goes live ${when(a.publish_at)}` : '',
        a.status === 'published' ? ` · published ${when(a.published_at)}` : '']
      : 'Not saved yet.');
    saveButton.textContent = a ? 'Save' : 'Create draft';
    workflowPanel(workflow, { article: a, etag: () => state.etag, beforeAction: saveIfDirty, after: applyResult });
    if (a) revisionsPanel(history, { article: a, etag: () => state.etag, after: applyResult });
  }

  /** A write answered with the article: the new base everything compares to. */
  function applyResult({ data, etag }, message) {
    state.article = data;
    state.etag = etag;
    base = fromArticle(data);
    form.write(base);
    drafts.drop(draftKey());
    render();
    refreshPreview();
    if (message) announce(message);
  }

  async function save({ overwrite = false } = {}) {
    clearErrors(editForm);
    const current = form.read();
    try {
      if (!state.article) {
        const result = await api('POST', '/articles', { body: requestBody(current, null) });
        drafts.drop('article:new');
        applyResult(result, 'Draft created.');
        replace(`/articles/${result.data.id}`);
        return true;
      }
      const body = requestBody(current, base);
      if (!Object.keys(body).length) { announce('Nothing to save.'); return true; }
      const result = await api('PATCH', `/articles/${state.article.id}`, { body, ifMatch: overwrite ? '*' : state.etag });
      applyResult(result, 'Saved.');
      return true;
    } catch (problem) {
      if (problem instanceof Problem && problem.status === 412) {
        await conflict(current);
        return false;
      }
      showProblem(editForm, withFields(problem));
      return false;
    }
  }

  async function saveIfDirty() {
    if (!state.article) return save();
    return isDirty() ? save() : true;
  }

  async function conflict(mine) {
    const { data, etag } = await api('GET', `/articles/${state.article.id}?include=tags`);
    showConflict(notices, {
      mine, theirs: fromArticle(data), article: data,
      reload: () => { applyResult({ data, etag }, 'Loaded the latest version; your changes were discarded.'); fill(notices); },
      overwrite: async () => {
        state.etag = etag;
        base = fromArticle(data);
        state.article = data;
        form.write(mine);
        fill(notices);
        if (await save()) announce('Saved over the other version.');
      },
    });
  }

  editForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    saveButton.disabled = true;
    try { await save(); } finally { saveButton.disabled = false; }
  });

  // Preview: the server's renderer, a moment after typing stops.
  let timer = null;
  let asked = 0;
  async function refreshPreview() {
    const ticket = ++asked;
    const body = c.body.control.value;
    if (!body.trim()) { fill(preview, h('p', { class: 'empty' }, 'Nothing to preview yet.')); fill(previewFacts); return; }
    try {
      const { data } = await api('POST', '/preview', { body: { body } });
      if (ticket !== asked) return;
      // body_html is the server's sanitized rendering, exactly what readers get.
      preview.innerHTML = data.body_html;
      fill(previewFacts, `${data.word_count} words · ${data.reading_time_minutes} min read`);
    } catch (problem) {
      if (ticket === asked) fill(preview, h('p', { class: 'error' }, `No preview: ${problem.message}`));
    }
  }
  c.body.control.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(refreshPreview, 350); });

  // Every change is kept in this browser until it is saved.
  editForm.addEventListener('input', () => {
    if (isDirty()) drafts.save(draftKey(), form.read()); else drafts.drop(draftKey());
  });

  fill(main,
    h('div', { class: 'heading' }, heading),
    statusLine, notices, workflow, editForm, history);
  form.write(base);
  render();
  offerLocalDraft();
  refreshPreview();

  function offerLocalDraft() {
    const kept = drafts.load(draftKey());
    if (!kept || !changed(kept.fields, base).length) return;
    const box = h('div', { class: 'notice', role: 'region', 'aria-label': 'Unsaved changes' },
      h('p', {}, `Unsaved changes from ${when(kept.at)} are kept in this browser.`),
      h('button', { type: 'button', onclick: () => { form.write(kept.fields); refreshPreview(); box.remove(); announce('Unsaved changes restored.'); } }, 'Restore them'),
      ' ',
      h('button', { type: 'button', class: 'quiet', onclick: () => { drafts.drop(draftKey()); box.remove(); } }, 'Discard them'));
    notices.append(box);
  }

  if (!state.article && !session.user.author_id && !session.atLeast('editor')) {
    notices.append(h('p', { class: 'notice' }, 'Your account has no author profile; ask an admin to link one before writing.'));
  }
}

/** Problems the API reports without a field, put next to the field they concern. */
function withFields(problem) {
  const body = problem.body || { detail: problem.message };
  if (body.code === 'no_author_profile' && !body.errors?.length) {
    return { ...body, errors: [{ field: 'author_id', message: 'Choose an author: your account has no author profile of its own.' }] };
  }
  return body;
}
