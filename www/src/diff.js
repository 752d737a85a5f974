// A before/after view of a change: the lines that differ, with a line of context.

import { isolated } from "./text.js";

/** Applies edits (UTF-16 offsets, non-overlapping) to `text`. */
export function applyEditsToText(text, edits) {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let output = "";
  let last = 0;
  for (const edit of sorted) {
    output += text.slice(last, edit.start) + edit.content;
    last = Math.max(last, edit.end);
  }
  return output + text.slice(last);
}

/**
 * Lines removed and added between two texts, as `{kind, text, line}` rows: unchanged lines
 * appear only as `context` lines around each change, long unchanged runs as one `gap`.
 * `line` is the 1-based line in `before` (for an added line: the line it comes before).
 */
export function lineDiff(before, after, context = 1) {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tailA = a.length;
  let tailB = b.length;
  while (tailA > head && tailB > head && a[tailA - 1] === b[tailB - 1]) {
    tailA--;
    tailB--;
  }
  // The changed middle, diffed line by line (longest common subsequence; fixes are small).
  const middle = diffMiddle(a.slice(head, tailA), b.slice(head, tailB));
  const all = [
    ...a.slice(0, head).map((text) => ({ kind: "same", text })),
    ...middle,
    ...a.slice(tailA).map((text) => ({ kind: "same", text })),
  ];
  let line = 1;
  for (const row of all) {
    row.line = line;
    if (row.kind !== "added") line++;
  }
  // changed[i]: how many rows before i differ, so "a change within `context` rows" is a subtraction.
  const changed = new Uint32Array(all.length + 1);
  all.forEach((row, index) => (changed[index + 1] = changed[index] + (row.kind !== "same" ? 1 : 0)));
  const near = all.map(
    (_, index) => changed[Math.min(all.length, index + context + 1)] - changed[Math.max(0, index - context)] > 0,
  );
  const rows = [];
  all.forEach((row, index) => {
    if (row.kind !== "same") rows.push(row);
    else if (near[index]) rows.push({ ...row, kind: "context" });
    else if (rows.length && rows.at(-1).kind !== "gap" && index < all.length - 1) rows.push({ kind: "gap", text: "…" });
  });
  while (rows.length && rows.at(-1).kind === "gap") rows.pop();
  while (rows.length && rows[0].kind === "gap") rows.shift();
  return rows;
}

/** The most differing lines the diff looks for before it shows a block as replaced. */
const MAX_DIFFERENCES = 4000;

/**
 * Rows for two lists of lines, by Myers' algorithm: O((N+M)·D) time for D differing lines,
 * so a few fixes spread over a long file stay cheap to show.
 */
function diffMiddle(a, b) {
  const n = a.length;
  const m = b.length;
  const offset = n + m + 1;
  const v = new Int32Array(2 * offset + 1);
  const trace = [];
  for (let d = 0; d <= Math.min(n + m, MAX_DIFFERENCES); d++) {
    // What step d - 1 reached, for k in [-d - 1, d + 1]: enough to walk back through step d.
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return walkBack(trace, a, b);
    }
  }
  return [...a.map((text) => ({ kind: "removed", text })), ...b.map((text) => ({ kind: "added", text }))];
}

function walkBack(trace, a, b) {
  const rows = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d >= 0; d--) {
    const reached = (k) => trace[d][k + d + 1];
    const k = x - y;
    const previousK = k === -d || (k !== d && reached(k - 1) < reached(k + 1)) ? k + 1 : k - 1;
    const previousX = reached(previousK);
    const previousY = previousX - previousK;
    while (x > previousX && y > previousY) {
      x--;
      y--;
      rows.push({ kind: "same", text: a[x] });
    }
    if (d > 0) {
      if (x === previousX) rows.push({ kind: "added", text: b[--y] });
      else rows.push({ kind: "removed", text: a[--x] });
    }
  }
  return rows.reverse();
}

/**
 * The rows of one fix's preview: only the lines its edits touch, with `context` lines
 * around each, so previewing a fix in a file of 80,000 lines costs what it costs in a
 * small one. The rows are `lineDiff`'s, with `line` counted in the whole text.
 */
export function fixPreview(text, edits, context = 1) {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const lineStart = (offset) => text.lastIndexOf("\n", offset - 1) + 1;
  const lineEnd = (offset) => {
    const end = text.indexOf("\n", offset);
    return end < 0 ? text.length : end;
  };
  // The lines each edit touches, widened by `context` lines; overlapping regions merged.
  const regions = [];
  for (const edit of sorted) {
    let start = lineStart(edit.start);
    let end = lineEnd(edit.end);
    for (let i = 0; i < context && start > 0; i++) start = lineStart(start - 1);
    for (let i = 0; i < context && end < text.length; i++) end = lineEnd(end + 1);
    const last = regions.at(-1);
    if (last && start <= last.end + 1) {
      last.end = Math.max(last.end, end);
      last.edits.push(edit);
    } else {
      regions.push({ start, end, edits: [edit] });
    }
  }
  const rows = [];
  let line = 1;
  let counted = 0;
  for (const region of regions) {
    for (let at = text.indexOf("\n", counted); at >= 0 && at < region.start; at = text.indexOf("\n", at + 1)) line++;
    counted = region.start;
    const before = text.slice(region.start, region.end);
    const shifted = region.edits.map((edit) => ({ ...edit, start: edit.start - region.start, end: edit.end - region.start }));
    const after = applyEditsToText(before, shifted);
    if (rows.length) rows.push({ kind: "gap", text: "…" });
    rows.push(...lineDiff(before, after, context).map((row) => ({ ...row, line: row.line && row.line + line - 1 })));
  }
  return rows;
}

/** One diff row as an element: its mark, then the code, isolated, hidden characters shown. */
export function diffLine(row) {
  const marks = { context: "  ", removed: "- ", added: "+ ", gap: "  " };
  const line = document.createElement("span");
  line.className = row.kind;
  line.append(marks[row.kind], row.kind === "gap" ? row.text : isolated(row.text));
  return line;
}

/** Renders rows into `pre` as text (never as HTML). */
export function renderDiff(pre, rows) {
  pre.replaceChildren(...rows.map(diffLine));
}
