// "Review all fixes": one combined diff of every fix the engine can apply, each change
// labelled with the rule it fixes and whether it is safe (keeps behaviour) or unsafe
// (changes it). Nothing changes until the user applies it; then the whole rewrite is one
// undo step. Suggestions to apply by hand (display-only) are listed, never applied.

import { diffLine, lineDiff } from "./diff.js";
import { richNodes } from "./text.js";

const $ = (id) => document.getElementById(id);

/**
 * `open({source, version, findings, all, safe})`: `all` and `safe` are the engine's
 * `applyFixes` results (every fix / safe fixes only) for `source`.
 * `apply(result, version)` is called with the chosen result.
 */
export function createReview({ apply }) {
  const dialog = $("review");
  let shown = null;

  $("review-apply-all").addEventListener("click", () => choose(shown?.all));
  $("review-apply-safe").addEventListener("click", () => choose(shown?.safe));
  $("review-cancel").addEventListener("click", () => dialog.close());

  function choose(result) {
    if (!shown || !result) return;
    const { version } = shown;
    dialog.close();
    apply(result, version);
  }

  function open({ source, version, findings, all, safe }) {
    shown = { version, all, safe };
    const fixable = findings.filter((f) => f.fix && f.fix.applicability !== "display-only" && f.fix.edits.length);
    const safeCount = fixable.filter((f) => f.fix.applicability === "safe").length;
    const unsafeCount = fixable.length - safeCount;
    const byHand = findings.filter((f) => f.fix?.applicability === "display-only").length;

    $("review-summary").textContent =
      `${plural(fixable.length, "fix", "fixes")}: ${safeCount} safe (keep behaviour), ` +
      `${unsafeCount} unsafe (change behaviour: read them before applying).` +
      (byHand ? ` ${plural(byHand, "suggestion needs", "suggestions need")} your choice and ${byHand === 1 ? "is" : "are"} not included.` : "");
    $("review-list").replaceChildren(...fixable.map(fixItem));
    $("review-diff").replaceChildren(...labelledDiff(source, all.source, fixable));
    $("review-apply-all").textContent = `Apply all ${plural(all.applied, "fix", "fixes")}`;
    $("review-apply-all").disabled = all.applied === 0;
    $("review-apply-safe").textContent = `Apply the ${plural(safe.applied, "safe fix", "safe fixes")} only`;
    $("review-apply-safe").disabled = safe.applied === 0;
    dialog.showModal();
    $("review-title").focus();
  }

  return { open, isOpen: () => dialog.open };
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

function applicabilityBadge(applicability) {
  const badge = document.createElement("span");
  badge.className = `fix-kind ${applicability}`;
  badge.textContent = applicability;
  return badge;
}

function fixItem(finding) {
  const item = document.createElement("li");
  item.dataset.rule = finding.ruleId;
  item.dataset.applicability = finding.fix.applicability;
  item.append(
    applicabilityBadge(finding.fix.applicability),
    ` ${finding.ruleId} · line ${finding.line}: `,
    ...richNodes(finding.fix.title),
  );
  return item;
}

/** The diff, each changed block headed by the fixes whose edits touch its lines. */
function labelledDiff(before, after, fixable) {
  const rows = lineDiff(before, after);
  const nodes = [];
  let block = [];
  const flush = () => {
    if (!block.length) return;
    const first = Math.min(...block.map((row) => row.line));
    const last = Math.max(...block.map((row) => row.line));
    const fixes = fixable.filter((finding) =>
      finding.fix.edits.some((edit) => edit.line <= last && edit.endLine >= first - 1),
    );
    const head = document.createElement("span");
    head.className = "hunk";
    if (fixes.length === 0) head.textContent = `line ${first}`;
    for (const finding of fixes) {
      const label = document.createElement("span");
      label.className = "hunk-fix";
      label.append(applicabilityBadge(finding.fix.applicability), ` ${finding.ruleId} `, ...richNodes(finding.fix.title));
      head.append(label);
    }
    nodes.push(head, ...block.map(diffLine));
    block = [];
  };
  for (const row of rows) {
    if (row.kind === "removed" || row.kind === "added") {
      block.push(row);
      continue;
    }
    flush();
    nodes.push(diffLine(row));
  }
  flush();
  return nodes;
}
