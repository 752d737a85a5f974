// The analyser for every snippet on the page, loaded once, on first use. The module is
// fetched from beside this script (`import.meta.url`), not from the host page, so the embed
// works from another origin or a CDN; that host must answer with CORS headers (README).

import init, { analyze, applyFixes } from "../../../pkg/pyvet.js";

let ready = null;

/** Resolves when the analyser can be called; the first call starts the one fetch. */
export function loadEngine() {
  ready ??= init({ module_or_path: new URL("./pyvet_bg.wasm", import.meta.url) });
  return ready;
}

export { analyze, applyFixes };
