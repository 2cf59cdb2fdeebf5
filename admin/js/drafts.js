// Unsaved editor changes kept in this browser (localStorage) until they
// are saved, so a crash, a closed tab or an expired session loses nothing.

const PREFIX = 'cms-draft:';

/**
 * Keeps `{version, base, fields}`: the form's values, and the version and
 * values they were edited from (so only the fields changed are restored).
 */
export function save(key, copy) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ at: new Date().toISOString(), ...copy }));
  } catch { /* storage full or disabled: the leave warning still protects */ }
}

/** `{at, version, base, fields}` or null. */
export function load(key) {
  try { return JSON.parse(localStorage.getItem(PREFIX + key)); } catch { return null; }
}

export function drop(key) { localStorage.removeItem(PREFIX + key); }

/** How many unsaved copies this browser holds. */
export function count() {
  return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX)).length;
}

/** At sign-out: nothing of the user's text stays on a shared computer. */
export function clearAll() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}
