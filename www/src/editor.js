// The CodeMirror editor: mounted in a shadow root so its styles are adopted stylesheets
// (a strict CSP blocks <style> elements), with findings shown as lint diagnostics.

import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { bracketMatching, defaultHighlightStyle, foldGutter, foldKeymap, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { python } from "@codemirror/lang-python";
import { lintGutter, lintKeymap, setDiagnostics } from "@codemirror/lint";
import { highlightSelectionMatches, searchKeymap } from "@codemirror/search";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
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

/** What the editor needs for reading and fixing code (no autocompletion: this is not an IDE). */
const essentials = [
  lineNumbers(),
  highlightActiveLineGutter(),
  highlightSpecialChars(),
  history(),
  foldGutter(),
  drawSelection(),
  EditorState.allowMultipleSelections.of(true),
  indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
  bracketMatching(),
  highlightActiveLine(),
  highlightSelectionMatches(),
  keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap]),
];

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
  "&": { fontSize: "14px", minHeight: "60vh" },
  ".cm-scroller": { fontFamily: 'ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace', minHeight: "60vh" },
  ".cm-pyvet-trace": { backgroundColor: "#fff3bf", outline: "1px dashed #b08800" },
  ".cm-lintRange-error.sev-critical": { backgroundColor: "#fde2e4" },
  ".cm-tooltip-lint": { maxWidth: "min(560px, 90vw)" },
});

/** Creates the editor inside `host`. `onChange(text)` runs after every edit. */
export function createEditor(host, { doc, onChange, label }) {
  const root = host.attachShadow({ mode: "open" });
  const view = new EditorView({
    root,
    parent: root,
    doc,
    extensions: [
      essentials,
      python(),
      lintGutter(),
      traceField,
      theme,
      EditorView.contentAttributes.of({ "aria-label": label }),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChange(update.state.doc.toString());
      }),
    ],
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    /** Shows findings and syntax errors as diagnostics (underline + gutter icon + tooltip). */
    showFindings(findings, syntaxErrors, onSelect) {
      const length = view.state.doc.length;
      const clamp = (offset) => Math.max(0, Math.min(offset, length));
      const diagnostics = findings.map((finding, index) => ({
        from: clamp(finding.start),
        to: clamp(Math.max(finding.end, finding.start)),
        severity: LINT_SEVERITY[finding.severity] ?? "warning",
        markClass: `sev-${finding.severity}`,
        source: `${finding.ruleId} ${finding.severity}`,
        message: finding.message,
        actions: [{ name: "Explain", apply: () => onSelect(index) }],
      }));
      for (const error of syntaxErrors) {
        diagnostics.push({
          from: clamp(error.start),
          to: clamp(Math.max(error.end, error.start)),
          severity: "error",
          source: "syntax",
          message: error.message,
        });
      }
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    highlightTrace(ranges) {
      view.dispatch({ effects: setTrace.of(ranges) });
    },
    select(start, end) {
      view.dispatch({ selection: { anchor: start, head: end }, scrollIntoView: true });
    },
    focus() {
      view.focus();
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
