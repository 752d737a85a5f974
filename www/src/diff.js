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

/** Lines removed and added between two texts, as `{kind, text}` rows: unchanged lines
 * appear only as `context` lines around each change, long unchanged runs as one `gap`. */
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
  const near = all.map((_, index) =>
    all.slice(Math.max(0, index - context), index + context + 1).some((row) => row.kind !== "same"),
  );
  const rows = [];
  all.forEach((row, index) => {
    if (row.kind !== "same") rows.push(row);
    else if (near[index]) rows.push({ kind: "context", text: row.text });
    else if (rows.length && rows.at(-1).kind !== "gap" && index < all.length - 1) rows.push({ kind: "gap", text: "…" });
  });
  while (rows.length && rows.at(-1).kind === "gap") rows.pop();
  while (rows.length && rows[0].kind === "gap") rows.shift();
  return rows;
}

function diffMiddle(a, b) {
  if (a.length * b.length > 250_000) {
    return [...a.map((text) => ({ kind: "removed", text })), ...b.map((text) => ({ kind: "added", text }))];
  }
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const rows = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      rows.push({ kind: "same", text: a[i] });
      i++;
      j++;
    } else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      rows.push({ kind: "removed", text: a[i++] });
    } else {
      rows.push({ kind: "added", text: b[j++] });
    }
  }
  return rows;
}

/** Renders rows into `pre` as text (never as HTML). */
export function renderDiff(pre, rows) {
  const marks = { context: "  ", removed: "- ", added: "+ ", gap: "  " };
  pre.replaceChildren(
    ...rows.map((row) => {
      const line = document.createElement("span");
      line.className = row.kind;
      line.textContent = marks[row.kind] + row.text;
      return line;
    }),
  );
}
