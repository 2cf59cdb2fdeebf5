// The workflow buttons an article offers, by the user's role and the
// article's status: submit, publish, schedule, unpublish, archive, trash,
// restore. `etag()` is read at click time: saving first moves it on.

import { api } from '../api.js';
import { h, fill, field, announce, showProblem, TIME_ZONE, fromLocalInput, toLocalInput, problemBody } from '../dom.js';
import { go, setLeaveGuard } from '../router.js';
import * as session from '../session.js';

export function workflowPanel(box, { article, etag, beforeAction, after }) {
  if (!article) { fill(box); return; }
  const s = article.status;
  const mine = session.mayEdit(article);
  const publisher = mine && session.atLeast('author');
  const problemBox = h('form', { class: 'workflow-form', novalidate: true, 'aria-label': 'Workflow' });

  const act = (label, path, message, opts = {}) => h('button', {
    type: 'button',
    class: opts.danger ? 'danger' : opts.primary ? 'primary' : '',
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        if (!(await beforeAction())) return;
        const body = opts.body ? opts.body() : undefined;
        if (body === null) return;
        const result = await api(opts.method || 'POST', `/articles/${article.id}${path}`, { body, ifMatch: etag() });
        if (result.status === 204) {
          setLeaveGuard(null);
          announce(message);
          go(session.atLeast('editor') ? '/articles?status=trashed' : '/articles');
        } else {
          after(result, message);
        }
      } catch (problem) {
        showProblem(problemBox, problemBody(problem));
      } finally {
        button.disabled = false;
      }
    },
  }, label);

  const when = field({ name: 'publish_at', label: `Publish at (${TIME_ZONE})`, type: 'datetime-local', value: toLocalInput(article.publish_at) });
  const buttons = [];
  if (s === 'trashed') {
    if (mine) buttons.push(act('Restore from the trash', '/restore', 'Restored from the trash.'));
  } else {
    if (mine && s === 'draft') buttons.push(act('Submit for review', '/submit', 'Submitted for review.', { primary: !publisher }));
    if (publisher && ['draft', 'in_review', 'scheduled'].includes(s)) {
      buttons.push(act('Publish now', '/publish', 'Published.', { primary: true, body: () => ({}) }));
    }
    if (publisher && ['published', 'scheduled', 'archived'].includes(s)) buttons.push(act('Unpublish', '/unpublish', 'Back to draft.'));
    if (publisher && s === 'published') buttons.push(act('Archive', '/archive', 'Archived.'));
    if (mine) buttons.push(act('Move to the trash', '', 'Moved to the trash.', { danger: true, method: 'DELETE' }));
  }
  const schedule = publisher && ['draft', 'in_review', 'scheduled'].includes(s)
    ? h('div', { class: 'schedule' }, when, act(s === 'scheduled' ? 'Reschedule' : 'Schedule', '/publish', 'Scheduled.', {
      body: () => {
        if (!when.control.value) {
          showProblem(problemBox, { errors: [{ field: 'publish_at', message: 'Choose a date and time.' }] });
          return null;
        }
        return { publish_at: fromLocalInput(when.control.value) };
      },
    }))
    : null;
  fill(problemBox, buttons.length ? h('div', { class: 'buttons' }, buttons) : h('p', { class: 'hint' }, 'No workflow step is open to you here.'), schedule);
  fill(box, problemBox);
}
