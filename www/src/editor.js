// The CodeMirror editor: mounted in a shadow root so its styles are adopted stylesheets
// (a strict CSP blocks <style> elements), with findings shown as lint diagnostics. Its
// colours are the page's CSS variables (styles.css), which reach into the shadow root, so
// the light and dark themes need nothing here.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, foldGutter, foldKeymap, HighlightStyle, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { codePointName, richNodes } from "./text.js";
import { rulePageHref } from "./rule-docs.js";

/** Syntax colours from CSS variables (light and dark values in styles.css). */
const highlightStyle = HighlightStyle.define([
  { tag: tags.meta, color: "var(--hl-meta)" },
  { tag: tags.keyword, color: "var(--hl-keyword)" },
  { tag: [tags.atom, tags.bool, tags.null], color: "var(--hl-atom)" },
  { tag: [tags.literal, tags.number], color: "var(--hl-number)" },
  { tag: tags.string, color: "var(--hl-string)" },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: "var(--hl-escape)" },
  { tag: tags.definition(tags.variableName), color: "var(--hl-definition)" },
  { tag: [tags.typeName, tags.namespace, tags.className], color: "var(--hl-type)" },
  { tag: [tags.special(tags.variableName), tags.self], color: "var(--hl-special)" },
  { tag: tags.definition(tags.propertyName), color: "var(--hl-definition)" },
  { tag: tags.comment, color: "var(--hl-comment)", fontStyle: "italic" },
  { tag: tags.invalid, color: "var(--critical)" },
]);

/** Invisible and control characters (NUL, bidi controls, zero-width ones) shown by name. */
function specialCharacter(code) {
  const mark = document.createElement("span");
  mark.className = "cm-pyvet-special";
  const name = codePointName(String.fromCodePoint(code));
  mark.textContent = name;
  mark.title = `${name}: an invisible or control character`;
  return mark;
}

/** What the editor needs for reading and fixing code (no autocompletion: this is not an IDE). */
const essentials = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars({ render: specialCharacter, addSpecialChars: /[\u202a-\u202c\u2068]/ }),
  history(),
  foldGutter(),
  drawSelection(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(highlightStyle),
  bracketMatching(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
];

/**
 * Above this many lines the code is shown without syntax colours: colouring needs a parse
 * of the whole file, which CodeMirror runs in 100 ms slices for seconds after every edit of
 * a very large file, and typing must never wait behind it.
 */
export const MAX_COLOURED_LINES = 20_000;

const LINT_SEVERITY = { critical: "error", high: "error", medium: "warning", low: "info" };

const setTrace = StateEffect.define();
const traceMark = Decoration.mark({ class: "cm-pyvet-trace" });
const traceField = StateField.define({
  create: () => Decoration.none,
  update(marks, transaction) {
    marks = marks.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (effect.is(setTrace)) {
        marks = Decoration.set(
          effect.value.filter((range) => range.end > range.start).map((range) => traceMark.range(range.start, range.end)),
          true,
        );
      }
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  "&": {
    fontSize: "14px",
    minHeight: "var(--editor-height)",
    maxHeight: "var(--editor-max-height)",
    color: "var(--ink)",
    backgroundColor: "var(--paper)",
  },
  ".cm-scroller": { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace', minHeight: "var(--editor-height)" },
  ".cm-content": { caretColor: "var(--ink)" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--ink)" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
    { backgroundColor: "var(--selection)" },
  ".cm-activeLine": { backgroundColor: "var(--active-line)" },
  ".cm-activeLineGutter": { backgroundColor: "var(--active-line)" },
  ".cm-gutters": { backgroundColor: "var(--ground)", color: "var(--muted)", borderRight: "1px solid var(--line)" },
  ".cm-selectionMatch": { backgroundColor: "var(--selection-match)" },
  ".cm-panels": { backgroundColor: "var(--ground)", color: "var(--ink)" },
  ".cm-tooltip": { backgroundColor: "var(--paper)", color: "var(--ink)", border: "1px solid var(--line)" },
  ".cm-tooltip-lint": { maxWidth: "min(560px, 90vw)" },
  ".cm-pyvet-rule-link": { color: "var(--accent)", whiteSpace: "nowrap" },
  ".cm-diagnosticAction": { backgroundColor: "var(--accent)", color: "var(--on-accent)" },
  ".cm-diagnostic code": {
    fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace',
    backgroundColor: "var(--code-ground)",
    padding: "0 .2em",
    borderRadius: "3px",
  },
  ".cm-tooltip .hidden-char": {
    color: "var(--error-text)",
    border: "1px solid currentColor",
    borderRadius: "3px",
    fontSize: ".85em",
    padding: "0 .1em",
    unicodeBidi: "isolate",
  },
  ".cm-pyvet-trace": { backgroundColor: "var(--trace)", outline: "1px dashed var(--trace-line)" },
  ".cm-lintRange-error.sev-critical": { backgroundColor: "var(--critical-ground)" },
  ".cm-pyvet-special": {
    color: "var(--critical)",
    border: "1px solid currentColor",
    borderRadius: "3px",
    fontSize: "75%",
    padding: "0 .15em",
    margin: "0 .1em",
  },
});

/**
 * Creates the editor inside `host`.
 * - `onChange(changes)` runs after every edit, with CodeMirror's `ChangeSet`: its
 *   `mapPos(offset, assoc)` maps an offset in the text before the edit to the text after.
 * - `onStep(direction)` runs on F8 (1) and Shift-F8 (-1): the page moves to the next finding.
 */
export function createEditor(host, { doc, onChange, onStep, label }) {
  const root = host.attachShadow({ mode: "open" });
  const wrapping = new Compartment();
  const language = new Compartment();
  const plain = [];
  const coloured = (lines) => (lines > MAX_COLOURED_LINES ? plain : python());
  let version = 0;
  const view = new EditorView({
    root,
    parent: root,
    doc,
    extensions: [
      Prec.highest(
        keymap.of([
          { key: "F8", run: () => (onStep?.(1), true), shift: () => (onStep?.(-1), true) },
        ]),
      ),
      essentials,
      language.of(coloured(doc.split("\n").length)),
      // Colours go off (and on again) as the file crosses MAX_COLOURED_LINES.
      EditorState.transactionExtender.of((transaction) => {
        if (!transaction.docChanged) return null;
        const wasColoured = language.get(transaction.startState) !== plain;
        const large = transaction.newDoc.lines > MAX_COLOURED_LINES;
        return wasColoured === large ? { effects: language.reconfigure(coloured(transaction.newDoc.lines)) } : null;
      }),
      lintGutter(),
      traceField,
      theme,
      wrapping.of([]),
      EditorView.contentAttributes.of({ "aria-label": label }),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        version++;
        onChange(update.changes);
      }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    /** Counts the edits: an analysis of version `n` belongs to the text while it is `n`. */
    version: () => version,
    /**
     * Shows findings and syntax errors as diagnostics (underline + gutter icon + tooltip).
     * The tooltip offers "Explain" and, when the finding has a fix, the fix itself.
     */
    showFindings(findings, syntaxErrors, { onSelect, onFix }) {
      const length = view.state.doc.length;
      const clamp = (offset) => Math.max(0, Math.min(offset, length));
      const diagnostics = findings.map((finding, index) => {
        const actions = [{ name: "Explain", apply: () => onSelect(index) }];
        const fix = finding.fix;
        if (fix && fix.applicability !== "display-only" && fix.edits.length > 0) {
          actions.push({
            name: fix.applicability === "safe" ? "Apply the safe fix" : "Review the fix",
            apply: () => onFix(index),
          });
        }
        return {
          from: clamp(finding.start),
          to: clamp(Math.max(finding.end, finding.start)),
          severity: LINT_SEVERITY[finding.severity] ?? "warning",
          markClass: `sev-${finding.severity}`,
          source: `${finding.ruleId} ${finding.severity}`,
          message: finding.message,
          renderMessage: () => {
            const text = document.createElement("span");
            const rulePage = document.createElement("a");
            rulePage.className = "cm-pyvet-rule-link";
            rulePage.href = rulePageHref(finding.ruleId);
            rulePage.textContent = `About ${finding.ruleId}`;
            text.append(...richNodes(finding.message), " ", rulePage);
            return text;
          },
          actions,
        };
      });
      for (const error of syntaxErrors) {
        diagnostics.push({
          from: clamp(error.start),
          to: clamp(Math.max(error.end, error.start)),
          severity: "error",
          source: "syntax",
          message: error.message,
          renderMessage: () => {
            const text = document.createElement("span");
            text.append(...richNodes(error.message));
            return text;
          },
        });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    highlightTrace(ranges) {
      view.dispatch({ effects: setTrace.of(ranges) });
    },
    /**
     * Selects a range and scrolls it into view. With `{ withinEditor: true }` only the
     * editor's own box scrolls, not the page (on a phone the page shows the explanation).
     */
    select(start, end, { withinEditor = false } = {}) {
      if (!withinEditor) {
        view.dispatch({ selection: { anchor: start, head: end }, scrollIntoView: true });
        return;
      }
      view.dispatch({ selection: { anchor: start, head: end } });
      view.requestMeasure({
        read: () => view.lineBlockAt(start).top,
        write: (top) => {
          view.scrollDOM.scrollTop = Math.max(0, top - view.scrollDOM.clientHeight / 3);
        },
      });
    },
    focus() {
      view.focus();
    },
    hasFocus: () => view.hasFocus,
    /** Whether the code is shown with syntax colours (see MAX_COLOURED_LINES). */
    coloured: () => language.get(view.state) !== plain,
    /** Wraps long lines (on narrow screens, so the code never scrolls sideways). */
    setWrapping(on) {
      view.dispatch({ effects: wrapping.reconfigure(on ? EditorView.lineWrapping : []) });
    },
    /** Applies edits (UTF-16 offsets into the current text) as one undo step. */
    applyEdits(edits) {
      view.dispatch({
        changes: edits.map((edit) => ({ from: edit.start, to: edit.end, insert: edit.content })),
        userEvent: "input.fix",
        scrollIntoView: true,
      });
    },
    /** Replaces the whole text, touching only the part that differs (one undo step). */
    replaceText(next, userEvent = "input.fix") {
      const current = view.state.doc.toString();
      if (next === current) return;
      let start = 0;
      while (start < current.length && start < next.length && current[start] === next[start]) start++;
      let endCurrent = current.length;
      let endNext = next.length;
      while (endCurrent > start && endNext > start && current[endCurrent - 1] === next[endNext - 1]) {
        endCurrent--;
        endNext--;
      }
      view.dispatch({ changes: { from: start, to: endCurrent, insert: next.slice(start, endNext) }, userEvent });
    },
  };
}
