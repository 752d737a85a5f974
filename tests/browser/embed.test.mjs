// The docs embed (embed.js, <pyvet-snippet>) as a docs author uses it: on a page of another
// origin with its own styles and a strict CSP, and on the site's own demo page.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { join } from "node:path";
import { startSite, openPage, SCREENSHOTS } from "./helpers.mjs";

let site;
let host;

// The host's own styles, with selectors that would match the snippet's insides if they leaked in.
const HOST_CSS = `
body { font: 18px/1.6 Georgia, serif; color: rgb(40, 40, 40); }
p, li { color: rgb(20, 60, 20); letter-spacing: 1px; }
pre, code { background: rgb(250, 240, 200); color: rgb(120, 0, 120); font-size: 20px; }
a { color: rgb(200, 0, 0); text-decoration: none; }
.note, .flag, .notes, span { color: rgb(255, 0, 255); background: rgb(0, 255, 255); }
.spacer { height: 2500px; }
`;

const SNIPPETS = `
<pyvet-snippet id="yaml">
  import yaml
  config = yaml.load(open("settings.yml"))
</pyvet-snippet>
<pyvet-snippet id="sql">
  from flask import request
  import sqlite3

  def find(db: sqlite3.Connection):
      name = request.args["name"]
      return db.execute(f"SELECT * FROM users WHERE name = '{name}'")
</pyvet-snippet>
<pyvet-snippet id="crypto" rules="crypto" show-fixes>
  import hashlib, pickle
  digest = hashlib.md5(data).hexdigest()
  state = pickle.loads(blob)
</pyvet-snippet>`;

// A 1×1 transparent PNG.
const FAVICON = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

/** A docs page: its text, the three snippets below a long spacer, and the embed when `withEmbed`. */
function hostPage(embedUrl, withEmbed) {
  const script = withEmbed ? `<script type="module" src="${embedUrl}"></script>` : "";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host docs</title>
<link rel="stylesheet" href="host.css">${script}</head><body>
<p id="host-text">Host documentation text with a <a id="host-link" href="#x">link</a>.</p>
<pre id="host-pre"><code>print("host code")</code></pre>
<ul class="notes"><li id="host-note" class="note">A note of the host's own</li></ul>
<div class="spacer"></div>${SNIPPETS}</body></html>`;
}

before(async () => {
  site = await startSite();
  const embedUrl = `${site.url}embed.js`;
  const siteOrigin = new URL(site.url).origin;
  // What a docs host must allow (README, "Embed pyvet in your docs").
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${siteOrigin} 'wasm-unsafe-eval'`,
    `connect-src 'self' ${siteOrigin}`,
    "style-src 'self'",
    "img-src 'self'",
  ].join("; ");
  host = createServer((request, response) => {
    const path = new URL(request.url, "http://host").pathname;
    if (path === "/host.css") {
      response.writeHead(200, { "Content-Type": "text/css" }).end(HOST_CSS);
    } else if (path === "/favicon.ico") {
      // Chromium asks for it on its own, sometimes before the test ends: a real docs host has one.
      response.writeHead(200, { "Content-Type": "image/png" }).end(FAVICON);
    } else if (path === "/" || path === "/plain.html") {
      response
        .writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": csp })
        .end(hostPage(embedUrl, path === "/"));
    } else {
      response.writeHead(404).end();
    }
  });
  // Another port: another origin.
  await new Promise((done) => host.listen(0, "127.0.0.1", done));
});

after(async () => {
  await new Promise((done) => host.close(done));
  await site.close();
});

const hostUrl = (path = "/") => `http://127.0.0.1:${host.address().port}${path}`;

/** The host elements' computed styles, for comparing a page with and without the embed. */
function hostStyles(page) {
  return page.evaluate(() => {
    const props = ["color", "background-color", "font-family", "font-size", "letter-spacing", "text-decoration-line", "line-height"];
    const ids = ["host-text", "host-link", "host-pre", "host-note"];
    return Object.fromEntries(
      [document.body, ...ids.map((id) => document.getElementById(id))].map((element) => {
        const style = getComputedStyle(element);
        return [element.id || "body", Object.fromEntries(props.map((prop) => [prop, style.getPropertyValue(prop)]))];
      }),
    );
  });
}

/** Each snippet's rendered findings: the `data-rule` of its notes, by snippet id. */
function renderedRules(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll("pyvet-snippet")].map((snippet) => [
        snippet.id,
        [...(snippet.shadowRoot?.querySelectorAll("[data-rule]") ?? [])].map((note) => note.dataset.rule),
      ]),
    ),
  );
}

const wasmRequests = (record) => record.requests.filter((request) => new URL(request.url).pathname.endsWith(".wasm"));

test("a page on another origin: three snippets with their findings, one wasm fetch, only once in view, host styles untouched", async () => {
  const plain = await openPage(site, { url: hostUrl("/plain.html") });
  const stylesWithout = await hostStyles(plain.page);
  await plain.context.close();

  const { page, record, context } = await openPage(site, { url: hostUrl("/") });
  await page.waitForFunction(() => customElements.get("pyvet-snippet") !== undefined);
  assert.notEqual(new URL(page.url()).origin, new URL(site.url).origin, "the host page is on another origin");
  // Below the fold: coloured already, but the analyser is not fetched yet.
  await page.waitForTimeout(500);
  assert.equal(wasmRequests(record).length, 0, `nothing fetched before a snippet is in view: ${JSON.stringify(record.requests.map((r) => r.url))}`);
  assert.ok(await page.evaluate(() => document.getElementById("yaml").shadowRoot.querySelector(".tok-keyword") !== null), "highlighted");

  await page.locator("#yaml").scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll("pyvet-snippet")].every((s) => s.dataset.findings !== undefined));
  const rules = await renderedRules(page);
  assert.deepEqual(rules.yaml, ["PV301"]);
  assert.ok(rules.sql.includes("PV201"), `the SQL snippet shows its injection: ${rules.sql}`);
  assert.ok(rules.crypto.length >= 1 && rules.crypto.every((id) => id.startsWith("PV4")), `rules="crypto" keeps only crypto: ${rules.crypto}`);

  // One fetch of the module for the whole page, from the embed's origin.
  const fetches = wasmRequests(record);
  assert.equal(fetches.length, 1, `the module was fetched ${fetches.length} times`);
  assert.equal(new URL(fetches[0].url).origin, new URL(site.url).origin);

  // Each note: the rule id linking to the rule's page beside embed.js, and the message.
  const note = await page.evaluate(() => {
    const item = document.getElementById("yaml").shadowRoot.querySelector("[data-rule]");
    const link = item.querySelector("a");
    const flagged = [...document.getElementById("yaml").shadowRoot.querySelectorAll(".flag")].map((span) => span.textContent).join("");
    return { text: item.textContent, href: link.href, flagged, color: getComputedStyle(item).color };
  });
  assert.equal(note.href, `${site.url}rules.html#PV301`);
  assert.match(note.text, /Line 2 · PV301 .+/);
  assert.match(note.flagged, /^yaml\.load\(/, "the flagged call is underlined");
  assert.notEqual(note.color, "rgb(255, 0, 255)", "the host's .note rule does not reach inside the snippet");
  const fixes = await page.evaluate(() => document.getElementById("crypto").shadowRoot.querySelector(".fix")?.textContent ?? "");
  assert.match(fixes, /^Fix \((safe|unsafe|display-only)\): /, "show-fixes shows the fix");

  assert.deepEqual(await hostStyles(page), stylesWithout, "the host page's styles are the same with the embed");
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], "the CSP the README gives is enough");
  assert.deepEqual(record.errors, []);
  await page.screenshot({ path: join(SCREENSHOTS, "embed-host.png"), fullPage: false });
  await context.close();
});

test("the demo page: an editable snippet follows the reader's edits; the dark theme applies", async () => {
  const { page, record, context } = await openPage(site, { path: "embed-demo.html" });
  const editable = page.locator("pyvet-snippet[editable]");
  await editable.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector("pyvet-snippet[editable]").dataset.findings !== undefined);
  const before = await page.evaluate(() => [...document.querySelector("pyvet-snippet[editable]").shadowRoot.querySelectorAll("[data-rule]")].map((n) => n.dataset.rule));
  assert.ok(before.length >= 2, `the editable example starts with findings: ${before}`);

  const area = editable.locator("textarea");
  await area.focus();
  await page.keyboard.press("Control+A");
  await page.keyboard.insertText('import hashlib\n\ndef checksum(data):\n    return hashlib.sha256(data).hexdigest()\n');
  await page.waitForFunction(() => document.querySelector("pyvet-snippet[editable]").dataset.findings === "0");
  assert.match(await page.evaluate(() => document.querySelector("pyvet-snippet[editable]").shadowRoot.querySelector("code").textContent), /sha256/);
  await page.keyboard.insertText("import pickle\npickle.loads(b)\n");
  await page.waitForFunction(() => document.querySelector("pyvet-snippet[editable]").dataset.findings === "1");
  // `ignore` takes a rule out (and a change to it applies at once).
  await editable.evaluate((snippet) => snippet.setAttribute("ignore", "PV302"));
  await page.waitForFunction(() => document.querySelector("pyvet-snippet[editable]").dataset.findings === "0");

  const dark = page.locator('pyvet-snippet[theme="dark"]');
  await dark.scrollIntoViewIfNeeded();
  const ground = await dark.evaluate((snippet) => getComputedStyle(snippet.shadowRoot.querySelector(".snippet")).backgroundColor);
  const [r, g, b] = ground.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `the dark theme has a dark background: ${ground}`);
  assert.equal(wasmRequests(record).length, 1);
  await page.screenshot({ path: join(SCREENSHOTS, "embed-demo.png"), fullPage: true });
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(record.errors, []);
  await context.close();
});

test("the guide's examples are live snippets with their findings beside the text", async () => {
  const { page, record, context } = await openPage(site, { path: "guide.html#sql-injection" });
  await page.waitForSelector('#guide[data-ready="true"]');
  const bad = page.locator('#sql-injection figure.code[data-kind="bad"] pyvet-snippet').first();
  await bad.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#sql-injection figure.code[data-kind="bad"] pyvet-snippet').dataset.findings !== undefined);
  const rules = await bad.evaluate((snippet) => [...snippet.shadowRoot.querySelectorAll("[data-rule]")].map((n) => n.dataset.rule));
  assert.ok(rules.includes("PV201"), `the SQL section's vulnerable example shows PV201: ${rules}`);
  const good = page.locator('#sql-injection figure.code[data-kind="good"] pyvet-snippet').first();
  await good.scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#sql-injection figure.code[data-kind="good"] pyvet-snippet').dataset.findings !== undefined);
  assert.equal(await good.getAttribute("data-findings"), "0", "the secure example is clean");
  assert.equal(wasmRequests(record).length, 1, "the guide fetches the module once");
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(record.errors, []);
  await context.close();
});
