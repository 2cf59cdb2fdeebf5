// The article editor: fields, a live preview from the server's own
// renderer, saving with If-Match, the workflow buttons, revisions, and a
// local copy of unsaved changes.

import { all, api, Problem } from '../api.js';
import { h, fill, showProblem, clearErrors, announce, when, focusHeading, problemBody } from '../dom.js';
import * as drafts from '../drafts.js';
import { replace, setLeaveGuard } from '../router.js';
import * as session from '../session.js';
import { FIELDS, buildForm, fromArticle, requestBody, changed, same } from './article_form.js';
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
  // The article's own image may be older than the newest hundred.
  const imageId = loaded?.data.featured_image_id;
  if (imageId && !media.some((m) => m.id === imageId)) {
    const own = await api('GET', `/media/${imageId}`).then((r) => r.data).catch(() => null);
    if (own) media.push(own);
  }
  const state = {
    article: loaded?.data || null,
    etag: loaded?.etag || null,
  };
  // Per user: another person signing in on this browser never sees them.
  const draftKey = () => `article:${state.article ? state.article.id : 'new'}:user:${session.user.id}`;
  let base = fromArticle(state.article);

  const form = buildForm({ authors, tags, media });
  const c = form.controls;
  const preview = h('div', { class: 'preview-body' });
  const previewFacts = h('p', { class: 'facts' });
  const heading = h('h1', { id: 'editor-heading' });
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

  /** Whether a save would send anything (an emptied slug sends nothing). */
  const isDirty = () => (state.article
    ? Object.keys(requestBody(form.read(), base)).length > 0
    : changed(form.read(), base).length > 0);
  // Only while this screen is the one shown.
  setLeaveGuard(() => main.isConnected && isDirty());

  function render() {
    const a = state.article;
    fill(heading, a ? a.title : 'New article');
    fill(statusLine, a
      ? [h('span', { class: `badge status-${a.status}` }, STATUS_NAMES[a.status] || a.status),
        ` Version ${a.version} · updated ${when(a.updated_at)}`,
        a.status === 'scheduled' ? ` · goes live ${when(a.publish_at)}` : '',
        a.status === 'published' ? ` · published ${when(a.published_at)}` : '']
      : 'Not saved yet.');
    saveButton.textContent = a ? 'Save' : 'Create draft';
    workflowPanel(workflow, {
      article: a,
      etag: () => state.etag,
      beforeAction: async () => {
        const ok = await saveIfDirty();
        sentAtAction = form.read();
        return ok;
      },
      after: (result, message) => { applyResult(result, message, sentAtAction); focusHeading(main); },
    });
    if (a) {
      revisionsPanel(history, {
        article: a,
        etag: () => state.etag,
        after: (result, message) => { applyResult(result, message); focusHeading(main); },
      });
    }
  }
  let sentAtAction = null;

  /**
   * A write answered with the article: the new base everything compares
   * to. Whatever was typed while the write was under way (fields that
   * differ from `sent`) stays on screen and in the local copy.
   */
  function applyResult({ data, etag }, message, sent = null) {
    const typed = sent ? form.read() : null;
    state.article = data;
    state.etag = etag;
    base = fromArticle(data);
    const shown = { ...base };
    if (typed) for (const name of FIELDS) if (!same(typed[name], sent[name])) shown[name] = typed[name];
    form.write(shown);
    keepLocalCopy();
    render();
    refreshPreview();
    if (message) announce(message);
  }

  function keepLocalCopy() {
    if (isDirty()) {
      drafts.save(draftKey(), { version: state.article?.version ?? null, base, fields: form.read() });
    } else {
      drafts.drop(draftKey());
    }
  }

  async function save() {
    clearErrors(editForm);
    const sent = form.read();
    try {
      if (!state.article) {
        const result = await api('POST', '/articles', { body: requestBody(sent, null) });
        drafts.drop(draftKey());
        applyResult(result, 'Draft created.', sent);
        replace(`/articles/${result.data.id}`);
        return true;
      }
      const body = requestBody(sent, base);
      if (!Object.keys(body).length) { announce('Nothing to save.'); return true; }
      const result = await api('PATCH', `/articles/${state.article.id}`, { body, ifMatch: state.etag });
      applyResult(result, 'Saved.', sent);
      return true;
    } catch (problem) {
      if (problem instanceof Problem && problem.status === 412) {
        await conflict(base);
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

  /**
   * Someone saved since this version was read (`oldBase`). The editor sees
   * who changed what; overwriting sends only the fields this editor
   * changed, with the newer ETag, so the other person's other changes stay.
   */
  async function conflict(oldBase) {
    const { data, etag } = await api('GET', `/articles/${state.article.id}?include=tags`);
    showConflict(notices, {
      mine: form.read(), theirs: fromArticle(data), oldBase, article: data,
      reload: () => {
        if (!confirm('Discard your changes and load their version?')) return;
        fill(notices);
        applyResult({ data, etag }, 'Loaded their version; your changes were discarded.');
        focusHeading(main);
      },
      overwrite: async () => {
        const mine = form.read();
        try {
          const result = await api('PATCH', `/articles/${state.article.id}`, { body: requestBody(mine, oldBase), ifMatch: etag });
          fill(notices);
          applyResult(result, 'Saved: your changes over theirs, their other changes kept.', mine);
          focusHeading(main);
        } catch (problem) {
          if (problem instanceof Problem && problem.status === 412) await conflict(oldBase);
          else showProblem(editForm, withFields(problem));
        }
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
  editForm.addEventListener('input', keepLocalCopy);

  fill(main,
    h('div', { class: 'heading' }, heading),
    statusLine, notices, workflow, editForm, history);
  form.write(base);
  render();
  offerLocalDraft();
  refreshPreview();

  /**
   * A copy kept from an earlier visit: only the fields changed in it are
   * offered back, over the current version (someone may have saved since).
   */
  function offerLocalDraft() {
    const kept = drafts.load(draftKey());
    const fields = kept?.fields && kept.base ? changed(kept.fields, kept.base) : [];
    const news = fields.filter((name) => !same(kept.fields[name], base[name]));
    if (!news.length) return;
    const moved = state.article && kept.version !== state.article.version;
    const box = h('div', { class: 'notice', role: 'region', 'aria-label': 'Unsaved changes' },
      h('p', {}, `Unsaved changes from ${when(kept.at)} are kept in this browser`,
        moved ? ` (made to version ${kept.version}; the article is now at version ${state.article.version}, so only the fields you changed are restored)` : '',
        '.'),
      h('button', { type: 'button', onclick: () => {
        const restored = form.read();
        for (const name of news) restored[name] = kept.fields[name];
        form.write(restored);
        keepLocalCopy();
        refreshPreview();
        box.remove();
        announce('Unsaved changes restored.');
        c[news[0]].control.focus();
      } }, 'Restore them'),
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
  const body = problemBody(problem);
  if (body.code === 'no_author_profile' && !body.errors?.length) {
    return { ...body, errors: [{ field: 'author_id', message: 'Choose an author: your account has no author profile of its own.' }] };
  }
  return body;
}
