// Which finding is "the same one" after an edit. Positions are mapped through every edit
// (CodeMirror's ChangeSet), so a finding that moved because lines were added above it is
// still found; one whose code was removed is not.

/** What identifies a finding: its rule and its place. */
export function identify(finding) {
  return { ruleId: finding.ruleId, start: finding.start, end: finding.end };
}

/** The identity after `changes` (a CodeMirror ChangeSet, or null for none). */
export function mapIdentity(identity, changes) {
  if (!changes) return identity;
  const start = changes.mapPos(identity.start, 1);
  const end = Math.max(start, changes.mapPos(identity.end, -1));
  return { ...identity, start, end };
}

/** The index of the finding with this identity in `findings`, or -1: the same rule at the
 * same place, else the same rule over the same code (the nearest one). */
export function findFinding(findings, identity) {
  let best = -1;
  let bestDistance = Infinity;
  findings.forEach((finding, index) => {
    if (finding.ruleId !== identity.ruleId) return;
    const overlaps = finding.start < Math.max(identity.end, identity.start + 1) && finding.end > identity.start;
    const exact = finding.start === identity.start && finding.end === identity.end;
    if (!overlaps && !exact) return;
    const distance = exact ? -1 : Math.abs(finding.start - identity.start);
    if (distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}

/** Whether two fixes make the same change (the same words put in, wherever they go). */
export function sameFix(a, b) {
  if (!a || !b || a.title !== b.title || a.applicability !== b.applicability) return false;
  if (a.edits.length !== b.edits.length) return false;
  return a.edits.every((edit, index) => {
    const other = b.edits[index];
    return edit.content === other.content && edit.end - edit.start === other.end - other.start;
  });
}
