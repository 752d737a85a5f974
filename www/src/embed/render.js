// What a snippet shows: the code, coloured, with each finding and syntax error underlined,
// and a note per finding below it. Every piece of code or message is inserted as text.

import { highlightPieces } from "./highlight.js";
import { markPieces } from "./marks.js";
import { visibleString } from "../text.js";

/** Elements for `source` with `marks` underlined (each mark `{start, end, className}`). */
export function codeNodes(source, marks) {
  const pieces = markPieces(highlightPieces(source), marks, source.length);
  return pieces.map(({ from, to, classes, covering }) => {
    const text = source.slice(from, to);
    if (!classes && covering.length === 0) return document.createTextNode(text);
    const span = document.createElement("span");
    const names = classes ? classes.split(" ") : [];
    if (covering.length) names.push("flag", marks[covering[0]].className);
    span.className = names.join(" ");
    if (covering.length) span.dataset.marks = covering.join(" ");
    span.textContent = text;
    return span;
  });
}

/** The note under the code for one finding. */
export function findingNote(finding, ruleHref, showFix) {
  const item = document.createElement("li");
  item.className = `note ${finding.severity}`;
  item.dataset.rule = finding.ruleId;
  const where = document.createElement("span");
  where.className = "where";
  where.textContent = `Line ${finding.line} · `;
  const link = document.createElement("a");
  link.href = ruleHref(finding.ruleId);
  link.textContent = finding.ruleId;
  link.title = `${finding.name}: the rule's documentation`;
  // The message quotes the code: hidden characters spelled out, isolated from the note's text.
  const message = document.createElement("bdi");
  message.textContent = visibleString(finding.message);
  item.append(where, link, " ", message);
  if (showFix && finding.fix) item.append(fixNote(finding.fix));
  return item;
}

/** "Fix (unsafe): <title>" and the text each edit puts in. */
function fixNote(fix) {
  const line = document.createElement("span");
  line.className = "fix";
  line.textContent = `Fix (${fix.applicability}): ${fix.title}`;
  for (const edit of fix.edits) {
    if (!edit.content.trim()) continue;
    const code = document.createElement("code");
    code.textContent = visibleString(edit.content.trim());
    line.append(document.createElement("br"), code);
  }
  return line;
}

/** The note for a syntax error (no rule: the code does not parse there). */
export function syntaxErrorNote(error) {
  const item = document.createElement("li");
  item.className = "note error";
  item.dataset.syntaxError = "";
  item.textContent = `Line ${error.line} · Syntax error: ${visibleString(error.message)}`;
  return item;
}
