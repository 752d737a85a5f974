// The analyser (the pyvet WebAssembly module) on the calling thread, for pages and workers
// that call it directly; the playground calls it in a worker (analysis-worker.js). Every call
// returns or throws an ordinary Error; when the module fails inside (a trap), the package
// has already replaced its instance by the time the Error arrives, so the next call starts
// clean (src/wasm/pyvet.js).

import init, { analyze, applyFixes, rules, guide, version } from "../../pkg/pyvet.js";

let ready = null;

/** Loads the module once; resolves when the analyser can be called. */
export function loadEngine() {
  ready ??= init({ module_or_path: new URL("./pyvet_bg.wasm", import.meta.url) });
  return ready;
}

export { analyze, applyFixes, rules, guide, version };

export { loadDocs } from "./docs.js";
