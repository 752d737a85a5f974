// The playground page: wires the editor, the analyser (in its worker), the findings list,
// the guideline panel, settings (with the rule switches and severity chips), examples, saved
// code, share links and the toolbar's actions together.
//
// One rule keeps it honest: what the page shows and applies belongs to an analysis of the
// text as it is now. An analysis carries the editor's version it was made for; results for
// an older version are dropped, and a fix is applied only from an analysis of the current
// text (re-analysing first when the code changed, and re-finding the finding by identity).

import { createAnalyser } from "./analyser.js";
import { renderCiCommand } from "./ci-command.js";
import { loadDocs } from "./docs.js";
import { createEditor, MAX_COLOURED_LINES } from "./editor.js";
import { setUpExamples } from "./examples.js";
import { renderFailure, renderFindings } from "./findings.js";
import { findFinding, identify, mapIdentity, sameFindings, sameFix } from "./identity.js";
import { setUpPageActions } from "./page-actions.js";
import { createPanel } from "./panel.js";
import { createReview } from "./review.js";
import { createRuleSwitches } from "./rule-switches.js";
import { forgetSavedCode, loadSavedCode, MAX_SAVED_CHARS, saveCode, startingCode } from "./saved-code.js";
import { readShareLink, shareLink } from "./share.js";
import { analyzeOptions, filtersActive, loadSettings, saveSettings } from "./settings.js";
import { setUpMenu, setUpSettingsMenu } from "./settings-menu.js";
import { createSeverityChips } from "./severity-chips.js";
import { describeSettings, settingsFragment, settingsFromFragment } from "./share-settings.js";
import { setUpShortcuts } from "./shortcuts.js";
import { SAMPLE } from "./sample.js";

/**
 * How long typing must pause before the code is analysed again. The analysis runs in its
 * worker and never blocks typing, so small files are analysed almost at once; a large file
 * (its analysis takes a few hundred ms) waits for a real pause, so as not to keep the
 * worker busy with text that is already out of date.
 */
const debounceMs = (length) => (length > 200_000 ? 150 : 30);
const SAVE_DELAY_MS = 600;
const $ = (id) => document.getElementById(id);
const narrowScreen = matchMedia("(max-width: 820px)");
const UNDO_KEY = /Mac|iPhone|iPad/.test(navigator.platform) ? "Cmd-Z" : "Ctrl-Z";

async function start() {
  const analyser = createAnalyser();
  const fragment = location.hash;
  const [docs, link] = await Promise.all([loadDocs(), readShareLink(fragment)]);
  const groups = [...new Set(docs.rules.map((rule) => rule.group))].sort();
  const settings = loadSettings({ groups, rules: docs.rules.map((rule) => rule.id) });
  // A link's settings (share-settings.js) apply, so its reader sees the same findings.
  const linked = link?.error ? null : settingsFromFragment(fragment, docs.rules);
  if (linked) Object.assign(settings, linked);
  const saved = loadSavedCode();
  const opened = startingCode({ fragment, link, saved, sample: SAMPLE });
  /** The share link the code came from, saved with it: later edits win over it on reload. */
  let openedLink = opened.from === "link" ? fragment : opened.from === "saved" ? saved.link : "";
  if (link?.error) {
    const shown = opened.from === "saved" ? "Your last code is shown instead." : "The example is shown instead.";
    notice(`This share link could not be read: ${link.error}. ${shown}`, "error");
  }

  /**
   * The analysis on screen: `{findings, syntaxErrors, source, version, selection}`, or null.
   * `findings` are those listed (the severity chips may hide some); `selection` picks their
   * fixes for applyFixes (null: every finding is listed).
   */
  let analysis = null;
  /** The edits since that analysis (a CodeMirror ChangeSet), to map its positions. */
  let sinceAnalysis = null;
  /** The selected finding's identity (rule and place), kept current through edits. */
  let selected = null;
  let timer = 0;
  let saveTimer = 0;

  const editor = createEditor($("editor"), {
    doc: opened.code,
    label: "Python code to analyse",
    onChange(changes) {
      sinceAnalysis = sinceAnalysis ? sinceAnalysis.compose(changes) : changes;
      if (selected) selected = mapIdentity(selected, changes);
      $("findings").setAttribute("aria-busy", "true");
      clearTimeout(timer);
      timer = setTimeout(analyse, debounceMs(editor.view.state.doc.length));
      clearTimeout(saveTimer);
      saveTimer = setTimeout(keepCode, SAVE_DELAY_MS);
    },
    onStep: step,
  });
  const panel = createPanel({ docs, editor, onApply: (finding) => applyFix(selected, finding.fix) });
  const review = createReview({ apply: applyReviewed });
  const settingsMenu = setUpSettingsMenu($("settings"), { filtersActive: () => filtersActive(settings) });
  setUpMenu($("export"));
  const chips = createSeverityChips($("severity-chips"), {
    hidden: settings.hiddenSeverities,
    onChange: settingsChanged,
  });
  const layout = () => editor.setWrapping(narrowScreen.matches);
  narrowScreen.addEventListener("change", layout);
  layout();

  /** The analysis under way: `{version, promise}`. */
  let pending = null;

  /** Analyses the current text; shows and returns the analysis, or null when it is stale or failed. */
  function analyse() {
    clearTimeout(timer);
    const version = editor.version();
    const promise = analyseVersion(version);
    pending = { version, promise };
    return promise;
  }

  async function analyseVersion(version) {
    const source = editor.text();
    let reply;
    try {
      reply = await analyser.analyze(source, analyzeOptions(settings));
    } catch (error) {
      if (version === editor.version()) failed(error);
      return null;
    }
    if (reply === null || version !== editor.version()) return null;
    show({ ...listed(reply.result), source, version }, reply.elapsed);
    return analysis;
  }

  /** An analysis as listed: counted by severity, without the severities the chips hide. */
  function listed(result) {
    chips.update(result.findings);
    const findings = chips.visible(result.findings);
    if (findings.length === result.findings.length) return { ...result, selection: null };
    const shown = new Set(findings);
    const selection = result.findings.flatMap((finding, index) => (shown.has(finding) ? [index] : []));
    return { ...result, findings, selection };
  }

  /** The analysis of the text as it is now: the one shown, the one under way, or a new one. */
  async function currentAnalysis() {
    const version = editor.version();
    if (analysis && analysis.version === version) return analysis;
    if (pending && pending.version === version) return pending.promise;
    return analyse();
  }

  function show(result, elapsed) {
    // Typing where no finding is (a comment, the end of a large file) changes no finding:
    // the underlines (mapped through the edit by the editor) and the list stay as they are.
    const unchanged = analysis !== null && sameFindings(analysis, result, sinceAnalysis);
    const before = selected && analysis ? findFinding(analysis.findings, selected) : -1;
    analysis = result;
    sinceAnalysis = null;
    $("findings").removeAttribute("aria-busy");
    const index = selected ? findFinding(analysis.findings, selected) : -1;
    selected = index < 0 ? null : identify(analysis.findings[index]);
    if (!unchanged) {
      editor.showFindings(analysis.findings, analysis.syntaxErrors, { onSelect: select, onFix: fixFromTooltip });
    }
    if (!unchanged || index !== before) renderList();
    const count = analysis.findings.length;
    const errors = analysis.syntaxErrors.length;
    setStatus(
      `${count} finding${count === 1 ? "" : "s"}` + (errors ? ` · ${errors} syntax error${errors === 1 ? "" : "s"}` : ""),
      elapsed,
    );
    $("findings-count").textContent = `(${count})`;
    const fixable = analysis.findings.filter((f) => f.fix && f.fix.applicability !== "display-only" && f.fix.edits.length).length;
    const reviewButton = $("review-fixes");
    reviewButton.disabled = fixable === 0;
    reviewButton.textContent = fixable ? `Review all fixes (${fixable})` : "Review all fixes";
    reviewButton.title = fixable ? "" : "No finding in this code has a fix pyvet can apply.";
    if (index < 0) panel.hide();
    else panel.show(analysis.findings[index], analysis.source);
  }

  /**
   * The live status is announced by screen readers: it changes only when the result does,
   * not on every keystroke. The timing is beside it, not announced.
   */
  function setStatus(text, elapsed) {
    const status = $("status");
    delete status.dataset.state;
    if (status.textContent !== text) status.textContent = text;
    if (elapsed !== undefined) {
      status.dataset.analysisMs = elapsed.toFixed(3);
      $("timing").textContent =
        `analysed in ${elapsed < 1 ? elapsed.toFixed(2) : elapsed.toFixed(1)} ms, in your browser` +
        (editor.coloured() ? "" : ` · no syntax colours above ${MAX_COLOURED_LINES.toLocaleString("en")} lines, so typing stays fast`);
    }
  }

  function renderList({ reveal = false } = {}) {
    const index = selected && analysis ? findFinding(analysis.findings, selected) : -1;
    renderFindings($("findings"), analysis.findings, analysis.syntaxErrors, {
      onSelect: select,
      selected: index < 0 ? null : index,
      reveal,
    });
  }

  /**
   * The analyser threw: an internal error (the engine package has already restarted it on a
   * fresh instance). Show that instead of findings that would be stale or falsely empty;
   * the next edit analyses again.
   */
  function failed(error) {
    console.error(error);
    analysis = null;
    selected = null;
    chips.update([]);
    editor.showFindings([], [], { onSelect: select, onFix: fixFromTooltip });
    renderFailure($("findings"));
    $("findings").removeAttribute("aria-busy");
    $("findings-count").textContent = "";
    panel.hide();
    $("review-fixes").disabled = true;
    const status = $("status");
    status.dataset.state = "failed";
    status.textContent =
      "The analyser failed on this code (an internal error; details in the console) and has been restarted. " +
      "Edit the code to analyse it again.";
    $("timing").textContent = "";
  }

  /** A finding of the analysis on screen, with its place in the text as it is now. */
  function mapped(finding) {
    return mapIdentity(identify(finding), sinceAnalysis);
  }

  /**
   * Selects finding `index` of the analysis on screen: explains it, selects its code, and
   * puts focus where the user will continue: the editor, or on a phone the explanation.
   */
  function select(index, syntaxError) {
    if (syntaxError) {
      const place = mapIdentity({ start: syntaxError.start, end: syntaxError.end }, sinceAnalysis);
      editor.select(place.start, place.end);
      editor.focus();
      return;
    }
    const finding = analysis?.findings[index];
    if (!finding) return;
    selected = mapped(finding);
    renderList({ reveal: true });
    panel.show(finding, analysis.source);
    editor.select(selected.start, selected.end, { withinEditor: narrowScreen.matches });
    note("");
    if (narrowScreen.matches) {
      $("panel").scrollIntoView({ block: "start" });
      $("panel").focus({ preventScroll: true });
    } else {
      editor.focus();
    }
  }

  /** F8 / Shift-F8 in the editor: the next (previous) finding after the cursor, explained. */
  function step(direction) {
    if (!analysis || analysis.findings.length === 0) return;
    const { from, to } = editor.view.state.selection.main;
    const places = analysis.findings.map((finding) => mapped(finding).start);
    let index =
      direction > 0
        ? places.findIndex((start) => start > from || (start === from && to === from))
        : places.findLastIndex((start) => start < from);
    if (index < 0) index = direction > 0 ? 0 : places.length - 1;
    select(index);
    editor.focus();
  }

  /** The tooltip's fix button: a safe fix is applied, an unsafe one is shown for review. */
  function fixFromTooltip(index) {
    const finding = analysis?.findings[index];
    if (!finding?.fix) return;
    if (finding.fix.applicability === "safe") {
      applyFix(mapped(finding), finding.fix);
      return;
    }
    select(index);
    $("fix").scrollIntoView({ block: "nearest" });
    $("fix-apply").focus();
  }

  /**
   * Applies the fix of the finding with `identity`, as previewed (`shownFix`), to the text
   * as it is now: never with positions from an older analysis.
   */
  async function applyFix(identity, shownFix) {
    if (!identity || !shownFix) return;
    const current = await currentAnalysis();
    if (!current || current.version !== editor.version()) {
      // When the analysis failed, the status says so already.
      if ($("status").dataset.state !== "failed") {
        note("The code changed while the fix was being prepared: nothing was changed. Try again.", "error");
      }
      return;
    }
    const index = findFinding(current.findings, identity);
    if (index < 0) {
      selected = null;
      renderList();
      panel.hide();
      note("This finding is no longer in the code as it is now, so there is nothing to fix: nothing was changed.", "error");
      editor.focus();
      return;
    }
    const finding = current.findings[index];
    if (!sameFix(finding.fix, shownFix)) {
      select(index);
      note("The code changed, and so did this fix: the panel shows it for the code as it is now. Review it and apply again.", "error");
      return;
    }
    selected = null;
    editor.applyEdits(finding.fix.edits);
    editor.focus();
    note(`Applied the fix for ${finding.ruleId} (${finding.fix.title}). Undo with ${UNDO_KEY}.`);
  }

  $("review-fixes").addEventListener("click", async () => {
    const current = await currentAnalysis();
    if (!current) return;
    const options = analyzeOptions(settings);
    let all;
    let safe;
    try {
      [all, safe] = await Promise.all([
        analyser.applyFixes(current.source, current.selection, { ...options, unsafe: true }),
        analyser.applyFixes(current.source, current.selection, { ...options, unsafe: false }),
      ]);
    } catch (error) {
      failed(error);
      return;
    }
    if (current.version !== editor.version()) {
      note("The code changed while the fixes were being prepared: open the review again.", "error");
      return;
    }
    review.open({ source: current.source, version: current.version, findings: current.findings, all: all.result, safe: safe.result });
  });

  function applyReviewed(result, version) {
    if (version !== editor.version()) {
      note("The code changed during the review: nothing was changed. Review the fixes again.", "error");
      editor.focus();
      return;
    }
    selected = null;
    editor.replaceText(result.source);
    editor.focus();
    note(`Applied ${result.applied} fix${result.applied === 1 ? "" : "es"} as one change. Undo with ${UNDO_KEY}.`);
  }

  /** The line under the editor that says what just happened to the code. */
  function note(text, kind = "info") {
    const line = $("edit-note");
    line.textContent = text;
    line.dataset.kind = kind;
  }

  function keepCode() {
    const code = editor.text();
    const kept = saveCode(code, openedLink);
    $("saved-note-text").textContent = kept
      ? "Your code is kept in this browser only (localStorage), so a reload keeps it."
      : code.length > MAX_SAVED_CHARS
        ? "This code is too large to keep in this browser: a reload will not bring it back."
        : "This browser does not let the page keep your code: a reload will not bring it back.";
    $("forget-code").hidden = !kept;
  }

  $("forget-code").addEventListener("click", () => {
    forgetSavedCode();
    clearTimeout(saveTimer);
    $("saved-note-text").textContent = "Your saved code is forgotten. A reload opens the example; your next edit is kept again.";
    $("forget-code").hidden = true;
  });

  $("share").addEventListener("click", async () => {
    const url = await shareLink(editor.text(), location.href, settingsFragment(settings));
    history.replaceState(null, "", url);
    openedLink = new URL(url).hash;
    keepCode();
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
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
  setUpExamples($("examples"), docs, loadCode);
  setUpSettings(groups, settings, settingsChanged);
  const switches = createRuleSwitches({
    list: $("rule-list"),
    search: $("rule-search"),
    rules: docs.rules,
    settings,
    changed: settingsChanged,
  });
  const ci = { command: $("ci-command"), note: $("ci-note") };
  renderCiCommand(ci, settings);
  // The selected finding stays selected if it is still listed (show() finds it by identity).
  function settingsChanged() {
    saveSettings(settings);
    settingsMenu.update();
    switches.refresh();
    renderCiCommand(ci, settings);
    // The list is out of date until the analysis with the new settings arrives.
    $("findings").setAttribute("aria-busy", "true");
    analyse();
  }

  const say = (text) => {
    $("share-status").textContent = text;
  };
  if (linked) say(`This link sets the settings: ${describeSettings(settings)}.`);
  /** The analysis of the text as it is now, or an Error when there is none (it failed). */
  async function analysisNow() {
    const current = await currentAnalysis();
    if (!current) throw new Error("no analysis of the code as it is now");
    return current;
  }
  setUpPageActions({
    async fixedCode(unsafe) {
      const current = await analysisNow();
      const options = { ...analyzeOptions(settings), unsafe };
      return (await analyser.applyFixes(current.source, current.selection, options)).result;
    },
    async report() {
      const { source, findings, syntaxErrors } = await analysisNow();
      return { source, findings, syntaxErrors };
    },
    reset() {
      loadCode(SAMPLE);
      // A reload should not bring back the code of a link opened before.
      if (location.hash) history.replaceState(null, "", location.pathname + location.search);
      openedLink = "";
    },
    version: analyser.ready,
    rules: docs.rules,
    say,
  });
  setUpShortcuts($("shortcuts-open"));
  // On a phone the explanation is below the code: one tap goes back to the flagged code.
  $("panel-to-code").addEventListener("click", () => {
    $("editor").scrollIntoView({ block: "start" });
    if (selected) editor.select(selected.start, selected.end, { withinEditor: true });
    editor.focus();
  });
  $("skip-to-editor").addEventListener("click", (event) => {
    event.preventDefault();
    editor.focus();
  });
  addEventListener("hashchange", async () => {
    // A link with settings pasted into this tab: start again from it, settings and all.
    if (settingsFromFragment(location.hash, docs.rules)) {
      location.reload();
      return;
    }
    const read = await readShareLink(location.hash);
    if (read === null) return;
    if (read.error) {
      notice(`This share link could not be read: ${read.error}. Your code is unchanged.`, "error");
      return;
    }
    notice("");
    openedLink = location.hash;
    if (read.code !== editor.text()) editor.replaceText(read.code, "input.share");
  });

  await analyser.ready;
  const first = await analyse();
  // For the measurements (tests/browser/playground-defects.test.mjs): when findings first showed.
  performance.mark("pyvet:first-findings");
  // A first visit opens on the sample with its first finding explained.
  if (first && opened.from === "sample" && first.findings.length > 0) {
    selected = identify(first.findings[0]);
    renderList();
    panel.show(first.findings[0], first.source);
  }
  if (opened.from !== "sample") keepCode();
  else $("forget-code").hidden = loadSavedCode() === null;
}

/** A message about the page itself (a share link that could not be read), above the code. */
function notice(text, kind = "info") {
  const element = $("notice");
  element.textContent = text;
  element.dataset.kind = kind;
  element.hidden = text === "";
}

function setUpSettings(groups, settings, changed) {
  const severity = $("min-severity");
  severity.value = settings.minSeverity;
  severity.addEventListener("change", () => {
    settings.minSeverity = severity.value;
    changed();
  });
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

start().catch((error) => {
  $("status").textContent = `The analyser could not start: ${error.message}`;
  $("status").dataset.state = "failed";
  console.error(error);
});
