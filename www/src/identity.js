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

/**
 * Whether `next` finds what `previous` found, at the places the previous findings are now
 * (mapped through `changes`, the edits between the two): then the page has nothing to
 * redraw.
 */
export function sameFindings(previous, next, changes) {
  const at = (offset, assoc) => (changes ? changes.mapPos(offset, assoc) : offset);
  const samePlace = (a, b) => at(a.start, 1) === b.start && Math.max(at(a.end, -1), at(a.start, 1)) === b.end;
  const sameFinding = (a, b) =>
    samePlace(a, b) &&
    a.ruleId === b.ruleId &&
    a.message === b.message &&
    a.severity === b.severity &&
    a.line === b.line &&
    a.column === b.column &&
    a.fix?.applicability === b.fix?.applicability &&
    a.fix?.title === b.fix?.title;
  return (
    previous.findings.length === next.findings.length &&
    previous.syntaxErrors.length === next.syntaxErrors.length &&
    previous.findings.every((finding, index) => sameFinding(finding, next.findings[index])) &&
    previous.syntaxErrors.every(
      (error, index) => samePlace(error, next.syntaxErrors[index]) && error.message === next.syntaxErrors[index].message,
    )
  );
}
