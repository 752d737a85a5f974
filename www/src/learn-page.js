// The lessons page (learn.html): the list of lessons with the ones done, and one lesson at
// a time at its own address (learn.html#sql-injection-1): its guideline beside the editor,
// findings inline as in the playground, Check, hints one by one, and Show me (the reference
// solution as a diff, with Use this code).
//
// Grading is the engine's (`checkLesson`, in the analyser's worker): a lesson passes when
// its target rules no longer fire, the code parses, and everything the lesson says must
// remain is still there. The page only shows the verdict.

import { createAnalyser } from "./analyser.js";
import { lineDiff, renderDiff } from "./diff.js";
import { loadDocs } from "./docs.js";
import { createEditor } from "./editor.js";
import { download } from "./export.js";
import { renderFailure, renderFindings } from "./findings.js";
import { linkRuleIds } from "./rule-docs.js";
import { richNodes } from "./text.js";
import {
  forgetProgress,
  loadProgress,
  mergeProgress,
  progressFile,
  readProgressFile,
  saveProgress,
} from "./lesson-progress.js";

const $ = (id) => document.getElementById(id);
const ANALYSE_DELAY_MS = 60;
const narrowScreen = matchMedia("(max-width: 820px)");

async function start() {
  const [lessons, docs] = await Promise.all([loadLessons(), loadDocs()]);
  const byId = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  const sections = new Map(docs.sections.map((section) => [section.id, section]));
  const rulesById = new Map(docs.rules.map((rule) => [rule.id, rule]));
  let done = loadProgress(new Set(byId.keys()));
  const analyser = createAnalyser();

  /** The lesson on screen and its editor; null on the list. */
  let current = null;

  function showIndex() {
    current?.close();
    current = null;
    $("lesson").hidden = true;
    $("lesson-index").hidden = false;
    document.title = "pyvet lessons — fix real insecure Python, one lesson at a time";
    renderIndex();
  }

  function renderIndex() {
    const count = Object.keys(done).length;
    $("progress-summary").textContent = `${count} of ${lessons.length} lessons done.`;
    $("lesson-list").replaceChildren(
      ...lessons.map((lesson) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${lesson.id}`;
        link.append(...withCode(lesson.title));
        const section = document.createElement("span");
        section.className = "lesson-section";
        section.textContent = sections.get(lesson.section)?.title ?? lesson.section;
        item.append(link, " ", section);
        if (done[lesson.id]) {
          item.dataset.done = "true";
          const mark = document.createElement("span");
          mark.className = "lesson-done";
          mark.textContent = "✓ done";
          item.append(" ", mark);
        }
        return item;
      }),
    );
  }

  function route() {
    const id = decodeURIComponent(location.hash.slice(1));
    const lesson = byId.get(id);
    if (!lesson) {
      showIndex();
      if (id) $("progress-note").textContent = `There is no lesson “${id}”; here are all of them.`;
      return;
    }
    current?.close();
    $("lesson-index").hidden = true;
    $("lesson").hidden = false;
    current = openLesson(lesson);
  }

  function markDone(lesson) {
    if (done[lesson.id]) return;
    done = { ...done, [lesson.id]: new Date().toISOString() };
    saveProgress(done);
  }

  function openLesson(lesson) {
    const index = lessons.indexOf(lesson);
    const next = lessons[(index + 1) % lessons.length];
    document.title = `${lesson.title.replaceAll("`", "")} — pyvet lessons`;
    $("lesson-title").replaceChildren(...withCode(lesson.title));
    $("lesson-task").replaceChildren(...withCode(lesson.task));
    $("lesson-position").textContent = `Lesson ${index + 1} of ${lessons.length}${done[lesson.id] ? " · done" : ""}`;
    $("lesson-next").href = `#${next.id}`;
    $("lesson-next").replaceChildren("Next: ", ...withCode(next.title));
    $("lesson-targets").textContent = lesson.targets
      .map((id) => `${id} ${rulesById.get(id)?.name ?? ""}`.trim())
      .join(", ");
    const section = sections.get(lesson.section);
    $("lesson-guide-title").textContent = section ? `Guideline: ${section.title}` : "Guideline";
    // Our own guide, rendered from Markdown when the site was built.
    $("lesson-guide-body").innerHTML = section?.html ?? "";
    linkRuleIds($("lesson-guide-body"), rulesById);
    const result = $("lesson-result");
    result.removeAttribute("data-lesson-result");
    result.replaceChildren();
    $("hints").replaceChildren();
    $("solution").hidden = true;
    $("show-me").setAttribute("aria-expanded", "false");
    // A new lesson starts at its top, and so does its guideline.
    scrollTo(0, 0);
    $("lesson-guide").scrollTop = 0;

    let closed = false;
    let timer = 0;
    let shownHints = 0;
    const editor = createEditor(replaceHost($("editor")), {
      doc: lesson.start,
      label: `Code of the lesson: ${lesson.title}`,
      onChange() {
        $("findings").setAttribute("aria-busy", "true");
        clearTimeout(timer);
        timer = setTimeout(analyse, ANALYSE_DELAY_MS);
        if (!$("solution").hidden) showSolution();
      },
    });
    let analysis = null;
    // On a phone long lines wrap, so the code never scrolls sideways.
    const wrap = () => editor.setWrapping(narrowScreen.matches);
    wrap();
    narrowScreen.addEventListener("change", wrap);

    async function analyse() {
      const version = editor.version();
      const source = editor.text();
      try {
        const answer = await analyser.analyze(source);
        if (!answer || closed || version !== editor.version()) return;
        analysis = { ...answer.result, version };
        const { findings, syntaxErrors } = answer.result;
        editor.showFindings(findings, syntaxErrors, { onSelect: select, onFix: applyFix });
        renderFindings($("findings"), findings, syntaxErrors, { onSelect: select, selected: null });
        const count = findings.length;
        $("findings").removeAttribute("aria-busy");
        $("status").dataset.analysisMs = String(Math.round(answer.elapsed));
        $("status").textContent = count === 0 ? "No findings." : `${count} finding${count === 1 ? "" : "s"}.`;
      } catch (error) {
        if (closed) return;
        renderFailure($("findings"));
        $("status").textContent = `The analyser failed: ${error.message}`;
      }
    }

    function select(index, syntaxError) {
      const target = syntaxError ?? analysis?.findings[index];
      if (target) editor.select(target.start, target.end);
      editor.focus();
    }

    async function applyFix(index) {
      if (!analysis || analysis.version !== editor.version()) return;
      const { result: fixed } = await analyser.applyFixes(editor.text(), [index], { unsafe: true });
      if (!closed && analysis.version === editor.version()) editor.replaceText(fixed.source);
    }

    async function check() {
      const source = editor.text();
      result.textContent = "Checking…";
      result.removeAttribute("data-lesson-result");
      try {
        const { result: grade } = await analyser.checkLesson(source, {
          targets: lesson.targets,
          requirements: lesson.requirements,
        });
        if (closed) return;
        showGrade(grade);
      } catch (error) {
        if (closed) return;
        result.dataset.lessonResult = "fail";
        result.textContent = `Could not check the code: ${error.message}`;
      }
    }

    function showGrade(grade) {
      result.dataset.lessonResult = grade.passed ? "pass" : "fail";
      if (grade.passed) {
        markDone(lesson);
        $("lesson-position").textContent = `Lesson ${index + 1} of ${lessons.length} · done`;
        const heading = document.createElement("p");
        heading.className = "verdict";
        heading.textContent = "Passed. The flaw is gone and the program still does its job.";
        const kept = document.createElement("ul");
        kept.append(...grade.requirements.map(({ says }) => listItem("✓ ", ...withCode(says))));
        const onward = document.createElement("a");
        onward.href = `#${next.id}`;
        onward.append("Next lesson: ", ...withCode(next.title));
        result.replaceChildren(heading, kept, onward);
        return;
      }
      const heading = document.createElement("p");
      heading.className = "verdict";
      heading.textContent = "Not yet.";
      const reasons = document.createElement("ul");
      for (const error of grade.syntaxErrors) {
        reasons.append(listItem(`The code does not parse (line ${error.line}): `, ...richNodes(error.message)));
      }
      for (const finding of grade.findings) {
        const where = `${finding.ruleId} ${finding.name} still fires on line ${finding.line}: `;
        reasons.append(listItem(where, ...richNodes(finding.message)));
      }
      for (const { says, holds } of grade.requirements) {
        if (!holds) reasons.append(listItem("Missing: the program ", ...withCode(says), ". It must still do that."));
      }
      result.replaceChildren(heading, reasons);
    }

    function showHint() {
      if (shownHints >= lesson.hints.length) return;
      const item = listItem(...withCode(lesson.hints[shownHints]));
      shownHints += 1;
      $("hints").append(item);
      updateHintButton();
    }

    function updateHintButton() {
      const left = lesson.hints.length - shownHints;
      $("hint").textContent = left > 0 ? `Show a hint (${left} left)` : "No more hints";
      $("hint").disabled = left === 0;
    }

    function showSolution() {
      const rows = lineDiff(editor.text(), lesson.solution, 2);
      if (rows.length) renderDiff($("solution-diff"), rows);
      else $("solution-diff").textContent = "Your code is the reference solution.";
    }

    function toggleSolution() {
      const open = $("solution").hidden;
      $("solution").hidden = !open;
      $("show-me").setAttribute("aria-expanded", String(open));
      if (open) showSolution();
    }

    const listeners = [
      [$("check"), check],
      [$("hint"), showHint],
      [$("show-me"), toggleSolution],
      [$("use-solution"), () => editor.replaceText(lesson.solution, "input.solution")],
      [$("start-over"), () => editor.replaceText(lesson.start, "input.reset")],
    ];
    for (const [button, listener] of listeners) button.addEventListener("click", listener);
    updateHintButton();
    analyser.ready.then(
      () => !closed && analyse(),
      (error) => ($("status").textContent = `The analyser could not start: ${error.message}`),
    );
    return {
      close() {
        closed = true;
        clearTimeout(timer);
        narrowScreen.removeEventListener("change", wrap);
        for (const [button, listener] of listeners) button.removeEventListener("click", listener);
      },
    };
  }

  $("export-progress").addEventListener("click", () => {
    download(progressFile(done), "pyvet-progress.json", "application/json");
    $("progress-note").textContent = "Progress saved to pyvet-progress.json.";
  });
  $("import-progress").addEventListener("change", async (event) => {
    const file = event.target.files?.[0];
    if (!file) return;
    const imported = readProgressFile(await file.text(), new Set(byId.keys()));
    event.target.value = "";
    if (imported instanceof Error) {
      $("progress-note").dataset.kind = "error";
      $("progress-note").textContent = `Could not import ${file.name}: ${imported.message}.`;
      return;
    }
    const before = Object.keys(done).length;
    done = mergeProgress(done, imported);
    saveProgress(done);
    delete $("progress-note").dataset.kind;
    $("progress-note").textContent = `Imported ${file.name}: ${Object.keys(done).length - before} more lessons done.`;
    renderIndex();
  });
  $("forget-progress").addEventListener("click", () => {
    forgetProgress();
    done = {};
    $("progress-note").textContent = "Progress forgotten.";
    renderIndex();
  });

  addEventListener("hashchange", route);
  route();
  document.body.dataset.ready = "true";
}

/** The lessons, built into lessons.json from the repository's lessons/ folder. */
async function loadLessons() {
  const response = await fetch(new URL("./lessons.json", import.meta.url));
  if (!response.ok) throw new Error(`lessons.json: HTTP ${response.status}`);
  return response.json();
}

/** A fresh element in place of the editor's host: a shadow root cannot be attached twice. */
function replaceHost(host) {
  const fresh = host.cloneNode(false);
  host.replaceWith(fresh);
  return fresh;
}

/** Lesson text (ours, from lessons/) as nodes: `backticked` parts become <code>. */
function withCode(text) {
  return text.split("`").map((part, index) => {
    if (index % 2 === 0) return part;
    const code = document.createElement("code");
    code.textContent = part;
    return code;
  });
}

/** A list item of text and nodes (from `richNodes`, for text that may quote the code). */
function listItem(...parts) {
  const item = document.createElement("li");
  item.append(...parts);
  return item;
}

start().catch((error) => {
  $("progress-summary").textContent = `The lessons could not load: ${error.message}`;
});
