// Shared set-up for the browser tests: a local server for www/dist and Debian's Chromium
// driven by playwright-core, recording every request, console error and CSP violation.

import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS = join(ROOT, ".screenshots");

/** Serves `root` (the built site by default) and starts Chromium. */
export async function startSite({ root = join(ROOT, "www/dist") } = {}) {
  await mkdir(SCREENSHOTS, { recursive: true });
  const { server, url } = await serve({ root });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    url,
    server,
    browser,
    async close() {
      await browser.close();
      await new Promise((done) => server.close(done));
    },
  };
}

/** A new page that records requests, console errors, page errors, dialogs and CSP violations;
 * it opens `path` on the site, or `url` (another origin's page) when given. */
export async function openPage(site, { path = "", url, viewport = { width: 1280, height: 900 }, context } = {}) {
  const ownContext = context ?? (await site.browser.newContext({ viewport, serviceWorkers: "block" }));
  const page = await ownContext.newPage();
  const record = { requests: [], errors: [], dialogs: [] };
  page.on("request", (request) => record.requests.push({ url: request.url(), body: request.postData() }));
  page.on("console", (message) => {
    // The URL is kept with the text: "Failed to load resource" alone does not say which.
    if (message.type() === "error") record.errors.push(`${message.text()} ${message.location().url ?? ""}`.trim());
  });
  page.on("pageerror", (error) => record.errors.push(String(error)));
  page.on("dialog", (dialog) => {
    record.dialogs.push(dialog.message());
    dialog.dismiss();
  });
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await page.goto(url ?? site.url + path);
  return { page, record, context: ownContext };
}

/** Waits until the analyser has run at least once after `previous` (status text changes). */
export async function waitForAnalysis(page) {
  await page.waitForFunction(() => document.getElementById("status")?.dataset.analysisMs !== undefined);
}

/** Replaces the editor's whole text, as a paste would. */
export async function setCode(page, code) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  await page.waitForFunction(
    (expected) => {
      const host = document.getElementById("editor");
      const text = [...host.shadowRoot.querySelectorAll(".cm-line")].map((line) => line.textContent).join("\n");
      return text.includes(expected.split("\n").find((line) => line.trim()) ?? "");
    },
    code,
  );
  // the analyser is debounced
  await page.waitForTimeout(400);
}

/** The editor's text. */
export function editorText(page) {
  return page.evaluate(() =>
    [...document.getElementById("editor").shadowRoot.querySelectorAll(".cm-line")].map((l) => l.textContent).join("\n"),
  );
}

export async function findingRules(page) {
  return page.locator("#findings button[data-rule]").evaluateAll((buttons) => buttons.map((b) => b.dataset.rule));
}

/** Replaces the editor's whole text by pasting it (a clipboard paste event, as Ctrl-V
 * would send): quicker than typing for large files. Does not wait for the analysis. */
export async function pasteCode(page, code) {
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+A");
  await page.evaluate((text) => {
    const content = document.getElementById("editor").shadowRoot.querySelector(".cm-content");
    const data = new DataTransfer();
    data.setData("text/plain", text);
    content.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, code);
}

/** Waits for the analysis of the text as it is now (the findings list is no longer busy). */
export async function waitForFreshAnalysis(page) {
  await page.waitForFunction(() => {
    const list = document.getElementById("findings");
    return document.getElementById("status")?.dataset.analysisMs !== undefined && !list.hasAttribute("aria-busy");
  });
}

/** The element focused, looking inside the editor's shadow root: "editor" when it is the
 * editor's text, else the focused element's id (or tag name). */
export function focusedElement(page) {
  return page.evaluate(() => {
    const active = document.activeElement;
    if (active?.id === "editor") {
      return active.shadowRoot.activeElement?.classList.contains("cm-content") ? "editor" : "editor-host";
    }
    return active?.id || active?.tagName.toLowerCase() || "none";
  });
}

/** No console errors, no CSP violations, and no request left the origin or carried `typed`. */
export async function assertCleanSession(site, page, record, typed = []) {
  const { deepEqual, equal, ok } = await import("node:assert/strict");
  deepEqual(await page.evaluate(() => window.__cspViolations), [], "no CSP violations");
  deepEqual(record.errors, [], "no console errors");
  const origin = new URL(site.url).origin;
  for (const request of record.requests) {
    equal(new URL(request.url).origin, origin, `request left the origin: ${request.url}`);
    for (const secret of typed) {
      ok(!decodeURIComponent(request.url).includes(secret), `a request carried the typed code: ${request.url}`);
      ok(!(request.body ?? "").includes(secret), "a request body carried the typed code");
    }
  }
}

/** The pyvet command line, when one is built (`PYVET_BIN`, or target/debug or target/release). */
export async function findCli() {
  const { access } = await import("node:fs/promises");
  const candidates = [process.env.PYVET_BIN, join(ROOT, "target/debug/pyvet"), join(ROOT, "target/release/pyvet")];
  for (const candidate of candidates.filter(Boolean)) {
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  return null;
}
