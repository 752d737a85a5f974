// The one place the page talks to the analyser (the pyvet WebAssembly module). Every call
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

/** The rule docs and guideline, rendered to HTML when the site was built. */
let docs = null;
export async function loadDocs() {
  docs ??= fetch(new URL("./docs.json", import.meta.url)).then((response) => {
    if (!response.ok) throw new Error(`docs.json: HTTP ${response.status}`);
    return response.json();
  });
  return docs;
}
