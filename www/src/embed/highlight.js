// Python syntax colouring for read-only snippets without an editor: the Lezer Python grammar
// (the one CodeMirror's Python mode uses, so colours agree with the playground) and
// Lezer's class highlighter, which names each token (`tok-keyword`, `tok-string`, ...).

import { parser } from "@lezer/python";
import { classHighlighter, highlightCode } from "@lezer/highlight";

/**
 * The source cut into consecutive pieces `{from, to, classes}` (UTF-16 offsets, `classes`
 * empty for plain text) that together cover every character once.
 */
export function highlightPieces(source) {
  const pieces = [];
  let at = 0;
  const push = (text, classes) => {
    if (!text) return;
    pieces.push({ from: at, to: at + text.length, classes });
    at += text.length;
  };
  highlightCode(source, parser.parse(source), classHighlighter, push, () => push("\n", ""));
  // A line break the grammar does not report (\r) or trailing text it skipped.
  if (at < source.length) push(source.slice(at), "");
  return pieces;
}
