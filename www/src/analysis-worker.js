// The analyser's own thread. The page sends it the code; it answers with findings or with
// the fixed code. Running here, a long analysis never blocks typing, scrolling or clicks.
//
// The package (pkg/pyvet.js) guards every call: when the module traps inside (a panic, out
// of memory), it has already replaced its instance by the time the Error arrives, so the
// next message starts clean. The Error goes back to the page, which says so.

import init, { analyze, applyFixes, checkLesson, version } from "../../pkg/pyvet.js";

const ready = init({ module_or_path: new URL("./pyvet_bg.wasm", import.meta.url) });

ready.then(
  () => self.postMessage({ kind: "ready", version: version() }),
  (error) => self.postMessage({ kind: "ready", error: describe(error) }),
);

const CALLS = {
  analyze: ({ source, options }) => analyze(source, options),
  applyFixes: ({ source, selection, options }) => applyFixes(source, selection, options),
  checkLesson: ({ source, lesson }) => checkLesson(source, lesson),
};

self.addEventListener("message", async ({ data }) => {
  const call = CALLS[data.kind];
  if (!call) return;
  try {
    await ready;
    const began = performance.now();
    const result = call(data);
    self.postMessage({ id: data.id, result, elapsed: performance.now() - began });
  } catch (error) {
    self.postMessage({ id: data.id, error: describe(error) });
  }
});

/** What crosses to the page: an Error's message, and its cause's (the trap) when it has one. */
function describe(error) {
  const cause = error?.cause;
  return {
    message: String(error?.message ?? error),
    cause: cause === undefined ? undefined : String(cause?.message ?? cause),
  };
}
