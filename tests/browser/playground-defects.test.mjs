// The playground's defects from issue 10, one test each (named after what a user notices),
// the low-priority items, the screenshots in light and dark, and the measurements of the
// analysis in its worker (reported, not asserted, except the main thread's longest block).

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import {
  assertCleanSession,
  editorText,
  findingRules,
  focusedElement,
  openPage,
  pasteCode,
  SCREENSHOTS,
  setCode,
  startSite,
  waitForAnalysis,
  waitForFreshAnalysis,
} from "./helpers.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The text of the page outside the editor (the editor's own DOM is in its shadow root). */
const pageText = (page) => page.evaluate(() => document.body.innerText);

/** `#code=` fragment for raw deflate bytes. */
const fragmentFor = (bytes) => `#code=${Buffer.from(bytes).toString("base64url")}`;

/** No console errors (the page's and its worker's), no CSP violations, no request off the origin. */
const assertClean = (page, record) => assertCleanSession(site, page, record);

async function selectFinding(page, rule) {
  await page.locator(`#findings button[data-rule="${rule}"]`).first().click();
  await page.waitForSelector("#panel:not([hidden])");
}

test("1. keyboard: Tab reaches the editor, and 'Skip to the editor' puts the cursor in it", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the editor", "the first Tab shows the skip link");
  await page.keyboard.press("Enter");
  assert.equal(await focusedElement(page), "editor", "the skip link focuses the code itself");
  await page.keyboard.press("Control+End");
  await page.keyboard.type("typed_by_keyboard = 1");
  assert.match(await editorText(page), /typed_by_keyboard = 1/, "typing after the skip link edits the code");

  // Tab alone, from the toolbar, reaches the editor too.
  await page.locator("#share").focus();
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = (await focusedElement(page)) === "editor";
  }
  assert.ok(reached, "Tab reaches the editor");
  await assertClean(page, record);
  await context.close();
});

test("2. bidi controls and NUL in the code are spelled out and isolated outside the editor", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  // The Trojan Source trick: U+202E reverses the text after it, unless it is made visible.
  await setCode(page, 'import requests, yaml\nrequests.get("http://\u202Eexample.com/\u202C", timeout=5)\nyaml.load("a\u0000b\u2066c")\n');
  await waitForFreshAnalysis(page);
  await selectFinding(page, "PV606");
  const outside = await pageText(page);
  assert.doesNotMatch(outside, BIDI, "no bidi control reaches the page's own text");
  assert.match(await page.locator("#findings").innerText(), /⟨U\+202E⟩/, "the findings list spells it out");
  assert.match(await page.locator("#panel-message").innerText(), /⟨U\+202E⟩/, "the panel spells it out");
  assert.match(await page.locator("#fix-diff").innerText(), /⟨U\+202E⟩example\.com\/⟨U\+202C⟩/, "the diff spells it out");
  // Each piece of user text is isolated, so nothing in it reorders the text around it.
  const isolation = await page.evaluate(() =>
    [...document.querySelectorAll("#findings .hidden-char, #panel .hidden-char")].map((mark) => {
      const holder = mark.closest("bdi, code");
      return holder ? getComputedStyle(holder).unicodeBidi : "none";
    }),
  );
  assert.ok(isolation.length >= 3, `marks found: ${isolation.length}`);
  assert.ok(isolation.every((value) => value === "isolate"), `isolated: ${isolation}`);

  // NUL and the isolate control on the yaml line: spelled out too, not a blank box.
  await selectFinding(page, "PV301");
  assert.match(await page.locator("#fix-diff").innerText(), /a⟨U\+0000⟩b⟨U\+2066⟩c/);
  assert.doesNotMatch(await pageText(page), /[\u0000\u2066]/);
  // In the editor too, a NUL is named.
  const special = await page.evaluate(() =>
    [...document.getElementById("editor").shadowRoot.querySelectorAll(".cm-pyvet-special")].map((e) => e.textContent),
  );
  assert.ok(special.includes("U+0000") && special.includes("U+202E"), `named in the editor: ${special}`);

  // The editor's tooltip shows the message with the controls spelled out.
  await page.locator(".cm-lintRange").first().hover();
  const tooltip = page.locator(".cm-tooltip-lint").first();
  await tooltip.waitFor();
  assert.doesNotMatch(await tooltip.innerText(), BIDI);
  await page.screenshot({ path: join(SCREENSHOTS, "bidi-spelled-out.png"), fullPage: true });
  await assertClean(page, record);
  await context.close();
});

/**
 * A context whose analyser answers `ms` late (its worker's script is served with a prologue
 * that delays every message it sends), so a test can act between an edit and its analysis
 * as a person does in a large file, whatever the speed of the machine.
 */
async function slowAnalyserContext(ms) {
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: "block" });
  await context.route("**/analysis-worker.js", async (route) => {
    const response = await route.fetch();
    const prologue = `{ const send = self.postMessage.bind(self); self.postMessage = (message) => setTimeout(() => send(message), ${ms}); }\n`;
    await route.fulfill({ response, body: prologue + (await response.text()) });
  });
  return context;
}

test("3. 'Apply this fix' right after typing applies the fix to the code as it is now", async () => {
  const { page, context } = await openPage(site, { context: await slowAnalyserContext(700) });
  await waitForAnalysis(page);
  await setCode(page, 'import subprocess\n\nname = input()\nsubprocess.run(f"convert {name} out.png", shell=True)\n');
  await waitForFreshAnalysis(page);
  await selectFinding(page, "PV210");
  // Type above the finding, and apply at once, before the analysis of the new text.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+Home");
  await page.keyboard.insertText("# a comment typed just now\n");
  await page.locator("#fix-apply").click();
  // The page says what it did once the fix is applied (to the analysis of the new text).
  await page.waitForFunction(() => document.getElementById("edit-note")?.textContent, null, { timeout: 5000 }).catch(() => {});
  await waitForFreshAnalysis(page);
  const text = await editorText(page);
  assert.match(text, /^# a comment typed just now\nimport subprocess/);
  assert.doesNotMatch(text, /subprocess\[|shell=True/, `the fix went where the finding is now: ${text}`);
  assert.match(await page.locator("#edit-note").textContent(), /^Applied the fix for PV210/);
  assert.deepEqual(await findingRules(page), [], "the fixed code no longer has the finding");
  assert.doesNotMatch(await page.locator("#status").textContent(), /syntax error/);

  // When the finding is gone from the code, nothing is changed, and the page says so.
  await setCode(page, "import yaml\nyaml.load(data)\n");
  await waitForFreshAnalysis(page);
  await selectFinding(page, "PV301");
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Shift+ArrowUp");
  await page.keyboard.press("Delete");
  const before = await editorText(page);
  await page.locator("#fix-apply").click();
  await page.waitForSelector('#edit-note[data-kind="error"]');
  assert.match(await page.locator("#edit-note").textContent(), /no longer in the code/);
  assert.equal(await editorText(page), before, "nothing was changed");
  await context.close();
});

test("4. focus returns to the editor after selecting a finding and after a fix, which says how to undo it", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\nconfig = yaml.load(text)\n");
  await waitForFreshAnalysis(page);
  await selectFinding(page, "PV301");
  assert.equal(await focusedElement(page), "editor", "selecting a finding leaves focus in the editor");
  await page.locator("#fix-apply").click();
  await page.waitForFunction(() => document.getElementById("edit-note").textContent !== "");
  assert.equal(await focusedElement(page), "editor", "applying the fix leaves focus in the editor");
  assert.match(await page.locator("#edit-note").textContent(), /^Applied the fix for PV301 .*Undo with Ctrl-Z\.$/);
  assert.match(await editorText(page), /yaml\.safe_load\(text\)/);
  // Ctrl-Z works at once: focus is where the change was.
  await page.keyboard.press("Control+Z");
  assert.match(await editorText(page), /yaml\.load\(text\)/);
  await assertClean(page, record);
  await context.close();
});

test("5. after an edit the panel keeps the selected finding, by rule and place, or closes", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n");
  await waitForFreshAnalysis(page);
  await selectFinding(page, "PV602");
  // A new finding above it shifts the list: the panel stays on the same finding.
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("End");
  await page.keyboard.insertText("\nimport hashlib\nhashlib.md5(b).hexdigest()");
  await page.waitForFunction(() => document.querySelectorAll("#findings button[data-rule]").length === 3);
  assert.deepEqual(await findingRules(page), ["PV401", "PV301", "PV602"]);
  assert.match(await page.locator("#panel-title").textContent(), /^PV602/, "the panel still explains the same finding");
  assert.equal(await page.locator("#findings button[aria-current='true']").getAttribute("data-rule"), "PV602");
  assert.match(await page.locator("#findings button[aria-current='true'] .where").textContent(), /line 5,/);
  // Removing that code closes the panel instead of explaining another finding.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Shift+ArrowUp");
  await page.keyboard.press("Delete");
  await waitForFreshAnalysis(page);
  assert.deepEqual(await findingRules(page), ["PV401", "PV301"]);
  assert.equal(await page.locator("#panel").isVisible(), false, "the panel closed");
  await assertClean(page, record);
  await context.close();
});

/** The relative luminance of a computed `rgb(...)` colour (WCAG). */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a, b) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
};

async function colours(page) {
  return page.evaluate(() => {
    const editor = document.getElementById("editor").shadowRoot.querySelector(".cm-editor");
    return {
      theme: document.documentElement.dataset.theme,
      page: getComputedStyle(document.body).backgroundColor,
      ground: getComputedStyle(document.documentElement).backgroundColor,
      editor: getComputedStyle(editor).backgroundColor,
      editorText: getComputedStyle(editor).color,
      pressed: document.getElementById("theme-toggle").getAttribute("aria-pressed"),
    };
  });
}

test("6. dark theme follows the system for page and editor; the toggle is remembered; screenshots", async () => {
  for (const [scheme, viewport, name] of [
    ["dark", { width: 1280, height: 900 }, "desktop-dark"],
    ["light", { width: 1280, height: 900 }, "desktop-light"],
    ["dark", { width: 390, height: 844 }, "phone-dark"],
    ["light", { width: 390, height: 844 }, "phone-light"],
  ]) {
    const context = await site.browser.newContext({ viewport, colorScheme: scheme, serviceWorkers: "block", hasTouch: viewport.width < 500 });
    const { page } = await openPage(site, { context });
    await waitForAnalysis(page);
    const seen = await colours(page);
    assert.equal(seen.theme, scheme, `${name}: follows the system`);
    const dark = luminance(seen.ground) < 0.05 && luminance(seen.editor) < 0.05;
    assert.equal(dark, scheme === "dark", `${name}: page and editor are ${scheme} (${seen.ground}, ${seen.editor})`);
    assert.ok(contrast(seen.editor, seen.editorText) >= 7, `${name}: the code is readable`);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    await context.close();
  }
  // The toggle wins over the system, and is remembered.
  const context = await site.browser.newContext({ colorScheme: "light", serviceWorkers: "block" });
  const { page } = await openPage(site, { context });
  await waitForAnalysis(page);
  assert.equal((await colours(page)).pressed, "false");
  await page.locator("#theme-toggle").click();
  assert.equal((await colours(page)).theme, "dark");
  await page.reload();
  await waitForAnalysis(page);
  const after = await colours(page);
  assert.equal(after.theme, "dark", "remembered after a reload");
  assert.equal(after.pressed, "true");
  assert.ok(luminance(after.editor) < 0.05, "the editor is dark too");
  await selectFinding(page, "PV301");
  await page.screenshot({ path: join(SCREENSHOTS, "desktop-dark-finding.png"), fullPage: true });
  await context.close();
});

test("7. broken or hostile share links say they could not be read; decompression is capped", async () => {
  const bomb = fragmentFor(deflateRawSync(Buffer.alloc(50 * 1024 * 1024, 0x61)));
  assert.ok(bomb.length < 200_000, "a small link that would expand to 50 MB");
  const cases = {
    garbage: "#code=%%%not-a-link%%%",
    "bad base64": "#code=abc$def",
    "bad compression": fragmentFor(Buffer.from("this is not deflate data at all, just bytes")),
    // Chromium refuses addresses over 2 MiB: this is as long as a link can be.
    "2 MB fragment": `#code=${"A".repeat(2_000_000)}`,
    "expands past 1 MB": bomb,
  };
  for (const [name, fragment] of Object.entries(cases)) {
    const { page, record, context } = await openPage(site, { path: fragment });
    await waitForAnalysis(page);
    await page.waitForSelector("#notice:not([hidden])");
    assert.match(await page.locator("#notice").textContent(), /^This share link could not be read: /, name);
    const text = await page.evaluate(() => document.getElementById("editor").shadowRoot.querySelector(".cm-content").textContent.length);
    assert.ok(text < 10_000, `${name}: the example is shown, not ${text} characters`);
    assert.ok((await findingRules(page)).length >= 1, `${name}: the page still works`);
    assert.deepEqual(record.errors, [], name);
    await context.close();
  }
  // A good link still opens, with no notice.
  const good = fragmentFor(deflateRawSync(Buffer.from("import yaml\nyaml.load(x)\n")));
  const { page, context } = await openPage(site, { path: good });
  await waitForAnalysis(page);
  assert.deepEqual(await findingRules(page), ["PV301"]);
  assert.equal(await page.locator("#notice").isVisible(), false);
  await context.close();
});

test("8. saved settings from another version are ignored instead of stopping the analyser", async () => {
  const stored = [
    { disabledGroups: ["no-such-group"] },
    { minSeverity: "bogus" },
    { minSeverity: 3, disabledGroups: "secrets" },
    { disabledGroups: [1, null, { group: "crypto" }] },
    { disabledRules: ["PV999", 7, null], hiddenSeverities: ["urgent", 2] },
    { disabledRules: "PV201", hiddenSeverities: { high: true } },
    [1, 2],
    "just a string",
    null,
  ];
  for (const value of stored) {
    const context = await site.browser.newContext({ serviceWorkers: "block" });
    await context.addInitScript((json) => localStorage.setItem("pyvet.settings", json), JSON.stringify(value));
    const { page, record } = await openPage(site, { context });
    await waitForAnalysis(page);
    assert.equal(await page.locator("#status").getAttribute("data-state"), null, JSON.stringify(value));
    assert.deepEqual((await findingRules(page)).sort(), ["PV104", "PV201", "PV210", "PV301"], JSON.stringify(value));
    assert.equal(await page.locator("#min-severity").inputValue(), "low");
    assert.deepEqual(record.errors, []);
    await context.close();
  }
});

test("9. the code is kept across reloads (the page says so, and can forget it); edits win over a share link", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  assert.match(await page.locator(".saved-note").textContent(), /kept in this browser only/);
  await setCode(page, "import yaml\nkept_marker = yaml.load(x)\n");
  await page.waitForSelector("#forget-code:not([hidden])");
  await page.reload();
  await waitForAnalysis(page);
  assert.match(await editorText(page), /kept_marker = yaml\.load\(x\)/, "the code survives a reload");
  await page.locator("#forget-code").click();
  assert.match(await page.locator("#saved-note-text").textContent(), /forgotten/);
  await page.reload();
  await waitForAnalysis(page);
  assert.doesNotMatch(await editorText(page), /kept_marker/, "forgotten: the example opens");

  // A share link opens what it holds; edits made after it win on reload.
  const link = fragmentFor(deflateRawSync(Buffer.from("import yaml\nfrom_link = yaml.load(x)\n")));
  await page.goto(site.url + link);
  await waitForAnalysis(page);
  assert.match(await editorText(page), /from_link/);
  await setCode(page, "import yaml\nedited_after_link = yaml.load(x)\n");
  await page.waitForTimeout(700);
  await page.reload();
  await waitForAnalysis(page);
  assert.match(await page.evaluate(() => location.hash), /^#code=/, "the link is still in the address bar");
  assert.match(await editorText(page), /edited_after_link/, "the edits win over the link on reload");
  // The same after sharing: the link made by "Copy share link", then edits, then a reload.
  await setCode(page, "import yaml\nshared_then = yaml.load(x)\n");
  await page.locator("#share").click();
  await page.waitForFunction(() => location.hash.startsWith("#code="));
  await setCode(page, "import yaml\nedited_after_sharing = yaml.load(x)\n");
  await page.waitForTimeout(700);
  await page.reload();
  await waitForAnalysis(page);
  assert.match(await editorText(page), /edited_after_sharing/, "the edits win over the link just shared");
  // Another link still opens what it holds.
  const other = fragmentFor(deflateRawSync(Buffer.from("import yaml\nother_link = yaml.load(x)\n")));
  const second = await openPage(site, { path: other, context });
  await waitForAnalysis(second.page);
  assert.match(await editorText(second.page), /other_link/);
  await assertClean(page, record);
  await context.close();
});

test("10. phone: the count and findings are on the first screen, the explanation one tap away and in view, no sideways scrolling", async () => {
  const context = await site.browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, serviceWorkers: "block" });
  const { page } = await openPage(site, { context });
  await waitForAnalysis(page);
  const firstScreen = await page.evaluate(() => {
    const bottom = (element) => element.getBoundingClientRect().bottom;
    return {
      status: bottom(document.getElementById("status")),
      count: bottom(document.getElementById("findings-title")),
      finding: bottom(document.querySelector("#findings button[data-rule]")),
      height: innerHeight,
      scrolled: scrollY,
    };
  });
  assert.equal(firstScreen.scrolled, 0);
  assert.ok(firstScreen.status <= firstScreen.height, `the count is on the first screen (${firstScreen.status}px)`);
  assert.ok(firstScreen.count <= firstScreen.height, `the findings heading is on the first screen (${firstScreen.count}px)`);
  assert.match(await page.locator("#findings-title").textContent(), /\(4\)/, "the heading counts the findings");
  assert.ok(firstScreen.finding <= firstScreen.height, `a finding is on the first screen (${firstScreen.finding}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "phone-first-screen.png") });

  await page.locator('#findings button[data-rule="PV301"]').tap();
  await page.waitForTimeout(300);
  const panel = await page.evaluate(() => {
    const box = document.getElementById("panel").getBoundingClientRect();
    return { top: box.top, title: document.getElementById("panel-title").textContent, height: innerHeight };
  });
  assert.match(panel.title, /^PV301/);
  assert.ok(panel.top >= -1 && panel.top < panel.height / 2, `the explanation is scrolled into view (top ${panel.top}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "phone-explanation.png") });
  // And one tap goes back to the flagged code.
  await page.locator("#panel-to-code").tap();
  await page.waitForTimeout(300);
  const editorTop = await page.evaluate(() => document.getElementById("editor").getBoundingClientRect().top);
  assert.ok(editorTop >= -1 && editorTop < 100, `back at the code (top ${editorTop}px)`);
  assert.equal(await focusedElement(page), "editor");

  await page.evaluate(() => scrollTo(0, 0));
  await setCode(page, `import yaml\nvalue = yaml.load(${"very_long_argument_name + ".repeat(12)}x)\n`);
  const scroller = await page.evaluate(() => {
    const element = document.getElementById("editor").shadowRoot.querySelector(".cm-scroller");
    return { scroll: element.scrollWidth, client: element.clientWidth, page: document.documentElement.scrollWidth - innerWidth };
  });
  assert.ok(scroller.scroll <= scroller.client + 1, `the editor wraps long lines (${scroller.scroll} > ${scroller.client})`);
  assert.ok(scroller.page <= 0, "the page does not scroll sideways");
  await context.close();
});

test("11. Review all fixes: one diff of every fix, safe and unsafe marked, applied as one undo step", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nconfig = yaml.load(body)\nrequests.get(url)\n");
  await waitForFreshAnalysis(page);
  const button = page.locator("#review-fixes");
  assert.equal(await button.isEnabled(), true, "offered although only one fix is safe");
  assert.equal(await button.textContent(), "Review all fixes (2)");
  await button.click();
  await page.waitForSelector("#review[open]");
  assert.deepEqual(
    await page.locator("#review-list li").evaluateAll((items) => items.map((item) => `${item.dataset.rule} ${item.dataset.applicability}`)),
    ["PV301 unsafe", "PV602 safe"],
  );
  const diff = await page.locator("#review-diff").innerText();
  for (const line of ["- config = yaml.load(body)", "+ config = yaml.safe_load(body)", "- requests.get(url)", "+ requests.get(url, timeout="]) {
    assert.ok(diff.includes(line), `the diff shows ${line}`);
  }
  assert.doesNotMatch(diff, /`/, "titles show code, not backticks");
  const labels = await page.locator("#review-diff .hunk-fix").allInnerTexts();
  assert.ok(labels.some((label) => /^unsafe\s+PV301/i.test(label)), `the unsafe change is marked: ${labels}`);
  assert.ok(labels.some((label) => /^safe\s+PV602/i.test(label)), `the safe change is marked: ${labels}`);
  await page.screenshot({ path: join(SCREENSHOTS, "review-all-fixes.png") });
  assert.match(await editorText(page), /yaml\.load\(body\)/, "nothing changes before the review is applied");
  await page.locator("#review-apply-all").click();
  await waitForFreshAnalysis(page);
  const fixed = await editorText(page);
  assert.match(fixed, /yaml\.safe_load\(body\)/);
  assert.match(fixed, /requests\.get\(url, timeout=/);
  assert.deepEqual(await findingRules(page), []);
  assert.match(await page.locator("#edit-note").textContent(), /^Applied 2 fixes as one change\. Undo with Ctrl-Z\.$/);
  // One undo step brings all of it back.
  await page.keyboard.press("Control+Z");
  const undone = await editorText(page);
  assert.match(undone, /yaml\.load\(body\)/);
  assert.match(undone, /requests\.get\(url\)$/m);
  await assertClean(page, record);
  await context.close();
});

test("12. fix notes are one short sentence, with the details behind a disclosure", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await selectFinding(page, "PV104");
  const note = await page.locator("#fix-note").textContent();
  assert.ok(note.length <= 200, `short: ${note.length} characters: ${note}`);
  assert.doesNotMatch(note, /AWS|boto3/, "a Stripe key's note says nothing about AWS");
  const details = page.locator("#fix-details");
  assert.equal(await details.isVisible(), true);
  assert.equal(await details.getAttribute("open"), null, "the details start closed");
  await details.locator("summary").click();
  assert.match(await page.locator("#fix-details-body").innerText(), /Revoke the leaked key first/);
  await assertClean(page, record);
  await context.close();
});

test("13. tooltips show code, not backticks, offer the fix and link to the rule's page", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests\nrequests.get(url)\n");
  await waitForFreshAnalysis(page);
  await page.locator(".cm-lintRange").first().hover();
  const tooltip = page.locator(".cm-tooltip-lint").first();
  await tooltip.waitFor();
  assert.doesNotMatch(await tooltip.innerText(), /`/, "no raw backticks");
  assert.ok((await tooltip.locator("code").count()) >= 1, "code is shown as code");
  assert.equal(await tooltip.getByRole("link", { name: "About PV602" }).getAttribute("href"), "rules.html#PV602");
  await tooltip.getByRole("button", { name: "Apply the safe fix" }).click();
  await waitForFreshAnalysis(page);
  assert.match(await editorText(page), /requests\.get\(url, timeout=/);
  await assertClean(page, record);
  await context.close();
});

test("13. F8 moves to the next finding and the panel follows", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nyaml.load(a)\nrequests.get(url)\n");
  await waitForFreshAnalysis(page);
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("F8");
  assert.match(await page.locator("#panel-title").textContent(), /^PV301/);
  await page.keyboard.press("F8");
  assert.match(await page.locator("#panel-title").textContent(), /^PV602/);
  await page.keyboard.press("Shift+F8");
  assert.match(await page.locator("#panel-title").textContent(), /^PV301/);
  assert.equal(await focusedElement(page), "editor");
  await assertClean(page, record);
  await context.close();
});

test("13. the guide's contents show their numbers from 10 on in full", async () => {
  const { page, context } = await openPage(site, { path: "guide.html" });
  await page.waitForSelector('#guide[data-ready="true"]');
  const room = await page.evaluate(() => {
    const list = document.getElementById("toc");
    const probe = document.createElement("span");
    probe.textContent = "20. ";
    probe.style.cssText = "";
    list.lastElementChild.append(probe);
    const width = probe.getBoundingClientRect().width;
    probe.remove();
    return { padding: parseFloat(getComputedStyle(list).paddingLeft), marker: width, items: list.children.length };
  });
  assert.ok(room.items >= 20);
  assert.ok(room.padding >= room.marker, `room for "20. ": ${room.padding}px for ${room.marker}px`);
  await context.close();
});

test("13. the live status is announced only when the result changes", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\nyaml.load(a)\n# comment\n");
  await waitForFreshAnalysis(page);
  await page.evaluate(() => {
    window.__statusChanges = 0;
    new MutationObserver((records) => (window.__statusChanges += records.length)).observe(document.getElementById("status"), {
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  for (const key of "abcde") {
    await page.keyboard.type(key);
    await page.waitForTimeout(250);
  }
  await waitForFreshAnalysis(page);
  assert.equal(await page.evaluate(() => window.__statusChanges), 0, "typing in a comment announced nothing");
  await page.keyboard.press("Enter");
  await page.keyboard.insertText("yaml.load(b)");
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("2 findings"));
  assert.ok((await page.evaluate(() => window.__statusChanges)) >= 1, "a new finding is announced");
  await assertClean(page, record);
  await context.close();
});

test("13. the focus ring on the header has at least 3:1 contrast", async () => {
  for (const scheme of ["light", "dark"]) {
    const context = await site.browser.newContext({ colorScheme: scheme, serviceWorkers: "block" });
    const { page } = await openPage(site, { context });
    await waitForAnalysis(page);
    await page.locator(".top nav a").first().focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Shift+Tab");
    const seen = await page.evaluate(() => {
      const focused = document.activeElement;
      return {
        matches: focused.matches(":focus-visible") && focused.closest(".top") !== null,
        outline: getComputedStyle(focused).outlineColor,
        header: getComputedStyle(document.querySelector(".top")).backgroundColor,
      };
    });
    assert.ok(seen.matches, "a header link has the keyboard focus");
    const ratio = contrast(seen.outline, seen.header);
    assert.ok(ratio >= 3, `${scheme}: focus ring ${seen.outline} on ${seen.header} is ${ratio.toFixed(2)}:1`);
    await context.close();
  }
});

test("13. Settings (and Export) close on Escape; Settings shows when filters are active", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const summary = page.locator(".settings summary");
  assert.doesNotMatch(await summary.innerText(), /filters on/);
  await summary.click();
  await page.locator("#min-severity").selectOption("critical");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#settings").getAttribute("open"), null, "Escape closed Settings");
  assert.equal(await page.evaluate(() => document.activeElement.tagName), "SUMMARY", "focus is back on Settings");
  assert.match(await summary.innerText(), /filters on/, "Settings shows that a filter hides findings");
  await summary.click();
  await page.locator("#min-severity").selectOption("low");
  assert.doesNotMatch(await summary.innerText(), /filters on/);
  await page.locator("#rule-search").fill("PV602");
  await page.locator('#rule-list label[data-rule="PV602"] input').uncheck();
  assert.match(await summary.innerText(), /filters on/, "a rule turned off is a filter too");
  await page.keyboard.press("Escape");
  // The Export menu closes on Escape too.
  await page.locator(".export-menu summary").click();
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#export").getAttribute("open"), null, "Escape closed Export");
  await assertClean(page, record);
  await context.close();
});

test("13. the example menu offers every example of the guide", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const docs = await page.evaluate(() => fetch("docs.json").then((response) => response.json()));
  const examples = docs.sections.flatMap((section) => section.examples);
  assert.ok(examples.length >= 40, `the guide has ${examples.length} examples`);
  const values = await page.locator("#examples option").evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
  assert.equal(values.length, examples.length, "one entry per example");
  // The last one loads its own code.
  await page.locator("#examples").selectOption(values.at(-1));
  await page.waitForTimeout(300);
  assert.equal((await editorText(page)).trimEnd(), examples.at(-1).trimEnd());
  await assertClean(page, record);
  await context.close();
});

/** A Python file of `lines` lines (about 59 bytes a line, like the 4.7 MB, 80,000-line
 * file of the issue): request handlers, with a finding about every 50 lines. */
function largeFile(lines) {
  const clean = [
    "def handle_customer_request_NUM(request, database_connection):",
    "    customer_name = request.args.get('customer_name', 'anonymous')",
    "    rows = database_connection.execute('SELECT * FROM customers WHERE name = ?', (customer_name,))",
    "    settings = yaml.safe_load(request.data)  # parsed safely, no objects",
    "    subprocess.run(['convert', customer_name, 'thumbnail.png'], check=True, timeout=30)",
    "    if settings and rows:",
    "        return {'ok': True, 'count': len(settings), 'customer': customer_name}",
    "    return None",
    "",
    "",
  ];
  const output = ["import yaml, subprocess, sqlite3, hashlib", ""];
  for (let i = 0; output.length < lines; i++) {
    const block = clean.map((line) => line.replace("NUM", String(i)));
    if (i % 5 === 0) block[7] = "    return hashlib.md5(customer_name.encode()).hexdigest()  # weak";
    output.push(...block);
  }
  return output.slice(0, lines).join("\n");
}

test("measurements: first findings, keystroke to findings on 2,000 and 80,000 lines, longest main-thread block", async () => {
  const measured = {};
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  measured.firstFindingsMs = await page.evaluate(() => performance.getEntriesByName("pyvet:first-findings")[0].startTime);

  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
    // When a key went down, and when the findings of the text after it were shown.
    document.addEventListener("keydown", () => (window.__keyAt = performance.now()), true);
    new MutationObserver(() => (window.__shownAt = performance.now())).observe(document.getElementById("status"), {
      attributes: true,
      attributeFilter: ["data-analysis-ms"],
    });
  });

  async function keystrokes(lines) {
    await pasteCode(page, largeFile(lines));
    await page.waitForFunction((count) => document.getElementById("editor").shadowRoot.querySelector(".cm-gutter")?.textContent.length > 0 && !document.getElementById("findings").hasAttribute("aria-busy"), lines, { timeout: 120_000 });
    // A finding explained in the panel while typing, as a user reading it would have; and
    // time for the paste to settle (what it leaves to collect is not typing's cost).
    await page.locator("#findings button[data-rule]").first().click();
    await page.waitForTimeout(1500);
    await page.evaluate(() => (window.__longTasks = []));
    const times = [];
    const analysis = [];
    for (let i = 0; i < 9; i++) {
      await page.keyboard.press("Control+End");
      await page.evaluate(() => (window.__shownAt = 0));
      await page.keyboard.type("x");
      await page.waitForFunction(() => window.__shownAt > window.__keyAt && !document.getElementById("findings").hasAttribute("aria-busy"), null, { timeout: 60_000 });
      times.push(await page.evaluate(() => window.__shownAt - window.__keyAt));
      analysis.push(Number(await page.locator("#status").getAttribute("data-analysis-ms")));
    }
    const longestWhileTyping = Math.max(0, ...(await page.evaluate(() => window.__longTasks.splice(0))));
    // And typing fast, as a person does: a keystroke every 60 ms.
    for (let i = 0; i < 20; i++) {
      await page.keyboard.type("y");
      await page.waitForTimeout(60);
    }
    await waitForFreshAnalysis(page);
    const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return {
      keystrokeToFindingsMedianMs: median(times),
      keystrokeToFindingsMaxMs: Math.max(...times),
      analysisInWorkerMedianMs: median(analysis),
      findings: Number((await page.locator("#status").textContent()).match(/^(\d+) finding/)[1]),
      longestMainThreadBlockMs: Math.max(longestWhileTyping, ...(await page.evaluate(() => window.__longTasks))),
      longestBlockTypingSlowlyMs: longestWhileTyping,
    };
  }
  measured.lines2000 = await keystrokes(2000);
  measured.lines80000 = await keystrokes(80000);
  measured.bytes80000 = Buffer.byteLength(largeFile(80000));
  console.log(`measurements (the pause before an analysis included: 30 ms, 150 ms above 200,000 characters): ${JSON.stringify(measured, null, 2)}`);
  await writeFile(join(SCREENSHOTS, "measurements.json"), JSON.stringify(measured, null, 2));
  // The one bar asserted: typing in 80,000 lines never blocks the page 200 ms (measured
  // here: 60-190 ms, on a machine whose two cores other processes share). Asserted with a
  // margin, so a busy machine does not fail it; the analysis on the page's own thread, as
  // before the worker (tasks of 400-760 ms while typing, measured here), still fails it.
  assert.ok(
    measured.lines80000.longestMainThreadBlockMs < 300,
    `the longest main-thread block while typing in 80,000 lines: ${measured.lines80000.longestMainThreadBlockMs} ms`,
  );
  await assertClean(page, record);
  await context.close();
});
