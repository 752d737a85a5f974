// Which lessons are done, kept in this browser's localStorage and movable between browsers
// as a file. Anything unknown in storage or in an imported file (other keys, lesson ids this
// site does not have, values of the wrong type) is ignored, never fatal.

const KEY = "pyvet.learn.progress";
/** What an exported file says it is, so a random JSON file is not taken for progress. */
const KIND = "pyvet-lesson-progress";

/** `{id: "2026-12-03T…"}` for every lesson done, read from storage. */
export function loadProgress(knownIds) {
  try {
    return cleanDone(JSON.parse(localStorage.getItem(KEY) ?? "{}")?.done, knownIds);
  } catch {
    return {};
  }
}

export function saveProgress(done) {
  try {
    localStorage.setItem(KEY, JSON.stringify({ done }));
    return true;
  } catch {
    return false;
  }
}

export function forgetProgress() {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // Nothing was kept.
  }
}

/** The file an export writes. */
export function progressFile(done) {
  return `${JSON.stringify({ kind: KIND, version: 1, done }, null, 2)}\n`;
}

/**
 * The lessons done according to an exported file's text, or an Error saying why the file
 * is not one (the page shows the message).
 */
export function readProgressFile(text, knownIds) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return new Error("the file is not JSON");
  }
  if (data?.kind !== KIND || typeof data.done !== "object" || data.done === null) {
    return new Error("the file is not a pyvet progress file (export one from this page)");
  }
  return cleanDone(data.done, knownIds);
}

/** Two records of progress as one: a lesson done in either is done, at its first date. */
export function mergeProgress(mine, theirs) {
  const merged = { ...mine };
  for (const [id, when] of Object.entries(theirs)) {
    if (!merged[id] || when < merged[id]) merged[id] = when;
  }
  return merged;
}

function cleanDone(done, knownIds) {
  const clean = {};
  if (typeof done !== "object" || done === null) return clean;
  for (const [id, when] of Object.entries(done)) {
    if (knownIds.has(id) && typeof when === "string" && !Number.isNaN(Date.parse(when))) clean[id] = when;
  }
  return clean;
}
