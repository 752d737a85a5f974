// Builds the static site into www/dist: bundles the page scripts with esbuild, copies the
// WebAssembly module, and renders the rule docs and the guideline from Markdown to HTML
// once, here, so no Markdown renderer ships to the browser.
//
// Needs pkg/ (scripts/build-wasm.sh builds it).

import { build } from "esbuild";
import { Marked } from "marked";
import { copyFile, cp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE } from "./bundle-options.mjs";
import { writeServiceWorker } from "./service-worker.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const www = join(root, "www");
const dist = join(www, "dist");
const pkg = join(root, "pkg");

const engine = await import(join(pkg, "pyvet.js"));
engine.initSync({ module: await readFile(join(pkg, "pyvet_bg.wasm")) });

const escapeHtml = (text) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Markdown → HTML; ```python bad / ```python good blocks are marked for the page. */
function markdown() {
  const marked = new Marked({ gfm: true });
  marked.use({
    renderer: {
      code({ text, lang }) {
        const [language = "", kind = ""] = (lang ?? "").split(/\s+/);
        const kindAttribute = kind === "bad" || kind === "good" ? ` data-kind="${kind}"` : "";
        const label = kind === "bad" ? "Vulnerable" : kind === "good" ? "Secure" : "";
        const caption = label ? `<figcaption>${label}</figcaption>` : "";
        return `<figure class="code"${kindAttribute}>${caption}<pre><code class="language-${escapeHtml(language)}">${escapeHtml(text)}</code></pre></figure>\n`;
      },
    },
  });
  return (text) => marked.parse(text);
}

/** The code blocks of one kind (`bad`, `good`) in a Markdown text. */
function codeBlocks(text, kind) {
  const blocks = [];
  const pattern = /^```python[ \t]+(\w+)[ \t]*\n([\s\S]*?)^```/gm;
  for (const match of text.matchAll(pattern)) if (match[1] === kind) blocks.push(match[2]);
  return blocks;
}

const render = markdown();
const rules = engine.rules().map((rule) => ({ ...rule, html: render(rule.docs) }));
const sections = engine.guide().map((section) => ({
  id: section.id,
  title: section.title,
  rules: section.rules,
  // The title is shown by the page itself.
  html: render(section.body.replace(/^# .*\n/, "")),
  examples: codeBlocks(section.body, "bad"),
}));
const docs = { version: engine.version(), rules, sections };

/**
 * The lessons (lessons/*.json, see lessons/README.md) in the guide's order, with their
 * code as text. A lesson file that does not fit the format stops the build.
 */
async function loadLessons() {
  const folder = join(root, "lessons");
  const files = (await readdir(folder)).filter((file) => file.endsWith(".json")).sort();
  const order = sections.map((section) => section.id);
  const lessons = [];
  for (const file of files) {
    const lesson = JSON.parse(await readFile(join(folder, file), "utf8"));
    const problem =
      `${lesson.id}.json` !== file ? `its id is not ${file.replace(/\.json$/, "")}` :
      !order.includes(lesson.section) ? `its section \`${lesson.section}\` is not in the guide` :
      !Array.isArray(lesson.start) || !Array.isArray(lesson.solution) ? "start and solution must be lists of lines" :
      null;
    if (problem) throw new Error(`lessons/${file}: ${problem}`);
    lessons.push({ ...lesson, start: `${lesson.start.join("\n")}\n`, solution: `${lesson.solution.join("\n")}\n` });
  }
  const number = (id) => Number(id.match(/(\d+)$/)?.[1] ?? 0);
  return lessons.sort(
    (a, b) => order.indexOf(a.section) - order.indexOf(b.section) || number(a.id) - number(b.id),
  );
}
const lessons = await loadLessons();

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });
await build({
  entryPoints: {
    app: join(www, "src/main.js"),
    "analysis-worker": join(www, "src/analysis-worker.js"),
    guide: join(www, "src/guide-page.js"),
    rules: join(www, "src/rules-page.js"),
    learn: join(www, "src/learn-page.js"),
    // The docs embed: one file a docs page loads, from this site or another origin.
    embed: join(www, "src/embed.js"),
    updates: join(www, "src/updates.js"),
  },
  ...BUNDLE,
  outdir: dist,
});
// The theme runs before the page is drawn: a classic script, not a module.
await build({
  entryPoints: { theme: join(www, "src/theme.js") },
  ...BUNDLE,
  format: "iife",
  outdir: dist,
});
// Every page registers the service worker and offers new versions (updates.js): the build
// adds that script to each page, so a new page cannot forget it.
const UPDATES_TAG = '<script type="module" src="updates.js"></script>';
const pages = (await readdir(www)).filter((file) => file.endsWith(".html"));
for (const file of pages) {
  const html = await readFile(join(www, file), "utf8");
  const withUpdates = html.includes('src="updates.js"') ? html : html.replace("</head>", `  ${UPDATES_TAG}\n</head>`);
  await writeFile(join(dist, file), withUpdates);
}
for (const file of ["styles.css", "manifest.webmanifest", "icon.svg"]) {
  await copyFile(join(www, file), join(dist, file));
}
await cp(join(www, "icons"), join(dist, "icons"), { recursive: true });
await copyFile(join(pkg, "pyvet_bg.wasm"), join(dist, "pyvet_bg.wasm"));
await writeFile(join(dist, "docs.json"), JSON.stringify(docs));
await writeFile(join(dist, "lessons.json"), JSON.stringify(lessons));
// Last: the worker lists (and hashes) every file written above.
const worker = await writeServiceWorker(dist);
console.log(
  `site built in ${dist} (${pages.length} pages, ${rules.length} rules, ${sections.length} guide sections, ${lessons.length} lessons; ` +
    `service worker precaches ${worker.files.length} files as build ${worker.version})`,
);
