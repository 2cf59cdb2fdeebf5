// Unsaved editor changes kept in this browser (localStorage) until they
// are saved, so a crash, a closed tab or an expired session loses nothing.

const PREFIX = 'cms-draft:';

export function save(key, fields) {
  try {
    localStorage.setItem(PREFIX + key, JSON.stringify({ at: new Date().toISOString(), fields }));
  } catch { /* storage full or disabled: the leave warning still protects */ }
}

/** `{at, fields}` or null. */
export function load(key) {
  try { return JSON.parse(localStorage.getItem(PREFIX + key)); } catch { return null; }
}

export function drop(key) { localStorage.removeItem(PREFIX + key); }

/** At sign-out: nothing of the user's text stays on a shared computer. */
export function clearAll() {
  for (const key of Object.keys(localStorage)) if (key.startsWith(PREFIX)) localStorage.removeItem(key);
}
