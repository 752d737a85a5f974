// Reading a rule's Markdown docs (from `rules()`, shipped in docs.json): its summary and
// the code of one section. The same words the CLI prints for `pyvet rule ID`.

/** The Markdown of one `## Heading` section, or "" when there is none. */
export function docSection(markdown, heading) {
  const start = markdown.indexOf(`## ${heading}\n`);
  if (start < 0) return "";
  const rest = markdown.slice(start + heading.length + 4);
  const end = rest.indexOf("\n## ");
  return (end < 0 ? rest : rest.slice(0, end)).trim();
}

/** The first paragraph of "What it does", on one line (SARIF's `shortDescription`). */
export function ruleSummary(markdown) {
  const paragraph = docSection(markdown, "What it does").split("\n\n")[0] ?? "";
  return paragraph.split(/\s+/).filter(Boolean).join(" ");
}

/** The first code block of a section (`Example`, `Use instead`), or `null`. */
export function sectionCode(markdown, heading) {
  const match = docSection(markdown, heading).match(/```[^\n]*\n([\s\S]*?)```/);
  return match ? match[1] : null;
}

/** The address of a rule's page, from a page beside rules.html. */
export function rulePageHref(id) {
  return `rules.html#${id}`;
}

/**
 * Turns the rule ids (`PV104`) mentioned in our own rendered docs into links to their
 * pages; ids in code blocks, in links, or of no known rule stay as they are.
 */
export function linkRuleIds(element, knownIds) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
    acceptNode: (node) => (node.parentElement?.closest("a, pre") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  const texts = [];
  while (walker.nextNode()) if (/PV\d{3}/.test(walker.currentNode.data)) texts.push(walker.currentNode);
  for (const text of texts) {
    const parts = text.data.split(/(PV\d{3})/);
    text.replaceWith(
      ...parts.map((part, index) => {
        if (index % 2 === 0 || !knownIds.has(part)) return document.createTextNode(part);
        const link = document.createElement("a");
        link.href = rulePageHref(part);
        link.textContent = part;
        return link;
      }),
    );
  }
}
