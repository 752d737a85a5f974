// The toolbar's actions on the code as a whole: copy it with every fix applied, go back to
// the example, and download the findings as SARIF or JSON. All of it happens in the page.

import { download, toJson, toSarif } from "./export.js";

const $ = (id) => document.getElementById(id);
const plural = (count, word, words = `${word}s`) => `${count} ${count === 1 ? word : words}`;

/**
 * `fixedCode(unsafe)` returns `{source, applied}` (or a promise of it) for the code as it
 * is; `report()` returns `{source, findings, syntaxErrors}` as listed (or a promise of it),
 * and throws when there is no analysis of the code; `version` is the engine's version (or a
 * promise of it: the engine starts in its worker); `say(text)` tells the user what happened.
 */
export function setUpPageActions({ fixedCode, report, reset, version, rules, say }) {
  async function copyFixed(unsafe) {
    let findings;
    let result;
    try {
      ({ findings } = await report());
      result = await fixedCode(unsafe);
    } catch (error) {
      console.error(error);
      say("Could not apply the fixes: the analyser failed on this code.");
      return;
    }
    const leftOut = unsafe ? 0 : findings.filter((finding) => finding.fix?.applicability === "unsafe").length;
    try {
      await navigator.clipboard.writeText(result.source);
    } catch {
      say("The browser refused access to the clipboard, so nothing was copied.");
      return;
    }
    const which = unsafe ? "safe and unsafe fixes; unsafe ones change behaviour, so review them" : "safe fixes only";
    say(
      `Copied the code with ${plural(result.applied, "fix", "fixes")} applied (${which})` +
        (leftOut ? `; ${plural(leftOut, "unsafe fix", "unsafe fixes")} left out` : "") +
        ". The editor is unchanged.",
    );
  }

  async function exportAs(format) {
    let current;
    try {
      current = { ...(await report()), version: await version, rules };
    } catch (error) {
      console.error(error);
      say("Could not export the findings: the analyser failed on this code.");
      return;
    }
    const text = format === "sarif" ? toSarif(current) : toJson(current);
    const fileName = `pyvet-findings.${format === "sarif" ? "sarif" : "json"}`;
    download(text, fileName, format === "sarif" ? "application/sarif+json" : "application/json");
    say(`Saved ${plural(current.findings.length, "finding")} as ${fileName}, made in this page: nothing was uploaded.`);
  }

  $("copy-fixed-safe").addEventListener("click", () => copyFixed(false));
  $("copy-fixed-all").addEventListener("click", () => copyFixed(true));
  $("download-sarif").addEventListener("click", () => exportAs("sarif"));
  $("download-json").addEventListener("click", () => exportAs("json"));
  $("reset-example").addEventListener("click", () => {
    reset();
    say("Back to the example. Ctrl+Z brings your code back.");
  });
  Promise.resolve(version).then(
    (known) => {
      $("engine-version").textContent = known;
    },
    // The engine did not start: the status line says so.
    () => {},
  );
}
