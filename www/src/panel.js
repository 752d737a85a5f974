// The guideline panel beside the code: what the selected finding means, where its value
// came from, the secure rewrite, the rule's docs and the guideline section that explains it.

import { fixPreview, renderDiff } from "./diff.js";
import { showFindingExtras } from "./finding-extras.js";
import { setRichText } from "./text.js";

const OWASP = {
  A01: "A01_2021-Broken_Access_Control",
  A02: "A02_2021-Cryptographic_Failures",
  A03: "A03_2021-Injection",
  A04: "A04_2021-Insecure_Design",
  A05: "A05_2021-Security_Misconfiguration",
  A06: "A06_2021-Vulnerable_and_Outdated_Components",
  A07: "A07_2021-Identification_and_Authentication_Failures",
  A08: "A08_2021-Software_and_Data_Integrity_Failures",
  A09: "A09_2021-Security_Logging_and_Monitoring_Failures",
  A10: "A10_2021-Server-Side_Request_Forgery_%28SSRF%29",
};

const APPLICABILITY_NOTE = {
  safe: "Safe: keeps what the code does.",
  unsafe: "Changes behaviour — review before applying.",
  "display-only": "A suggestion to apply by hand: it needs a choice only you can make, so pyvet never applies it for you.",
};

const $ = (id) => document.getElementById(id);

function externalLink(href, text) {
  const link = document.createElement("a");
  link.href = href;
  link.textContent = text;
  link.target = "_blank";
  link.rel = "noopener noreferrer";
  return link;
}

/** The text of one `## Heading` section of a rule's Markdown docs (backticks kept). */
function docSection(markdown, heading) {
  const start = markdown.indexOf(`## ${heading}\n`);
  if (start < 0) return "";
  const rest = markdown.slice(start + heading.length + 4);
  const end = rest.indexOf("\n## ");
  const text = (end < 0 ? rest : rest.slice(0, end))
    .replace(/^\s*(Safe|Unsafe|Display-only)[:.]\s*/i, "")
    .replace(/\s+/g, " ")
    .trim();
  // What followed "Unsafe:" starts a sentence of its own here (unless it starts with code).
  return text.startsWith("`") ? text : text.charAt(0).toUpperCase() + text.slice(1);
}

/** The first sentence of `text`, without its asides in parentheses: the short note. */
function firstSentence(text) {
  const sentence = text.split(/(?<=[.!?])\s+(?=[A-Z`])/)[0];
  let depth = 0;
  let short = "";
  for (const char of sentence) {
    if (char === "(") depth++;
    if (depth === 0) short += char;
    if (char === ")" && depth > 0) depth--;
  }
  return short.replace(/\s+([,.;:])/g, "$1").replace(/\s{2,}/g, " ").trim();
}

export function createPanel({ docs, editor, onApply }) {
  const rulesById = new Map(docs.rules.map((rule) => [rule.id, rule]));
  const sectionsById = new Map(docs.sections.map((section) => [section.id, section]));

  /** The rule of the finding on show, to tell a new finding from the same one re-analysed. */
  let shownRule = null;

  function hide() {
    shownRule = null;
    $("panel").hidden = true;
    editor.highlightTrace([]);
  }

  function show(finding, source) {
    const rule = rulesById.get(finding.ruleId);
    const section = sectionsById.get(finding.guideline);
    $("panel").hidden = false;
    $("panel-title").textContent = `${finding.ruleId} · ${finding.name}`;

    const meta = $("panel-meta");
    const badge = document.createElement("span");
    badge.className = `badge ${finding.severity}`;
    badge.textContent = finding.severity;
    const confidence = document.createElement("span");
    confidence.textContent = ` confidence ${finding.confidence} · `;
    meta.replaceChildren(
      badge,
      confidence,
      ...finding.cwe.map((id) => externalLink(`https://cwe.mitre.org/data/definitions/${id}.html`, `CWE-${id}`)),
      externalLink(`https://owasp.org/Top10/${OWASP[finding.owasp] ?? ""}/`, `OWASP ${finding.owasp}:2021`),
    );
    setRichText($("panel-message"), finding.message);
    showFindingExtras(finding);

    const trace = $("panel-trace");
    trace.replaceChildren(
      ...finding.trace.map((step) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        setRichText(button, `${step.message} (line ${step.line})`);
        button.addEventListener("click", () => editor.select(step.start, step.end));
        item.append(button);
        return item;
      }),
    );
    editor.highlightTrace(finding.trace);

    const fix = finding.fix;
    $("fix").hidden = !fix;
    if (fix) {
      $("fix").dataset.applicability = fix.applicability;
      setRichText($("fix-title"), `Secure rewrite: ${fix.title}`);
      // The note is one short sentence; the whole "Fix safety" text is behind a disclosure.
      const safety = fix.applicability === "unsafe" && rule ? docSection(rule.docs, "Fix safety") : "";
      const short = safety ? firstSentence(safety) : "";
      setRichText($("fix-note"), `${APPLICABILITY_NOTE[fix.applicability]}${short ? ` ${short}` : ""}`);
      const details = $("fix-details");
      details.hidden = !safety || short === safety;
      // Closed for each new finding; left as the user set it while they edit the same one.
      if (finding.ruleId !== shownRule) details.open = false;
      setRichText($("fix-details-body"), safety);
      renderDiff($("fix-diff"), fixPreview(source, fix.edits));
      const apply = $("fix-apply");
      apply.hidden = fix.applicability === "display-only" || fix.edits.length === 0;
      apply.onclick = () => onApply(finding);
    }

    shownRule = finding.ruleId;

    // Build output from our own Markdown (rule docs and the guide), not from user code.
    $("rule-docs-body").innerHTML = rule?.html ?? "";
    $("guide-title").textContent = section ? `Guideline: ${section.title}` : "Guideline";
    $("guide-body").innerHTML = section?.html ?? "";
    $("guide-link").href = `guide.html#${finding.guideline}`;
  }

  return { show, hide };
}
