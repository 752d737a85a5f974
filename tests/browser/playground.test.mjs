// The playground as a person uses it: type, see, understand, fix, share — and nothing
// leaves the page.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { editorText, findingRules, openPage, SCREENSHOTS, setCode, startSite, waitForAnalysis } from "./helpers.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** No console errors, no CSP violations, and every request stayed on our origin. */
async function assertCleanSession(page, record, typed = []) {
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.deepEqual(violations, [], "no CSP violations");
  assert.deepEqual(record.errors, [], "no console errors");
  const origin = new URL(site.url).origin;
  for (const request of record.requests) {
    assert.equal(new URL(request.url).origin, origin, `request left the origin: ${request.url}`);
    for (const secret of typed) {
      assert.ok(!decodeURIComponent(request.url).includes(secret), `a request carried the typed code: ${request.url}`);
      assert.ok(!(request.body ?? "").includes(secret), "a request body carried the typed code");
    }
  }
}

test("the first visit shows the sample with findings, underlines and a gutter marker", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const rules = await findingRules(page);
  assert.ok(rules.length >= 1, `the sample has findings: ${rules}`);
  assert.ok((await page.locator(".cm-lintRange").count()) >= 1, "findings are underlined");
  assert.ok((await page.locator(".cm-lint-marker").count()) >= 1, "findings have gutter markers");
  await page.screenshot({ path: join(SCREENSHOTS, "first-visit.png"), fullPage: true });
  await page.locator('#findings button[data-rule="PV104"]').click();
  assert.match(
    await page.locator("#fix-note").textContent(),
    /^Changes behaviour — review before applying\. When the key is the whole string/,
  );
  await assertCleanSession(page, record);
  await context.close();
});

test("typing vulnerable code shows the finding; selecting it opens the guideline; the fix removes it", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const marker = "payload_from_user_81731";
  await setCode(page, `import yaml\n\nconfig = yaml.load(${marker})\n`);
  assert.deepEqual(await findingRules(page), ["PV301"]);
  await page.locator('#findings button[data-rule="PV301"]').click();
  await page.waitForSelector("#panel:not([hidden])");
  assert.match(await page.locator("#panel-title").textContent(), /PV301/);
  assert.match(await page.locator("#guide-title").textContent(), /Guideline: .+/);
  assert.ok((await page.locator("#guide-body").textContent()).length > 200, "the guideline section text is shown");
  assert.match(await page.locator("#fix-diff").textContent(), /safe_load/);
  // An unsafe fix says what changes, in sentences.
  assert.match(
    await page.locator("#fix-note").textContent(),
    /^Changes behaviour — review before applying\. safe_load refuses Python-specific tags/,
  );
  await page.screenshot({ path: join(SCREENSHOTS, "finding-selected.png"), fullPage: true });
  await page.locator("#fix-apply").click();
  await page.waitForTimeout(300);
  assert.deepEqual(await findingRules(page), []);
  const text = await editorText(page);
  assert.match(text, /yaml\.safe_load\(payload_from_user_81731\)/);
  assert.doesNotMatch(await page.locator("#status").textContent(), /syntax error/);
  // One undo step brings the original back.
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+Z");
  await page.waitForTimeout(300);
  assert.match(await editorText(page), /yaml\.load\(payload_from_user_81731\)/);
  await assertCleanSession(page, record, [marker]);
  await context.close();
});

test("a syntax error is shown and the rest of the file is still analysed", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\ndef broken(:\n    pass\nyaml.load(data)\n");
  assert.deepEqual(await findingRules(page), ["PV301"]);
  assert.ok((await page.locator("#findings .syntax-error").count()) >= 1, "the syntax error is listed");
  await assertCleanSession(page, record);
  await context.close();
});

test("a share link reproduces the code without sending it anywhere", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const code = "import yaml  # é 😀\nshared_marker_5521 = yaml.load(body)\n";
  await setCode(page, code);
  await page.locator("#share").click();
  await page.waitForFunction(() => location.hash.startsWith("#code="));
  const link = await page.evaluate(() => location.href);
  assert.ok(!link.includes("shared_marker_5521"), "the code is compressed, not plain in the link");
  const second = await openPage(site, { path: new URL(link).hash, context });
  await waitForAnalysis(second.page);
  assert.equal((await editorText(second.page)).trimEnd(), code.trimEnd());
  assert.deepEqual(await findingRules(second.page), ["PV301"]);
  await assertCleanSession(page, record, ["shared_marker_5521"]);
  await assertCleanSession(second.page, second.record, ["shared_marker_5521"]);
  await context.close();
});

test("code that looks like HTML runs no script and creates no element", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const before = await page.evaluate(() => document.querySelectorAll("img, script, iframe").length);
  await setCode(
    page,
    [
      "import yaml",
      "# </script><img src=x onerror=alert(1)>",
      'x = "</script><img src=x onerror=alert(1)>"',
      'yaml.load("</script><img src=x onerror=alert(1)><script>alert(2)</script>")',
      "def </script><img src=x onerror=alert(1)>(:",
    ].join("\n"),
  );
  await page.locator('#findings button[data-rule="PV301"]').click();
  await page.waitForTimeout(300);
  const after = await page.evaluate(() => {
    const shadow = document.getElementById("editor").shadowRoot;
    return document.querySelectorAll("img, script, iframe").length + shadow.querySelectorAll("img, script, iframe").length;
  });
  assert.equal(after, before, "no element was created from the code");
  assert.deepEqual(record.dialogs, [], "no script ran");
  await assertCleanSession(page, record);
  await context.close();
});

test("when the analyser fails, the page says so, and the next edit analyses again", async () => {
  // The module has a hook, for tests only, that makes its next analyze or applyFixes call
  // trap (src/wasm/test_trap.rs). The page does not expose it: the analyser runs in a
  // worker, and this test serves that worker's script with a prologue that records each
  // WebAssembly instance the worker creates, to call the hook on the live one.
  const context = await site.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: "block" });
  await context.route("**/analysis-worker.js", async (route) => {
    const response = await route.fetch();
    const prologue = `
      self.__wasmInstances = [];
      const keep = (result) => { self.__wasmInstances.push(result.instance ?? result); return result; };
      for (const name of ["instantiate", "instantiateStreaming"]) {
        const original = WebAssembly[name];
        WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
      }
      WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
        construct(target, args, newTarget) { return keep(Reflect.construct(target, args, newTarget)); },
      });
    `;
    await route.fulfill({ response, body: prologue + (await response.text()) });
  });
  const workers = [];
  context.on("page", (page) => page.on("worker", (worker) => workers.push(worker)));
  const { page, record } = await openPage(site, { context });
  await waitForAnalysis(page);
  assert.equal(workers.length, 1, "the analyser runs in one worker");
  const worker = workers[0];
  const instances = () => worker.evaluate(() => self.__wasmInstances.length);
  const armTrap = () => worker.evaluate(() => self.__wasmInstances.at(-1).exports.__pyvetArmTestTrap());
  const recovered = () => page.waitForFunction(() => document.getElementById("status").dataset.state === undefined);
  const code = "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n";
  await setCode(page, code);
  assert.deepEqual((await findingRules(page)).sort(), ["PV301", "PV602"].sort());
  const before = await instances();

  // An edit whose analysis traps.
  await armTrap();
  await page.keyboard.insertText("\n");
  await page.waitForSelector('#status[data-state="failed"]');
  assert.match(await page.locator("#status").textContent(), /^The analyser failed on this code/);
  assert.deepEqual(await findingRules(page), [], "no stale findings");
  assert.match(await page.locator("#findings").textContent(), /the analyser failed on this code/);
  assert.equal(await page.locator(".cm-lintRange").count(), 0, "no stale underlines");
  assert.equal(await instances(), before + 1, "the module runs on a fresh instance");
  await page.screenshot({ path: join(SCREENSHOTS, "analyser-failed.png"), fullPage: true });
  // The next keystroke analyses again.
  await page.keyboard.insertText("x = 1\n");
  await recovered();
  assert.deepEqual((await findingRules(page)).sort(), ["PV301", "PV602"].sort());

  // Preparing the fixes for review when that traps leaves the code as it was.
  const text = await editorText(page);
  await armTrap();
  await page.locator("#review-fixes").click();
  await page.waitForSelector('#status[data-state="failed"]');
  assert.equal(await editorText(page), text, "the code is unchanged");
  assert.equal(await page.locator("#review").isVisible(), false, "no review of fixes that failed");
  assert.equal(await instances(), before + 2);
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("\n");
  await recovered();
  assert.deepEqual((await findingRules(page)).sort(), ["PV301", "PV602"].sort());
  await page.locator("#review-fixes").click();
  await page.locator("#review-apply-safe").click();
  await page.waitForFunction(() => !document.getElementById("editor").shadowRoot.textContent.includes("requests.get(url)"));
  assert.match(await editorText(page), /requests\.get\(url, timeout=/);

  // The console (the page's and its worker's) holds what each failure logged (the panic in
  // the worker, the page's error), nothing else.
  const expected = /a trap requested by a test|pyvet: the analyser failed on this input/;
  assert.equal(record.errors.filter((error) => /a trap requested by a test/.test(error)).length, 2);
  record.errors = record.errors.filter((error) => !expected.test(error));
  await assertCleanSession(page, record);
  await context.close();
});

test("a 1,000-line file is re-analysed within a frame (reported, not asserted)", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const block = [
    "import yaml, subprocess, sqlite3",
    "def handler_NUM(request, db):",
    "    name = request.args.get('name')",
    "    rows = db.execute('SELECT * FROM t WHERE id = ?', (name,))",
    "    data = yaml.safe_load(request.data)",
    "    subprocess.run(['convert', name, 'out.png'])",
    "    if data and rows:",
    "        return {'ok': True, 'count': len(data)}",
    "    return None",
    "",
  ];
  const lines = [];
  for (let i = 0; lines.length < 1000; i++) lines.push(...block.map((line) => line.replace("NUM", String(i))));
  await setCode(page, lines.slice(0, 1000).join("\n"));
  const timings = [];
  for (let i = 0; i < 7; i++) {
    await page.keyboard.press("End");
    await page.keyboard.insertText(" ");
    await page.waitForTimeout(250);
    timings.push(Number(await page.locator("#status").getAttribute("data-analysis-ms")));
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(timings.length / 2)];
  console.log(`1,000-line re-analysis in the browser: median ${median.toFixed(2)} ms, max ${timings.at(-1).toFixed(2)} ms (${timings.length} runs)`);
  await assertCleanSession(page, record);
  await context.close();
});

test("keyboard alone reaches a finding and its explanation", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\nyaml.load(first)\nyaml.load(second)\n");
  await page.locator("#share").focus();
  let reached = false;
  for (let i = 0; i < 30 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement?.dataset?.index === "1");
  }
  assert.ok(reached, "Tab reaches the second finding");
  await page.keyboard.press("Enter");
  await page.waitForSelector('#findings button[data-index="1"][aria-current="true"]');
  assert.ok(await page.locator("#panel").isVisible(), "the explanation is shown");
  assert.ok((await page.locator(".cm-selectionBackground").count()) >= 1, "the flagged code is selected in the editor");
  await assertCleanSession(page, record);
  await context.close();
});

test("the page fits a phone-width screen", async () => {
  const { page, record, context } = await openPage(site, { viewport: { width: 390, height: 844 } });
  await waitForAnalysis(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "phone.png"), fullPage: true });
  await assertCleanSession(page, record);
  await context.close();
});

test("settings are remembered and filter findings", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\nyaml.load(data)\n");
  await page.locator(".settings summary").click();
  await page.locator("#min-severity").selectOption("critical");
  await page.waitForTimeout(200);
  assert.deepEqual(await findingRules(page), [], "a high finding is hidden below critical");
  const reopened = await openPage(site, { context });
  await waitForAnalysis(reopened.page);
  assert.equal(await reopened.page.locator("#min-severity").inputValue(), "critical");
  await reopened.page.locator(".settings summary").click();
  await reopened.page.locator("#min-severity").selectOption("low");
  await assertCleanSession(page, record);
  await context.close();
});

test("the guide page renders every section with open-in-playground links", async () => {
  const { page, record, context } = await openPage(site, { path: "guide.html" });
  await page.waitForSelector('#guide[data-ready="true"]');
  const sections = await page.locator("#guide > section").count();
  assert.ok(sections >= 20, `all sections rendered (${sections})`);
  const links = await page.locator("a.open-in-playground").count();
  const examples = await page.locator("figure.code[data-kind]").count();
  assert.ok(examples >= 20, `the guide has its examples (${examples})`);
  assert.equal(links, examples, "every example opens in the playground");
  // An example opens in the playground with its code and its findings.
  const first = page.locator('figure.code[data-kind="bad"] + p a.open-in-playground').first();
  const code = await page.locator('figure.code[data-kind="bad"] pyvet-snippet').first().textContent();
  await first.click();
  await waitForAnalysis(page);
  assert.equal((await editorText(page)).trimEnd(), code.trimEnd());
  assert.ok((await findingRules(page)).length >= 1, "the vulnerable example shows findings");
  await page.screenshot({ path: join(SCREENSHOTS, "guide.png") });
  await assertCleanSession(page, record);
  await context.close();
});

test("offline: after one visit the playground loads and analyses without a network", async () => {
  const context = await site.browser.newContext({ serviceWorkers: "allow" });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await waitForAnalysis(page);
  assert.ok((await findingRules(page)).length >= 1, "the cached analyser still runs");
  await context.close();
});
