// Builds the static site into www/dist: bundles the page scripts with esbuild, copies the
// WebAssembly module, and renders the rule docs and the guideline from Markdown to HTML
// once, here, so no Markdown renderer ships to the browser.
//
// Needs pkg/ (scripts/build-wasm.sh builds it).

import { build } from "esbuild";
import { Marked } from "marked";
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
    sw: join(www, "src/sw.js"),
  },
  bundle: true,
  format: "esm",
  minify: true,
  target: "es2022",
  outdir: dist,
  legalComments: "none",
  logLevel: "warning",
});
// The theme runs before the page is drawn: a classic script, not a module.
await build({
  entryPoints: { theme: join(www, "src/theme.js") },
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2022",
  outdir: dist,
  legalComments: "none",
  logLevel: "warning",
});
for (const file of ["index.html", "guide.html", "rules.html", "learn.html", "styles.css", "manifest.webmanifest", "icon.svg"]) {
  await copyFile(join(www, file), join(dist, file));
}
await copyFile(join(pkg, "pyvet_bg.wasm"), join(dist, "pyvet_bg.wasm"));
await writeFile(join(dist, "docs.json"), JSON.stringify(docs));
await writeFile(join(dist, "lessons.json"), JSON.stringify(lessons));
console.log(
  `site built in ${dist} (${rules.length} rules, ${sections.length} guide sections, ${lessons.length} lessons)`,
);
