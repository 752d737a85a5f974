// The code being edited, kept in localStorage (this browser only) so a reload or a closed
// tab loses nothing. It remembers which share link it started from: after opening a link,
// later edits win over that link on reload; a different link still opens what it holds.

const KEY = "pyvet.code";
/** Larger code is not kept (storage holds about 5 MB per site, and writing it takes time). */
export const MAX_SAVED_CHARS = 1_000_000;

/** `{code, link}` as last saved, or `null`. Anything malformed counts as nothing saved. */
export function loadSavedCode() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "null");
    if (stored && typeof stored.code === "string" && typeof stored.link === "string") return stored;
  } catch {
    // Unreadable: nothing saved.
  }
  return null;
}

/** Keeps `code`, noting the share link (`#code=…` fragment, or "") the page was opened with.
 * Returns whether it was kept. */
export function saveCode(code, link) {
  if (code.length > MAX_SAVED_CHARS) {
    forgetSavedCode();
    return false;
  }
  try {
    localStorage.setItem(KEY, JSON.stringify({ code, link }));
    return true;
  } catch {
    return false;
  }
}

export function forgetSavedCode() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was saved either.
  }
}

/**
 * The code to open with: the share link's, unless the saved code was edited after opening
 * that very link; else the saved code; else the sample.
 */
export function startingCode({ fragment, link, saved, sample }) {
  if (link?.code !== undefined && saved?.link !== fragment) return { code: link.code, from: "link" };
  if (saved) return { code: saved.code, from: "saved" };
  return { code: sample, from: "sample" };
}
