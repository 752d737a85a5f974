// The playground page: wires the editor, the analyser, the findings list, the guideline
// panel, settings, examples and share links together.

import { analyze, applyFixes, loadDocs, loadEngine, version } from "./engine.js";
import { createEditor } from "./editor.js";
import { renderFailure, renderFindings } from "./findings.js";
import { createPanel } from "./panel.js";
import { decodeCode, shareLink } from "./share.js";
import { analyzeOptions, loadSettings, saveSettings } from "./settings.js";
import { SAMPLE } from "./sample.js";
import { renderCiCommand } from "./ci-command.js";
import { setUpPageActions } from "./page-actions.js";
import { createRuleSwitches } from "./rule-switches.js";
import { createSeverityChips } from "./severity-chips.js";
import { describeSettings, settingsFragment, settingsFromFragment } from "./share-settings.js";
import { setUpShortcuts } from "./shortcuts.js";

const DEBOUNCE_MS = 120;
const $ = (id) => document.getElementById(id);

async function start() {
  const [docs, shared] = await Promise.all([loadDocs(), decodeCode(location.hash), loadEngine()]);
  const settings = loadSettings();
  const linked = settingsFromFragment(location.hash, docs.rules);
  if (linked) Object.assign(settings, linked);
  let analysis = { findings: [], syntaxErrors: [] };
  let selected = null;
  let timer = 0;

  const editor = createEditor($("editor"), {
    doc: shared ?? SAMPLE,
    label: "Python code to analyse",
    onChange() {
      clearTimeout(timer);
      timer = setTimeout(run, DEBOUNCE_MS);
    },
  });
  const panel = createPanel({ docs, editor, onApply: applyOne });
  const chips = createSeverityChips($("severity-chips"), { hidden: settings.hiddenSeverities, onChange: settingsChanged });
  /** The analysis as listed: counted by severity, without the severities the chips hide. */
  const listed = (result) => {
    chips.update(result.findings);
    return { ...result, findings: chips.visible(result.findings) };
  };

  function run() {
    const source = editor.text();
    const began = performance.now();
    try {
      analysis = listed(analyze(source, analyzeOptions(settings)));
    } catch (error) {
      failed(error);
      return;
    }
    const elapsed = performance.now() - began;
    if (selected !== null && selected >= analysis.findings.length) selected = null;
    editor.showFindings(analysis.findings, analysis.syntaxErrors, select);
    renderFindings($("findings"), analysis.findings, analysis.syntaxErrors, { onSelect: select, selected });
    const count = analysis.findings.length;
    const status = $("status");
    delete status.dataset.state;
    status.dataset.analysisMs = elapsed.toFixed(3);
    status.textContent =
      `${count} finding${count === 1 ? "" : "s"}` +
      (analysis.syntaxErrors.length ? ` · ${analysis.syntaxErrors.length} syntax error(s)` : "") +
      ` · analysed in ${elapsed < 1 ? elapsed.toFixed(2) : elapsed.toFixed(1)} ms, in your browser`;
    $("apply-safe").disabled = !analysis.findings.some((f) => f.fix?.applicability === "safe");
    if (selected === null) panel.hide();
    else panel.show(analysis.findings[selected], source);
  }

  /**
   * The analyser threw: an internal error (the engine package has already restarted it on a
   * fresh instance). Show that instead of findings that would be stale or falsely empty;
   * the next edit analyses again.
   */
  function failed(error) {
    console.error(error);
    analysis = { findings: [], syntaxErrors: [] };
    selected = null;
    chips.update([]);
    editor.showFindings([], [], select);
    renderFailure($("findings"));
    panel.hide();
    $("apply-safe").disabled = true;
    const status = $("status");
    status.dataset.state = "failed";
    status.textContent =
      "The analyser failed on this code (an internal error; details in the console) and has been restarted. " +
      "Edit the code to analyse it again.";
  }

  function select(index, syntaxError) {
    if (syntaxError) {
      editor.select(syntaxError.start, syntaxError.end);
      editor.focus();
      return;
    }
    selected = index;
    const finding = analysis.findings[index];
    renderFindings($("findings"), analysis.findings, analysis.syntaxErrors, { onSelect: select, selected });
    panel.show(finding, editor.text());
    editor.select(finding.start, finding.end);
  }

  function applyOne(finding) {
    // Re-analyse so the edit positions match the text as it is now.
    let current;
    try {
      current = analyze(editor.text(), analyzeOptions(settings));
    } catch (error) {
      failed(error);
      return;
    }
    const match = current.findings.find((f) => f.ruleId === finding.ruleId && f.start === finding.start) ?? finding;
    if (!match.fix || match.fix.applicability === "display-only") return;
    selected = null;
    editor.applyEdits(match.fix.edits);
    run();
  }

  $("apply-safe").addEventListener("click", () => {
    let result;
    try {
      result = applyFixes(editor.text(), null, { unsafe: false });
    } catch (error) {
      failed(error);
      return;
    }
    selected = null;
    editor.replaceText(result.source);
    run();
  });

  $("share").addEventListener("click", async () => {
    const link = await shareLink(editor.text(), location.href, settingsFragment(settings));
    history.replaceState(null, "", link);
    let copied = false;
    try {
      await navigator.clipboard.writeText(link);
      copied = true;
    } catch {
      // Clipboard access can be refused; the link is in the address bar either way.
    }
    $("share-status").textContent = copied
      ? "Link copied. The code is inside the link itself: nothing was uploaded."
      : "The link is in the address bar. The code is inside the link itself: nothing was uploaded.";
  });

  const loadCode = (code) => {
    selected = null;
    editor.replaceText(code, "input.example");
  };
  setUpExamples(docs, loadCode);
  setUpSettings(docs, settings, settingsChanged);
  const switches = createRuleSwitches({
    list: $("rule-list"),
    search: $("rule-search"),
    rules: docs.rules,
    settings,
    changed: settingsChanged,
  });
  const ci = { command: $("ci-command"), note: $("ci-note") };
  renderCiCommand(ci, settings);
  function settingsChanged() {
    // The selected finding may be filtered out, and the list's order changes.
    selected = null;
    saveSettings(settings);
    switches.refresh();
    renderCiCommand(ci, settings);
    run();
  }
  const say = (text) => {
    $("share-status").textContent = text;
  };
  if (linked) say(`This link sets the settings: ${describeSettings(settings)}.`);
  setUpPageActions({
    fixedCode: (unsafe) => applyFixes(editor.text(), null, { ...analyzeOptions(settings), unsafe }),
    report: () => ({ source: editor.text(), findings: analysis.findings, syntaxErrors: analysis.syntaxErrors }),
    reset() {
      loadCode(SAMPLE);
      // A reload should not bring back the code of a link opened before.
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
    },
    version: version(),
    rules: docs.rules,
    say,
  });
  setUpShortcuts($("shortcuts-open"));
  // A first visit opens on the sample with its first finding explained.
  if (!shared) {
    run();
    if (analysis.findings.length > 0) selected = 0;
  }
  addEventListener("hashchange", async () => {
    // A link with settings pasted into this tab: start again from it, settings and all.
    if (settingsFromFragment(location.hash, docs.rules)) {
      location.reload();
      return;
    }
    const code = await decodeCode(location.hash);
    if (code !== null && code !== editor.text()) editor.replaceText(code, "input.share");
  });
  run();
}

function setUpExamples(docs, load) {
  const select = $("examples");
  const placeholder = new Option("Choose a vulnerable example…", "");
  const options = docs.sections
    .filter((section) => section.examples.length > 0)
    .map((section) => new Option(section.title, section.id));
  select.replaceChildren(placeholder, ...options);
  select.addEventListener("change", () => {
    const section = docs.sections.find((s) => s.id === select.value);
    if (section) load(section.examples[0]);
  });
}

function setUpSettings(docs, settings, changed) {
  const severity = $("min-severity");
  severity.value = settings.minSeverity;
  severity.addEventListener("change", () => {
    settings.minSeverity = severity.value;
    changed();
  });
  const groups = [...new Set(docs.rules.map((rule) => rule.group))].sort();
  const fieldset = $("groups");
  for (const group of groups) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = group;
    box.checked = !settings.disabledGroups.includes(group);
    box.addEventListener("change", () => {
      settings.disabledGroups = box.checked
        ? settings.disabledGroups.filter((g) => g !== group)
        : [...settings.disabledGroups, group];
      changed();
    });
    label.append(box, document.createTextNode(group));
    fieldset.append(label);
  }
}

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(new URL("./sw.js", import.meta.url), { scope: "./" }).catch(() => {});
}

start().catch((error) => {
  $("status").textContent = `The analyser could not start: ${error.message}`;
  console.error(error);
});
