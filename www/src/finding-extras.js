// Beside a selected finding: a link to its rule's page, and how to silence this one finding
// with a comment the engine reads (src/suppress.rs) when it is accepted on purpose.

import { rulePageHref } from "./rule-docs.js";

const $ = (id) => document.getElementById(id);

export function showFindingExtras(finding) {
  const link = $("rule-page-link");
  link.href = rulePageHref(finding.ruleId);
  link.textContent = `${finding.ruleId} ${finding.name} on its own page`;

  const comment = document.createElement("code");
  comment.textContent = `# pyvet: ignore[${finding.ruleId}]`;
  $("panel-suppress").replaceChildren(
    "To accept this risk on purpose, end line ",
    String(finding.line),
    " (or any line of its statement) with ",
    comment,
    ".",
  );
}
