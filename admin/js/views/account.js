// The signed-in user's own account: who they are, and a new password
// (which ends every session, this one included).

import { api } from '../api.js';
import { h, fill, field, showProblem, clearErrors, problemBody } from '../dom.js';
import * as session from '../session.js';

export function accountView(main, { onPasswordChanged }) {
  const user = session.user;
  const current = field({ name: 'current_password', label: 'Current password', type: 'password', autocomplete: 'current-password', required: true });
  const next = field({ name: 'new_password', label: 'New password', type: 'password', autocomplete: 'new-password', required: true,
    hint: 'At least 8 characters; not a common password. Every session of yours ends: sign in again.' });
  const form = h('form', { class: 'card', novalidate: true, 'aria-labelledby': 'password-heading' },
    h('h2', { id: 'password-heading' }, 'Change your password'),
    current, next,
    h('button', { type: 'submit', class: 'primary' }, 'Change password'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    try {
      await api('POST', '/me/password', {
        body: { current_password: current.control.value, new_password: next.control.value },
      });
      session.forget();
      onPasswordChanged();
    } catch (problem) {
      // 403 means the current password is wrong: say so at that field.
      const body = problem.status === 403
        ? { errors: [{ field: 'current_password', message: 'This is not your current password.' }] }
        : problemBody(problem);
      showProblem(form, body);
    }
  });
  fill(main,
    h('h1', {}, 'Your account'),
    h('dl', { class: 'facts-list' },
      h('dt', {}, 'Email'), h('dd', {}, user.email),
      h('dt', {}, 'Role'), h('dd', {}, user.role)),
    form);
}
