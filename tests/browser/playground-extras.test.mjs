// What users of other playgrounds expect: a page for every rule, per-rule and per-severity
// filters carried in share links, the analyser's version, copying the fixed code, going back
// to the example, SARIF and JSON made in the page (the same as the CLI's), how to suppress a
// finding, the matching CI command, and a keyboard shortcut list.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  assertCleanSession,
  editorText,
  findCli,
  findingRules,
  openPage,
  ROOT,
  SCREENSHOTS,
  setCode,
  startSite,
  waitForAnalysis,
  waitForFreshAnalysis,
} from "./helpers.mjs";

let site;
let docs;
before(async () => {
  site = await startSite();
  docs = JSON.parse(await readFile(join(ROOT, "www/dist/docs.json"), "utf8"));
});
after(async () => {
  await site?.close();
});

const visibleRuleRows = (page) =>
  page.locator("#rules-list tr:not([hidden])").evaluateAll((rows) => rows.map((row) => row.dataset.rule));

/** Runs the CLI on `source` saved as playground.py: `{stdout, code}`. */
async function runCli(cli, source, args) {
  const folder = await mkdtemp(join(tmpdir(), "pyvet-cli-"));
  try {
    await writeFile(join(folder, "playground.py"), source);
    return await promisify(execFile)(cli, ["check", ...args, "playground.py"], { cwd: folder }).then(
      ({ stdout }) => ({ stdout, code: 0 }),
      (error) => ({ stdout: error.stdout, code: error.code }),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

test("rules.html lists every rule, and search, group and severity narrow the list", async () => {
  const { page, record, context } = await openPage(site, { path: "rules.html" });
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.deepEqual(await visibleRuleRows(page), docs.rules.map((rule) => rule.id), "every rule, in id order");
  assert.equal(await page.locator("#rules-count").textContent(), `${docs.rules.length} rules`);
  await page.screenshot({ path: join(SCREENSHOTS, "rules.png") });

  await page.locator("#rules-search").fill("yaml");
  const yaml = await visibleRuleRows(page);
  assert.ok(yaml.includes("PV301"), `yaml finds unsafe-yaml-load: ${yaml}`);
  assert.ok(!yaml.includes("PV201"), "and not the SQL rule");
  assert.match(await page.locator("#rules-count").textContent(), new RegExp(`^${yaml.length} of ${docs.rules.length} rules match$`));
  // A Bandit code finds the rules that do the same check.
  await page.locator("#rules-search").fill("B608");
  const b608 = docs.rules.filter((rule) => rule.sources.some((source) => source.code === "B608")).map((rule) => rule.id);
  assert.ok(b608.includes("PV201"));
  assert.deepEqual(await visibleRuleRows(page), b608);

  await page.locator("#rules-search").fill("");
  await page.locator("#rules-group").selectOption("crypto");
  const crypto = docs.rules.filter((rule) => rule.group === "crypto").map((rule) => rule.id);
  assert.deepEqual(await visibleRuleRows(page), crypto);
  await page.locator("#rules-severity").selectOption("high");
  assert.deepEqual(
    await visibleRuleRows(page),
    docs.rules.filter((rule) => rule.group === "crypto" && rule.severity === "high").map((rule) => rule.id),
  );
  await page.locator("#rules-group").selectOption("");
  await page.locator("#rules-severity").selectOption("critical");
  assert.deepEqual(await visibleRuleRows(page), docs.rules.filter((rule) => rule.severity === "critical").map((rule) => rule.id));
  await assertCleanSession(site, page, record);
  await context.close();
});

test("rules.html#PV201 shows that rule's documentation, and other ids switch the page", async () => {
  const { page, record, context } = await openPage(site, { path: "rules.html#PV201" });
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.ok(await page.locator("#rule-detail").isVisible());
  assert.ok(await page.locator("#rule-index").isHidden());
  assert.equal(await page.locator("#rule-title").textContent(), "PV201 · sql-string-query");
  const body = await page.locator("#rule-body").textContent();
  for (const heading of ["What it does", "Why is this bad?", "Example", "Use instead", "References"]) {
    assert.ok(body.includes(heading), `the docs have "${heading}"`);
  }
  const facts = await page.locator("#rule-facts").textContent();
  assert.match(facts, /CWE-89/);
  assert.match(facts, /Bandit B608, Ruff S608/);
  assert.match(facts, /In test files\s*reported/);
  assert.match(facts, /# pyvet: ignore\[PV201\]/);
  assert.equal(await page.locator("#rule-facts a", { hasText: "SQL injection" }).getAttribute("href"), "guide.html#sql-injection");
  await page.screenshot({ path: join(SCREENSHOTS, "rule-PV201.png"), fullPage: true });

  // Back on the list, focus is on the rule just read.
  await page.locator('#rule-detail a[href="#"]').click();
  await page.waitForFunction(() => !document.getElementById("rule-index").hidden);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), "#PV201");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("rule-title").textContent.startsWith("PV201"));

  // Other rules mentioned in the docs link to their pages.
  await page.evaluate(() => (location.hash = "#PV102"));
  await page.waitForFunction(() => document.getElementById("rule-title").textContent.startsWith("PV102"));
  await page.locator('#rule-body a[href="rules.html#PV103"]').first().click();
  await page.waitForFunction(() => document.getElementById("rule-title").textContent.startsWith("PV103"));

  // The example opens in the playground, with the rule's finding.
  await page.locator("#rule-body a.open-in-playground").click();
  await waitForAnalysis(page);
  assert.ok((await findingRules(page)).includes("PV103"), "the example shows the rule's finding");

  // An id that is no rule shows the list, and says so.
  await page.goto(`${site.url}rules.html#PV999`);
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.ok(await page.locator("#rule-index").isVisible());
  assert.match(await page.locator("#rules-count").textContent(), /There is no rule PV999/);
  await assertCleanSession(site, page, record);
  await context.close();
});

test("the rules page fits a phone", async () => {
  const { page, record, context } = await openPage(site, { path: "rules.html", viewport: { width: 390, height: 844 } });
  await page.waitForSelector('#rules-main[data-ready="true"]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "rules-phone.png") });
  await page.goto(`${site.url}rules.html#PV301`);
  await page.waitForSelector('#rules-main[data-ready="true"]');
  const detailOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(detailOverflow <= 0, `no horizontal scrolling on a rule (overflow ${detailOverflow}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "rule-PV301-phone.png") });
  await assertCleanSession(site, page, record);
  await context.close();
});

test("a finding links to its rule's page, and the guide links the rules of each section", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import yaml\nyaml.load(data)\n");
  await page.locator('#findings button[data-rule="PV301"]').click();
  await page.locator("#rule-page-link").click();
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).hash, "/rules.html#PV301");
  assert.equal(await page.locator("#rule-title").textContent(), "PV301 · unsafe-yaml-load");

  await page.goto(`${site.url}guide.html`);
  await page.waitForSelector('#guide[data-ready="true"]');
  const linked = await page.locator("#deserialization .rules-line a").evaluateAll((links) => links.map((link) => link.getAttribute("href")));
  const expected = docs.sections.find((section) => section.id === "deserialization").rules.map((id) => `rules.html#${id}`);
  assert.deepEqual(linked, expected);
  await page.locator('#deserialization .rules-line a[href="rules.html#PV301"]').click();
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.equal(await page.locator("#rule-title").textContent(), "PV301 · unsafe-yaml-load");
  await assertCleanSession(site, page, record);
  await context.close();
});

test("offline: after one visit the rules page still opens", async () => {
  const context = await site.browser.newContext({ serviceWorkers: "allow" });
  const page = await context.newPage();
  await page.goto(site.url);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active !== null);
  await context.setOffline(true);
  await page.goto(`${site.url}rules.html#PV201`);
  await page.waitForSelector('#rules-main[data-ready="true"]');
  assert.equal(await page.locator("#rule-title").textContent(), "PV201 · sql-string-query");
  await context.close();
});

test("per-rule switches: search, turn a rule off, and it stays off", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n");
  assert.deepEqual(await findingRules(page), ["PV301", "PV602"]);
  await page.locator(".settings summary").click();
  await page.locator("#rule-search").fill("yaml");
  const listed = await page.locator("#rule-list label:not([hidden])").evaluateAll((labels) => labels.map((l) => l.dataset.rule));
  assert.ok(listed.includes("PV301") && !listed.includes("PV602"), `the search narrows the rules: ${listed}`);
  await page.screenshot({ path: join(SCREENSHOTS, "settings-rules.png") });
  await page.locator('#rule-list label[data-rule="PV301"] input').uncheck();
  await page.waitForTimeout(200);
  assert.deepEqual(await findingRules(page), ["PV602"], "the rule that is off finds nothing");

  // Remembered on this device.
  const again = await openPage(site, { context });
  await waitForAnalysis(again.page);
  await setCode(again.page, "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n");
  assert.deepEqual(await findingRules(again.page), ["PV602"]);
  assert.equal(await again.page.locator('#rule-list label[data-rule="PV301"] input').isChecked(), false);
  // A group that is off takes its rules with it: their switches are off and cannot be used.
  await again.page.locator(".settings summary").click();
  await again.page.locator('#groups input[value="transport"]').uncheck();
  await again.page.waitForTimeout(200);
  assert.deepEqual(await findingRules(again.page), []);
  assert.equal(await again.page.locator('#rule-list label[data-rule="PV602"] input').isDisabled(), true);
  await assertCleanSession(site, page, record);
  await assertCleanSession(site, again.page, again.record);
  await context.close();
});

test("severity chips count the findings and hide or show a severity", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nyaml.load(data)\nrequests.get(url)\nyaml.load(other)\n");
  const chip = (severity) => page.locator(`#severity-chips button[data-severity="${severity}"]`);
  assert.equal(await chip("high").locator(".count").textContent(), "2");
  assert.equal(await chip("medium").locator(".count").textContent(), "1");
  assert.equal(await chip("critical").locator(".count").textContent(), "0");
  assert.equal(await chip("high").getAttribute("aria-label"), "high: 2 findings");
  const underlines = await page.locator(".cm-lintRange").count();
  await chip("high").click();
  await page.waitForTimeout(200);
  assert.equal(await chip("high").getAttribute("aria-pressed"), "false");
  assert.deepEqual(await findingRules(page), ["PV602"], "high findings are hidden");
  assert.ok((await page.locator(".cm-lintRange").count()) < underlines, "and not underlined");
  assert.equal(await chip("high").locator(".count").textContent(), "2", "the count still says what the code has");
  await page.screenshot({ path: join(SCREENSHOTS, "severity-chips.png") });
  await chip("high").click();
  await page.waitForTimeout(200);
  assert.deepEqual(await findingRules(page), ["PV301", "PV602", "PV301"]);
  await assertCleanSession(site, page, record);
  await context.close();
});

test("what the severity chips hide is left out of Review all fixes and Copy fixed code", async () => {
  const { page, record, context } = await openPage(site);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url });
  await waitForAnalysis(page);
  const code = "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n";
  await setCode(page, code);
  assert.equal(await page.locator("#review-fixes").textContent(), "Review all fixes (2)");
  await page.locator('#severity-chips button[data-severity="high"]').click();
  await page.waitForTimeout(200);
  assert.equal(await page.locator("#review-fixes").textContent(), "Review all fixes (1)", "only the fix listed");

  await page.locator(".export-menu summary").click();
  await page.locator("#copy-fixed-all").click();
  await page.waitForFunction(() => /^Copied/.test(document.getElementById("share-status").textContent));
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(copied, /requests\.get\(url, timeout=\d+\)/);
  assert.match(copied, /yaml\.load\(data\)/, "the hidden finding's fix is not applied");
  assert.match(await page.locator("#share-status").textContent(), /^Copied the code with 1 fix applied/);

  await page.locator("#review-fixes").click();
  await page.waitForSelector("#review[open]");
  assert.deepEqual(await page.locator("#review-list li").evaluateAll((items) => items.map((item) => item.dataset.rule)), ["PV602"]);
  assert.doesNotMatch(await page.locator("#review-diff").innerText(), /safe_load/);
  await page.locator("#review-apply-all").click();
  await waitForFreshAnalysis(page);
  const fixed = await editorText(page);
  assert.match(fixed, /requests\.get\(url, timeout=\d+\)/);
  assert.match(fixed, /yaml\.load\(data\)/, "the hidden finding is left as it was");
  await assertCleanSession(site, page, record, ["yaml.load(data)"]);
  await context.close();
});

test("a settings change keeps the selected finding while it is still listed", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n");
  await page.locator('#findings button[data-rule="PV602"]').click();
  assert.match(await page.locator("#panel-title").textContent(), /^PV602/);
  await page.locator(".settings summary").click();
  await page.locator("#rule-search").fill("yaml");
  await page.locator('#rule-list label[data-rule="PV301"] input').uncheck();
  await waitForFreshAnalysis(page);
  assert.deepEqual(await findingRules(page), ["PV602"]);
  assert.equal(await page.locator("#findings button[aria-current='true']").getAttribute("data-rule"), "PV602");
  assert.match(await page.locator("#panel-title").textContent(), /^PV602/, "the panel still explains it");
  // Filtered out, it is no longer explained.
  await page.locator('#groups input[value="transport"]').uncheck();
  await waitForFreshAnalysis(page);
  assert.deepEqual(await findingRules(page), []);
  assert.equal(await page.locator("#panel").isHidden(), true);
  await assertCleanSession(site, page, record);
  await context.close();
});

test("share links carry the settings; old links and unknown ids still open", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const code = "import requests, yaml, hashlib\nyaml.load(data)\nrequests.get(url)\nhashlib.md5(password)\n";
  await setCode(page, code);
  assert.deepEqual(await findingRules(page), ["PV301", "PV602", "PV402"]);
  await page.locator(".settings summary").click();
  await page.locator('#groups input[value="crypto"]').uncheck();
  await page.locator("#rule-search").fill("timeout");
  await page.locator('#rule-list label[data-rule="PV602"] input').uncheck();
  await page.locator(".settings summary").click();
  await page.locator('#severity-chips button[data-severity="low"]').click();
  await page.waitForTimeout(200);
  assert.deepEqual(await findingRules(page), ["PV301"]);
  await page.locator("#share").click();
  await page.waitForFunction(() => location.hash.includes("ignore="));
  const link = new URL(await page.evaluate(() => location.href));
  assert.match(link.hash, /&min-severity=low&ignore=crypto,PV602&hide=low$/);

  // Someone else (their own settings: none) opens it and sees the same findings.
  const other = await site.browser.newContext({ serviceWorkers: "block" });
  const recipient = await openPage(site, { path: link.hash, context: other });
  await waitForAnalysis(recipient.page);
  assert.equal((await editorText(recipient.page)).trimEnd(), code.trimEnd());
  assert.deepEqual(await findingRules(recipient.page), ["PV301"]);
  assert.equal(await recipient.page.locator('#severity-chips button[data-severity="low"]').getAttribute("aria-pressed"), "false");
  assert.equal(await recipient.page.locator('#rule-list label[data-rule="PV602"] input').isChecked(), false);
  assert.match(
    await recipient.page.locator("#share-status").textContent(),
    /^This link sets the settings: minimum severity low; groups off: crypto; rules off: PV602; hidden: low\.$/,
  );
  await assertCleanSession(site, recipient.page, recipient.record);
  await other.close();

  // A link made before settings were shared: the code only.
  const codeOnly = link.hash.split("&")[0];
  const old = await site.browser.newContext({ serviceWorkers: "block" });
  const oldLink = await openPage(site, { path: codeOnly, context: old });
  await waitForAnalysis(oldLink.page);
  assert.deepEqual(await findingRules(oldLink.page), ["PV301", "PV602", "PV402"]);
  // Ids this version does not know, and a bad severity, are left out; the rest applies.
  // Pasted into the same tab (only the fragment changes), such a link still applies.
  await oldLink.page.evaluate((hash) => (location.hash = hash), `${codeOnly}&ignore=PV999,no-such-group,PV602&min-severity=bogus&hide=urgent`);
  await oldLink.page.waitForFunction(() => document.getElementById("share-status").textContent.includes("rules off: PV602"));
  await waitForAnalysis(oldLink.page);
  assert.deepEqual(await findingRules(oldLink.page), ["PV301", "PV402"]);
  assert.doesNotMatch(await oldLink.page.locator("#status").textContent(), /could not start|failed/);
  await assertCleanSession(site, oldLink.page, oldLink.record);
  await old.close();
  await assertCleanSession(site, page, record);
  await context.close();
});

test("the page shows the analyser's version", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const cargo = await readFile(join(ROOT, "Cargo.toml"), "utf8");
  const version = cargo.match(/^version = "([^"]+)"/m)[1];
  assert.equal(await page.locator("#engine-version").textContent(), version);
  assert.ok(await page.locator("#engine-version").isVisible());
  await assertCleanSession(site, page, record);
  await context.close();
});

test("Copy fixed code: safe fixes only, or with the unsafe ones, and the editor is left alone", async () => {
  const { page, record, context } = await openPage(site);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: site.url });
  await waitForAnalysis(page);
  const code = "import requests, yaml\nyaml.load(data)\nrequests.get(url)\n";
  await setCode(page, code);
  await page.locator(".export-menu summary").click();
  await page.locator("#copy-fixed-safe").click();
  await page.waitForFunction(() => /^Copied/.test(document.getElementById("share-status").textContent));
  const safe = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(safe, /requests\.get\(url, timeout=\d+\)/);
  assert.match(safe, /yaml\.load\(data\)/, "the unsafe fix is left out");
  assert.equal(
    await page.locator("#share-status").textContent(),
    "Copied the code with 1 fix applied (safe fixes only); 1 unsafe fix left out. The editor is unchanged.",
  );
  await page.locator("#copy-fixed-all").click();
  await page.waitForFunction(() => /unsafe ones change behaviour/.test(document.getElementById("share-status").textContent));
  const all = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(all, /yaml\.safe_load\(data\)/);
  assert.match(all, /requests\.get\(url, timeout=\d+\)/);
  assert.match(await page.locator("#share-status").textContent(), /^Copied the code with 2 fixes applied \(safe and unsafe fixes/);
  assert.equal((await editorText(page)).trimEnd(), code.trimEnd(), "the editor keeps the code as it was");
  await assertCleanSession(site, page, record, ["yaml.load(data)"]);
  await context.close();
});

test("Reset to the example brings the sample back, one undo away from the user's code", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const sample = await editorText(page);
  await setCode(page, "import yaml\nmine_4417 = yaml.load(x)\n");
  await page.locator("#share").click();
  await page.waitForFunction(() => location.hash.startsWith("#code="));
  await page.locator("#reset-example").click();
  await page.waitForTimeout(300);
  assert.equal(await editorText(page), sample);
  assert.ok((await findingRules(page)).length >= 4, "the sample's findings are back");
  assert.equal(await page.evaluate(() => location.hash), "", "a reload will not bring the old link back");
  assert.match(await page.locator("#share-status").textContent(), /Back to the example/);
  await page.locator(".cm-content").click();
  await page.keyboard.press("Control+Z");
  await page.waitForTimeout(300);
  assert.match(await editorText(page), /mine_4417 = yaml\.load\(x\)/);
  await assertCleanSession(site, page, record, ["mine_4417"]);
  await context.close();
});

test("SARIF and JSON exports are made in the page and are what the CLI writes", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const source = await readFile(join(ROOT, "tests/browser/export/playground.py"), "utf8");
  await setCode(page, source);
  assert.equal(await editorText(page), source, "the editor holds the file as written");
  await page.locator(".export-menu summary").click();
  const requestsBefore = record.requests.length;
  const exported = {};
  for (const format of ["sarif", "json"]) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator(`#download-${format}`).click()]);
    assert.equal(download.suggestedFilename(), `pyvet-findings.${format}`);
    exported[format] = await readFile(await download.path(), "utf8");
  }
  assert.ok(
    record.requests.slice(requestsBefore).every((request) => request.url.startsWith("blob:")),
    "the files come from the page itself, not from a server",
  );
  assert.match(await page.locator("#share-status").textContent(), /^Saved 4 findings as pyvet-findings\.json, made in this page: nothing was uploaded\.$/);

  // The CLI's own output for the same file (live when a CLI is built, else the copy kept beside the source).
  const cli = await findCli();
  const expected = {};
  for (const format of ["sarif", "json"]) {
    expected[format] = cli
      ? (await runCli(cli, source, ["--format", format])).stdout
      : await readFile(join(ROOT, `tests/browser/export/expected.${format}`), "utf8");
  }
  if (!cli) console.log("no pyvet CLI built: comparing with tests/browser/export/expected.*");
  assert.deepEqual(JSON.parse(exported.json), JSON.parse(expected.json));
  assert.deepEqual(JSON.parse(exported.sarif), JSON.parse(expected.sarif));
  assert.equal(exported.json, expected.json, "byte for byte");
  assert.equal(exported.sarif, expected.sarif, "byte for byte");
  // Columns count characters: the emoji before the SQL finding counts once, not twice.
  const sql = JSON.parse(exported.json).findings.find((finding) => finding.rule_id === "PV201");
  assert.deepEqual(sql.range.start, { line: 14, column: 32 });
  await assertCleanSession(site, page, record, ["café.yml"]);
  await context.close();
});

test("each finding says how to suppress it, and that comment does", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  await setCode(page, "import requests, yaml\nconfig = yaml.load(\n    data)\nrequests.get(url)\n");
  await page.locator('#findings button[data-rule="PV301"]').click();
  const line = await page.locator("#panel-suppress").textContent();
  assert.equal(line, "To accept this risk on purpose, end line 2 (or any line of its statement) with # pyvet: ignore[PV301].");
  const comment = await page.locator("#panel-suppress code").textContent();
  // Put it on the statement's last line, as the note allows.
  await setCode(page, `import requests, yaml\nconfig = yaml.load(\n    data)  ${comment}\nrequests.get(url)\n`);
  assert.deepEqual(await findingRules(page), ["PV602"]);
  await assertCleanSession(site, page, record);
  await context.close();
});

test("the CI command matches the page's settings", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const code = "import requests, yaml, hashlib\nyaml.load(data)\nrequests.get(url)\nhashlib.md5(password)\nrequests.get('http://example.com', timeout=5)\n";
  await setCode(page, code);
  await page.locator("#ci summary").click();
  assert.equal(await page.locator("#ci-command").textContent(), "pyvet check .");
  await page.locator(".settings summary").click();
  await page.locator("#min-severity").selectOption("medium");
  await page.locator('#groups input[value="crypto"]').uncheck();
  await page.locator("#rule-search").fill("PV602");
  await page.locator('#rule-list label[data-rule="PV602"] input').uncheck();
  await page.locator(".settings summary").click();
  await page.waitForTimeout(200);
  const command = await page.locator("#ci-command").textContent();
  assert.equal(command, "pyvet check --ignore crypto,PV602 --min-severity medium .");
  await page.screenshot({ path: join(SCREENSHOTS, "ci-command.png") });
  const shown = await findingRules(page);
  assert.deepEqual(shown, ["PV301"]);
  const cli = await findCli();
  if (cli) {
    // The same command on the same code reports the same findings.
    const args = command.replace(/^pyvet check /, "").replace(/ \.$/, "").split(" ");
    const { stdout } = await runCli(cli, code, [...args, "--format", "json"]);
    assert.deepEqual(JSON.parse(stdout).findings.map((finding) => finding.rule_id), shown);
  }
  await assertCleanSession(site, page, record);
  await context.close();
});

test("? opens the keyboard shortcuts (not while typing); Escape closes them and focus returns", async () => {
  const { page, record, context } = await openPage(site);
  await waitForAnalysis(page);
  const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  // Typing `?` in the editor types it.
  await page.locator(".cm-content").click();
  await page.keyboard.press("End");
  await page.keyboard.type("?");
  assert.match(await editorText(page), /\?/);
  assert.equal(await dialog.isVisible(), false, "no dialog while typing code");
  // Nor in a search field.
  await page.locator(".settings summary").click();
  await page.locator("#rule-search").type("?");
  assert.equal(await dialog.isVisible(), false, "no dialog while typing a search");
  await page.locator(".settings summary").click();

  await page.locator("#share").focus();
  await page.keyboard.press("?");
  await dialog.waitFor({ state: "visible" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "shortcuts-close", "focus moves into the dialog");
  const text = await dialog.textContent();
  for (const listed of ["F8", "Go to the next finding", "Undo", "Find"]) assert.ok(text.includes(listed), `lists ${listed}`);
  assert.equal(await page.evaluate(() => document.getElementById("shortcuts").matches(":modal")), true, "modal: the page behind is inert");
  await page.screenshot({ path: join(SCREENSHOTS, "shortcuts.png") });
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "share", "focus goes back where it was");

  // The toolbar button opens it too, and Close closes it.
  await page.locator("#shortcuts-open").click();
  await dialog.waitFor({ state: "visible" });
  await page.locator("#shortcuts-close").click();
  await dialog.waitFor({ state: "hidden" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "shortcuts-open");
  await assertCleanSession(site, page, record);
  await context.close();
});

test("the new controls fit a phone-width screen", async () => {
  const { page, record, context } = await openPage(site, { viewport: { width: 390, height: 844 } });
  await waitForAnalysis(page);
  await page.locator(".export-menu summary").click();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "phone-export.png") });
  await page.locator(".export-menu summary").click();
  await page.locator(".settings summary").click();
  const settingsOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(settingsOverflow <= 0, `settings fit (overflow ${settingsOverflow}px)`);
  await page.screenshot({ path: join(SCREENSHOTS, "phone-settings.png") });
  await assertCleanSession(site, page, record);
  await context.close();
});
