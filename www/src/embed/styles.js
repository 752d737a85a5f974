// The snippet's own styles, adopted by its shadow root (a constructed stylesheet, so a host
// page whose CSP forbids inline styles still lets them apply). `:host { all: initial }` keeps
// the host page's inherited fonts and colours out; nothing here can reach the host page.

const CSS = `
:host {
  all: initial;
  display: block;
  margin: .75rem 0;
  --ink: #1b2430; --muted: #5b6675; --paper: #f6f8fa; --line: #d9dee5; --link: #0b6e4f;
  --critical: #a4000f; --high: #c2410c; --medium: #8a6d00; --low: #1f5fa8; --error: #a4000f;
  --note: #ffffff; --focus: #2563eb;
  --tok-keyword: #770088; --tok-atom: #221199; --tok-number: #116644; --tok-string: #aa1111;
  --tok-definition: #0000cc; --tok-type: #006655; --tok-comment: #8a5200; --tok-meta: #404740;
  --tok-operator: inherit; --tok-variable: inherit;
  color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  font-size: 14px;
  line-height: 1.45;
}
:host([hidden]) { display: none; }
${dark(':host([theme="dark"])')}
@media (prefers-color-scheme: dark) {
  ${dark(':host(:not([theme="light"]):not([theme="dark"]))')}
}
.snippet { border: 1px solid var(--line); border-radius: 6px; background: var(--paper); overflow: hidden; }
.code-wrap { display: grid; overflow-x: auto; }
.code-wrap > * { grid-area: 1 / 1; }
pre, textarea {
  margin: 0; padding: .6rem .75rem; border: 0;
  font: 13px/1.5 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  white-space: pre; tab-size: 4; letter-spacing: normal; word-spacing: normal;
}
pre { width: max-content; min-width: 100%; box-sizing: border-box; }
textarea {
  width: 100%; height: 100%; box-sizing: border-box; resize: none; overflow: hidden;
  background: transparent; color: transparent; caret-color: var(--ink); outline: none;
}
textarea:focus-visible { box-shadow: inset 0 0 0 2px var(--focus); }
textarea::selection { background: rgba(80, 130, 220, .35); color: transparent; }
.flag { text-decoration: underline wavy var(--sev, var(--high)); text-decoration-skip-ink: none; text-underline-offset: 3px; }
.flag.critical { --sev: var(--critical); } .flag.high { --sev: var(--high); }
.flag.medium { --sev: var(--medium); } .flag.low { --sev: var(--low); } .flag.error { --sev: var(--error); }
.tok-keyword { color: var(--tok-keyword); } .tok-atom, .tok-bool { color: var(--tok-atom); }
.tok-number { color: var(--tok-number); } .tok-string, .tok-string2 { color: var(--tok-string); }
.tok-definition, .tok-variableName.tok-definition { color: var(--tok-definition); }
.tok-typeName, .tok-className { color: var(--tok-type); } .tok-comment { color: var(--tok-comment); font-style: italic; }
.tok-meta { color: var(--tok-meta); }
.notes { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--line); background: var(--note); }
.notes:empty { display: none; }
.note { padding: .35rem .75rem; border-left: 4px solid var(--sev, var(--high)); font-size: 13px; }
.note + .note { border-top: 1px solid var(--line); }
.note.critical { --sev: var(--critical); } .note.high { --sev: var(--high); }
.note.medium { --sev: var(--medium); } .note.low { --sev: var(--low); } .note.error { --sev: var(--error); }
.where { color: var(--muted); }
a { color: var(--link); font-weight: 600; }
a:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.fix { display: block; margin-top: .2rem; color: var(--muted); }
.fix code { font: 12px/1.4 ui-monospace, Menlo, Consolas, monospace; color: var(--ink); white-space: pre-wrap; }
.status { margin: 0; padding: .3rem .75rem; font-size: 12px; color: var(--muted); border-top: 1px solid var(--line); }
.status:empty { display: none; }
`;

function dark(selector) {
  return `${selector} {
    --ink: #e6edf3; --muted: #a3adba; --paper: #161b22; --line: #3a434e; --link: #4cc38a;
    --critical: #ff7b86; --high: #ff9b6b; --medium: #e3b341; --low: #6cb6ff; --error: #ff8c8c;
    --note: #0d1117; --focus: #6cb6ff;
    --tok-keyword: #d2a8ff; --tok-atom: #79c0ff; --tok-number: #79c0ff; --tok-string: #a5d6ff;
    --tok-definition: #ffa657; --tok-type: #7ee787; --tok-comment: #8b949e; --tok-meta: #c9d1d9;
  }`;
}

let sheet = null;

/** The one stylesheet every snippet's shadow root adopts. */
export function snippetStyles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
  }
  return sheet;
}
