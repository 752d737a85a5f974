// The rules page: every rule in a table that can be searched and filtered by group and
// severity, and `rules.html#PV201` for one rule's whole documentation.

import { loadDocs } from "./engine.js";
import { linkRuleIds, ruleSummary, sectionCode } from "./rule-docs.js";
import { encodeCode } from "./share.js";
import { setRichText } from "./text.js";

const $ = (id) => document.getElementById(id);
const SEVERITY_ORDER = ["critical", "high", "medium", "low"];
const FIX_TEXT = { none: "no automatic fix", sometimes: "a fix for some cases", always: "a fix" };
// What `pyvet check` does with the rule in tests/, test_*.py, conftest.py (see the README).
const IN_TESTS_TEXT = { report: "reported", skip: "quiet unless --include-tests" };

function badge(severity) {
  const element = document.createElement("span");
  element.className = `badge ${severity}`;
  element.textContent = severity;
  return element;
}

function link(href, text, external = false) {
  const element = document.createElement("a");
  element.href = href;
  element.textContent = text;
  if (external) element.rel = "noopener noreferrer";
  return element;
}

/** What a search matches in a rule: id, name, group, CWE ids and the Bandit / Ruff codes. */
function searchText(rule) {
  return [rule.id, rule.name, rule.group, ...rule.cwe.map((id) => `CWE-${id}`), ...rule.sources.map((s) => s.code), ruleSummary(rule.docs)]
    .join(" ")
    .toLowerCase();
}

function renderIndex(rules) {
  const rows = rules.map((rule) => {
    const row = document.createElement("tr");
    row.dataset.rule = rule.id;
    row.dataset.group = rule.group;
    row.dataset.severity = rule.severity;
    const name = document.createElement("th");
    name.scope = "row";
    name.append(link(`#${rule.id}`, `${rule.id} ${rule.name}`));
    const severity = document.createElement("td");
    severity.append(badge(rule.severity));
    const group = document.createElement("td");
    group.textContent = rule.group;
    const summary = document.createElement("td");
    setRichText(summary, ruleSummary(rule.docs));
    row.append(name, severity, group, summary);
    return row;
  });
  $("rules-list").replaceChildren(...rows);

  const groups = [...new Set(rules.map((rule) => rule.group))].sort();
  $("rules-group").append(...groups.map((group) => new Option(group, group)));

  const words = new Map(rules.map((rule) => [rule.id, searchText(rule)]));
  function filter() {
    const terms = $("rules-search").value.toLowerCase().split(/\s+/).filter(Boolean);
    const group = $("rules-group").value;
    const severity = $("rules-severity").value;
    let shown = 0;
    for (const row of rows) {
      const visible =
        (!group || row.dataset.group === group) &&
        (!severity || row.dataset.severity === severity) &&
        terms.every((term) => words.get(row.dataset.rule).includes(term));
      row.hidden = !visible;
      if (visible) shown++;
    }
    $("rules-count").textContent =
      shown === rules.length ? `${rules.length} rules` : `${shown} of ${rules.length} rules match`;
  }
  for (const id of ["rules-search", "rules-group", "rules-severity"]) $(id).addEventListener("input", filter);
  $("rule-filters").addEventListener("submit", (event) => event.preventDefault());
  filter();
}

async function renderRule(rule, rulesById, sectionsById) {
  $("rule-title").textContent = `${rule.id} · ${rule.name}`;
  const facts = [
    ["Severity", [badge(rule.severity), document.createTextNode(` · confidence ${rule.confidence}`)]],
    ["Group", [document.createTextNode(rule.group)]],
    ["References", [
      ...rule.cwe.flatMap((id) => [link(`https://cwe.mitre.org/data/definitions/${id}.html`, `CWE-${id}`, true), document.createTextNode(" ")]),
      document.createTextNode(`OWASP ${rule.owasp}:2021`),
    ]],
    ["Fix", [document.createTextNode(FIX_TEXT[rule.fix] ?? rule.fix)]],
    ["In test files", [document.createTextNode(IN_TESTS_TEXT[rule.inTests] ?? rule.inTests)]],
    ["Guideline", [link(`guide.html#${rule.guideline}`, sectionsById.get(rule.guideline)?.title ?? rule.guideline)]],
    ["Same check in", [document.createTextNode(rule.sources.length ? rule.sources.map((s) => `${s.tool === "ruff" ? "Ruff" : "Bandit"} ${s.code}`).join(", ") : "no other tool")]],
    ["Suppress one finding", [Object.assign(document.createElement("code"), { textContent: `# pyvet: ignore[${rule.id}]` })]],
    ["Turn it off in CI", [Object.assign(document.createElement("code"), { textContent: `pyvet check --ignore ${rule.id} .` })]],
  ];
  $("rule-facts").replaceChildren(
    ...facts.flatMap(([term, content]) => {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.append(...content);
      return [dt, dd];
    }),
  );
  const body = $("rule-body");
  // Our own docs, rendered from the rule's doc comment when the site was built.
  body.innerHTML = rule.html;
  linkRuleIds(body, rulesById);
  const example = sectionCode(rule.docs, "Example");
  if (example) {
    const open = link(`./#${await encodeCode(example)}`, "Open this example in the playground");
    open.className = "open-in-playground";
    const line = document.createElement("p");
    line.append(open);
    body.querySelector("figure.code")?.after(line);
  }
}

async function start() {
  const docs = await loadDocs();
  const rulesById = new Map(docs.rules.map((rule) => [rule.id, rule]));
  const sectionsById = new Map(docs.sections.map((section) => [section.id, section]));
  renderIndex(docs.rules);

  // The rule last shown: back on the list, focus returns to its row.
  let shown = null;
  async function route() {
    const id = decodeURIComponent(location.hash.slice(1)).toUpperCase();
    const rule = rulesById.get(id);
    $("rule-index").hidden = Boolean(rule);
    $("rule-detail").hidden = !rule;
    if (rule) {
      await renderRule(rule, rulesById, sectionsById);
      document.title = `${rule.id} ${rule.name} — pyvet rules`;
      $("rule-title").tabIndex = -1;
      $("rule-title").focus();
    } else {
      document.title = "pyvet rules — every check, what it flags and how to fix it";
      if (id) $("rules-count").textContent = `There is no rule ${id}. These are all the rules.`;
      const row = shown && document.querySelector(`#rules-list a[href="#${shown}"]`);
      if (row) {
        row.focus();
        row.scrollIntoView({ block: "center" });
      }
    }
    shown = rule?.id ?? null;
    $("rules-main").dataset.ready = "true";
  }
  addEventListener("hashchange", route);
  await route();
}

start().catch((error) => {
  $("rules-count").textContent = `The rules could not load: ${error.message}`;
});
