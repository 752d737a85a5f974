// <pyvet-snippet>: Python code in a page, analysed by pyvet in the reader's browser.
//
//   <pyvet-snippet rules="injection" ignore="PV602" theme="auto" show-fixes editable>
//   import yaml
//   config = yaml.load(text)
//   </pyvet-snippet>
//
// The code is the element's text content (leading blank line and common indentation
// removed). Colouring shows at once; the analyser is loaded only when the first snippet
// scrolls into view, and once for the whole page (engine.js).

import { analyze, loadEngine } from "./engine.js";
import { codeNodes, findingNote, syntaxErrorNote } from "./render.js";
import { snippetStyles } from "./styles.js";

const RULES_PAGE = new URL("./rules.html", import.meta.url);

/** The rule's page beside this script: `rules.html#PV201`. */
const ruleHref = (id) => `${RULES_PAGE.href}#${id}`;

/** The code an author wrote inside the element, without the indentation of the HTML around it. */
export function snippetSource(text) {
  const lines = text.replace(/\r\n?/g, "\n").replace(/^[ \t]*\n/, "").trimEnd().split("\n");
  const indents = lines.filter((line) => line.trim()).map((line) => line.match(/^[ \t]*/)[0].length);
  const common = indents.length ? Math.min(...indents) : 0;
  return lines.map((line) => line.slice(common)).join("\n");
}

/** `rules="injection, PV602 crypto"` → `["injection", "PV602", "crypto"]`. */
function selectors(value) {
  return (value ?? "").split(/[\s,]+/).filter(Boolean);
}

// Snippets start their analysis when they first come into view (with some margin).
const visibility = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      visibility.unobserve(entry.target);
      entry.target.visible();
    }
  },
  { rootMargin: "200px" },
);

const EDIT_DELAY_MS = 150;

export class PyvetSnippet extends HTMLElement {
  static observedAttributes = ["rules", "ignore", "show-fixes"];

  #root = null;
  #source = "";
  #analysis = null;
  #seen = false;
  #timer = 0;

  connectedCallback() {
    if (!this.#root) this.#build();
    visibility.observe(this);
  }

  disconnectedCallback() {
    visibility.unobserve(this);
  }

  attributeChangedCallback() {
    if (this.#seen) this.#analyse();
  }

  /** The code shown now (the reader's edits included). */
  get code() {
    return this.#source;
  }

  /** The findings of the last analysis (empty before the snippet was analysed). */
  get findings() {
    return this.#analysis?.findings ?? [];
  }

  #build() {
    this.#source = snippetSource(this.textContent);
    this.#root = this.attachShadow({ mode: "open" });
    this.#root.adoptedStyleSheets = [snippetStyles()];
    const box = document.createElement("div");
    box.className = "snippet";
    box.setAttribute("part", "snippet");
    const wrap = document.createElement("div");
    wrap.className = "code-wrap";
    const pre = document.createElement("pre");
    pre.append(document.createElement("code"));
    wrap.append(pre);
    if (this.hasAttribute("editable")) wrap.append(this.#editor(pre));
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "status");
    const notes = document.createElement("ol");
    notes.className = "notes";
    notes.setAttribute("aria-label", "Findings");
    box.append(wrap, notes, status);
    this.#root.append(box);
    this.#draw();
  }

  /** A textarea over the coloured code: the reader types in it, the code below follows. */
  #editor(pre) {
    pre.setAttribute("aria-hidden", "true");
    const area = document.createElement("textarea");
    area.value = this.#source;
    area.spellcheck = false;
    area.wrap = "off";
    area.setAttribute("autocapitalize", "off");
    area.setAttribute("autocomplete", "off");
    area.setAttribute("aria-label", "Python code (editable: findings update as you type)");
    area.rows = this.#source.split("\n").length;
    area.addEventListener("input", () => {
      this.#source = area.value;
      area.rows = this.#source.split("\n").length;
      this.#analysis = null;
      this.#draw();
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#analyse(), EDIT_DELAY_MS);
    });
    area.addEventListener("keydown", (event) => {
      // Tab indents, as in any code editor; Escape then Tab leaves the box.
      if (event.key !== "Tab" || event.shiftKey || area.dataset.escaped) return;
      event.preventDefault();
      area.setRangeText("    ", area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input"));
    });
    area.addEventListener("keyup", (event) => {
      if (event.key === "Escape") area.dataset.escaped = "true";
    });
    area.addEventListener("blur", () => delete area.dataset.escaped);
    return area;
  }

  /** Called by the observer the first time the snippet comes into view. */
  async visible() {
    this.#seen = true;
    this.#status("Checking with pyvet…");
    try {
      await loadEngine();
    } catch (error) {
      this.#status(`pyvet could not load its analyser: ${error.message}`);
      return;
    }
    this.#analyse();
  }

  #analyse() {
    const options = { select: selectors(this.getAttribute("rules")), ignore: selectors(this.getAttribute("ignore")) };
    try {
      this.#analysis = analyze(this.#source, options);
    } catch (error) {
      this.#analysis = null;
      this.#draw();
      this.#status(`pyvet: ${error.message}`);
      return;
    }
    this.#draw();
    const count = this.#analysis.findings.length;
    this.#status(count ? "" : "pyvet: no findings.");
    this.dataset.findings = String(count);
    this.dispatchEvent(new CustomEvent("pyvet-analysed", { detail: { findings: this.#analysis.findings } }));
  }

  #draw() {
    const findings = this.#analysis?.findings ?? [];
    const errors = this.#analysis?.syntaxErrors ?? [];
    const marks = [
      ...findings.map((finding) => ({ start: finding.start, end: finding.end, className: finding.severity })),
      ...errors.map((error) => ({ start: error.start, end: error.end, className: "error" })),
    ];
    // A trailing newline keeps the last line's height equal to the textarea's.
    this.#root.querySelector("code").replaceChildren(...codeNodes(this.#source, marks), "\n");
    const showFixes = this.hasAttribute("show-fixes");
    this.#root
      .querySelector(".notes")
      .replaceChildren(
        ...findings.map((finding) => findingNote(finding, ruleHref, showFixes)),
        ...errors.map(syntaxErrorNote),
      );
  }

  #status(text) {
    this.#root.querySelector(".status").textContent = text;
  }
}
