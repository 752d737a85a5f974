// The guide page: every guideline section, the rules that enforce it, and its Python
// examples as live <pyvet-snippet>s (embed.js, loaded by the page), so each example shows
// its findings beside the text, with an "open in playground" link.

import { loadDocs } from "./engine.js";
import { linkRuleIds, rulePageHref } from "./rule-docs.js";
import { encodeCode } from "./share.js";

async function start() {
  const docs = await loadDocs();
  const rulesById = new Map(docs.rules.map((rule) => [rule.id, rule]));
  const guide = document.getElementById("guide");
  const toc = document.getElementById("toc");
  const sections = [];
  for (const section of docs.sections) {
    const element = document.createElement("section");
    element.id = section.id;
    element.setAttribute("aria-labelledby", `${section.id}-title`);
    const title = document.createElement("h2");
    title.id = `${section.id}-title`;
    title.textContent = section.title;
    const rules = document.createElement("p");
    rules.className = "rules-line";
    if (section.rules.length) {
      rules.append(
        "Enforced by: ",
        ...section.rules.flatMap((id, index) => {
          const link = document.createElement("a");
          link.href = rulePageHref(id);
          link.textContent = `${id} ${rulesById.get(id)?.name ?? ""}`.trim();
          return index === 0 ? [link] : [", ", link];
        }),
      );
    } else {
      rules.textContent = "No rule enforces this section yet: it is guidance to follow by hand.";
    }
    const body = document.createElement("div");
    // Our own guide, rendered from Markdown when the site was built.
    body.innerHTML = section.html;
    linkRuleIds(body, rulesById);
    element.append(title, rules, body);
    sections.push(element);

    const entry = document.createElement("li");
    const link = document.createElement("a");
    link.href = `#${section.id}`;
    link.textContent = section.title;
    entry.append(link);
    toc.append(entry);
  }
  for (const code of sections.flatMap((section) => [...section.querySelectorAll("figure.code pre > code.language-python")])) {
    code.parentElement.replaceWith(liveSnippet(code.textContent));
  }
  followTheme();
  const figures = sections.flatMap((section) => [...section.querySelectorAll("figure.code[data-kind]")]);
  await Promise.all(
    figures.map(async (figure) => {
      const code = figure.querySelector("pyvet-snippet, code")?.textContent ?? "";
      const link = document.createElement("a");
      link.className = "open-in-playground";
      link.textContent = "Open in playground";
      link.href = `./#${await encodeCode(code)}`;
      const line = document.createElement("p");
      line.append(link);
      figure.after(line);
    }),
  );
  guide.replaceChildren(...sections);
  guide.dataset.ready = "true";
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

/** A read-only snippet of `code`, analysed by pyvet when it scrolls into view. */
function liveSnippet(code) {
  const snippet = document.createElement("pyvet-snippet");
  snippet.textContent = code;
  return snippet;
}

/** The snippets take the page's theme (the system's or the toggle's), now and when it changes. */
function followTheme() {
  const apply = () => {
    const theme = document.documentElement.dataset.theme === "dark" ? "dark" : "light";
    for (const snippet of document.querySelectorAll("pyvet-snippet")) snippet.setAttribute("theme", theme);
  };
  apply();
  new MutationObserver(apply).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
}

start().catch((error) => {
  document.getElementById("guide").textContent = `The guide could not load: ${error.message}`;
});
