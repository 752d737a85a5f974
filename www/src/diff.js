// A before/after view of one change: the lines that differ, with a line of context.

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

/** Lines removed and added between two texts, as `{kind, text}` rows. */
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
  const rows = [];
  for (let i = Math.max(0, head - context); i < head; i++) rows.push({ kind: "context", text: a[i] });
  for (let i = head; i < tailA; i++) rows.push({ kind: "removed", text: a[i] });
  for (let i = head; i < tailB; i++) rows.push({ kind: "added", text: b[i] });
  for (let i = tailA; i < Math.min(a.length, tailA + context); i++) rows.push({ kind: "context", text: a[i] });
  return rows;
}

/** Renders rows into `pre` as text (never as HTML). */
export function renderDiff(pre, rows) {
  const marks = { context: "  ", removed: "- ", added: "+ " };
  pre.replaceChildren(
    ...rows.map((row) => {
      const line = document.createElement("span");
      line.className = row.kind;
      line.textContent = marks[row.kind] + row.text;
      return line;
    }),
  );
}
