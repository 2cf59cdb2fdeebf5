// The sign-in screen.

import { h, fill, field, showProblem, clearErrors, problemBody } from '../dom.js';
import * as session from '../session.js';

export function loginView(main, { message, onSignedIn }) {
  const email = field({ name: 'email', label: 'Email', type: 'email', autocomplete: 'username', required: true });
  const password = field({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card login', novalidate: true },
    email, password,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      await session.signIn(email.control.value.trim(), password.control.value);
      onSignedIn();
    } catch (problem) {
      password.control.value = '';
      showProblem(form, problem.status === 401
        ? { detail: 'Wrong email or password.' }
        : problemBody(problem));
    } finally {
      button.disabled = false;
    }
  });
  fill(main,
    h('div', { class: 'login-wrap' },
      h('h1', {}, 'Sign in'),
      message ? h('p', { class: 'notice' }, message) : null,
      form));
  email.control.focus();
}
