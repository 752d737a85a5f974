// Where the underlines go: the highlighted pieces of the code cut again at every finding's
// start and end, each resulting piece knowing which findings cover it.

/** A range with at least one character, so a finding on an empty range still shows. */
function visibleRange({ start, end }, length) {
  const from = Math.min(Math.max(0, start), Math.max(0, length - 1));
  return { from, to: Math.max(from + 1, Math.min(end, length)) };
}

/**
 * `pieces` (from highlightPieces) cut at the edges of `marks` (findings or syntax errors,
 * with UTF-16 `start`/`end`); each result is `{from, to, classes, covering}` where `covering`
 * lists the indexes of the marks over it.
 */
export function markPieces(pieces, marks, length) {
  const ranges = marks.map((mark) => visibleRange(mark, length));
  const cuts = new Set();
  for (const { from, to } of ranges) cuts.add(from).add(to);
  const result = [];
  for (const piece of pieces) {
    const inside = [...cuts].filter((cut) => cut > piece.from && cut < piece.to).sort((a, b) => a - b);
    const edges = [piece.from, ...inside, piece.to];
    for (let i = 0; i + 1 < edges.length; i++) {
      const from = edges[i];
      const to = edges[i + 1];
      const covering = [];
      ranges.forEach((range, index) => {
        if (range.from < to && from < range.to) covering.push(index);
      });
      result.push({ from, to, classes: piece.classes, covering });
    }
  }
  return result;
}
