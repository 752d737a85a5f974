// The lessons page (learn.html): one lesson walked from its starting code to a pass with the
// keyboard only, a lesson per address, the list of lessons done, and progress exported to a
// file and imported in another browser.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  assertCleanSession,
  editorText,
  findingRules,
  focusedElement,
  openPage,
  ROOT,
  SCREENSHOTS,
  startSite,
  waitForFreshAnalysis,
} from "./helpers.mjs";

let site;
let lessons;
before(async () => {
  site = await startSite();
  lessons = JSON.parse(await readFile(join(ROOT, "www/dist/lessons.json"), "utf8"));
});
after(async () => {
  await site?.close();
});

const LESSON = "sql-injection-1";

/** Presses Tab (or Shift+Tab) until the element with `id` has the focus, as a keyboard user would. */
async function tabTo(page, id, { back = false } = {}) {
  for (let presses = 0; presses < 80; presses++) {
    if ((await focusedElement(page)) === id) return;
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
  }
  assert.fail(`Tab never reached #${id}`);
}

const result = (page) => page.locator("#lesson-result");

async function waitForResult(page, verdict) {
  await page.waitForSelector(`#lesson-result[data-lesson-result="${verdict}"]`);
  return result(page).textContent();
}

test("a lesson walked from its starting code to a pass with the keyboard only", async () => {
  const lesson = lessons.find((candidate) => candidate.id === LESSON);
  const { page, record, context } = await openPage(site, { path: `learn.html#${LESSON}` });
  await waitForFreshAnalysis(page);
  assert.equal(await page.locator("#lesson-title").textContent(), lesson.title.replaceAll("`", ""));
  assert.match(await page.locator("#lesson-guide-title").textContent(), /SQL injection/i);
  assert.ok((await findingRules(page)).includes("PV201"), "the finding is listed, as in the playground");
  assert.ok(await page.locator("#editor").evaluate((host) => host.shadowRoot.querySelector(".cm-lintRange") !== null));
  assert.equal(await result(page).getAttribute("data-lesson-result"), null, "no verdict before Check");

  // Check the starting code: it fails, naming the rule that still fires.
  await tabTo(page, "check");
  await page.keyboard.press("Enter");
  assert.match(await waitForResult(page, "fail"), /PV201 sql-string-query still fires on line \d+/);

  // Delete all the code: that fails too, saying what the program must still do.
  await tabTo(page, "editor");
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Delete");
  assert.equal(await editorText(page), "");
  await page.keyboard.press("Escape");
  await tabTo(page, "check");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => /Missing/.test(document.getElementById("lesson-result").textContent));
  assert.match(await waitForResult(page, "fail"), /Missing: the program still runs the query with cursor\.execute/);

  // The hints, one by one.
  await tabTo(page, "hint");
  for (let shown = 1; shown <= lesson.hints.length; shown++) {
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("#hints li").count(), shown);
  }
  assert.equal(await page.locator("#hint").isDisabled(), true);
  assert.equal(await page.locator("#hints li").last().textContent(), lesson.hints.at(-1).replaceAll("`", ""));

  // Show me: the reference solution as a diff against the (empty) code, then Use this code.
  await tabTo(page, "show-me");
  await page.keyboard.press("Enter");
  assert.equal(await page.locator("#solution").isVisible(), true);
  assert.equal(await page.locator("#show-me").getAttribute("aria-expanded"), "true");
  const added = await page.locator("#solution-diff .added").allTextContents();
  assert.ok(added.some((line) => line.includes("WHERE username = ?")), "the diff shows the parameterised query");
  await tabTo(page, "use-solution");
  await page.keyboard.press("Enter");
  assert.equal(await editorText(page), lesson.solution);
  await waitForFreshAnalysis(page);
  assert.deepEqual(await findingRules(page), []);

  await tabTo(page, "check", { back: true });
  await page.keyboard.press("Enter");
  assert.match(await waitForResult(page, "pass"), /Passed/);
  assert.match(await result(page).textContent(), /still runs the query with cursor\.execute/);
  await page.screenshot({ path: join(SCREENSHOTS, "learn-lesson.png") });

  // The list shows the lesson done, and so does a reload (localStorage).
  await page.goto(`${site.url}learn.html`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator(`#lesson-list a[href="#${LESSON}"]`).locator("xpath=..").getAttribute("data-done"), "true");
  assert.equal(await page.locator("#progress-summary").textContent(), `1 of ${lessons.length} lessons done.`);
  await page.screenshot({ path: join(SCREENSHOTS, "learn-list.png") });
  await assertCleanSession(site, page, record);
  await context.close();
});

test("every lesson has its own address, reached from the list", async () => {
  const { page, record, context } = await openPage(site, { path: "learn.html" });
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator("#lesson-list li").count(), lessons.length);
  const second = lessons[1];
  await page.locator(`#lesson-list a[href="#${second.id}"]`).click();
  await page.waitForFunction(
    (title) => document.getElementById("lesson-title").textContent === title,
    second.title.replaceAll("`", ""),
  );
  assert.equal(new URL(page.url()).hash, `#${second.id}`);
  await waitForFreshAnalysis(page);
  assert.equal(await editorText(page), second.start);
  // Going back shows the list again; an unknown lesson shows the list with a note.
  await page.goBack();
  await page.waitForSelector("#lesson-index:not([hidden])");
  await page.goto(`${site.url}learn.html#no-such-lesson`);
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.locator("#progress-note").textContent(), /no lesson “no-such-lesson”/);
  // The other pages link here.
  for (const path of ["", "guide.html", "rules.html"]) {
    await page.goto(site.url + path);
    assert.equal(await page.locator('header nav a[href="learn.html"]').textContent(), "Learn");
  }
  await assertCleanSession(site, page, record);
  await context.close();
});

test("progress is exported to a file and imported in another browser", async () => {
  const folder = await mkdtemp(join(tmpdir(), "pyvet-learn-"));
  try {
    const first = await openPage(site, { path: "learn.html" });
    const when = new Date().toISOString();
    await first.page.evaluate(
      ([ids, date]) => {
        localStorage.setItem(
          "pyvet.learn.progress",
          JSON.stringify({ done: Object.fromEntries(ids.map((id) => [id, date])), extra: 1 }),
        );
      },
      [[lessons[0].id, lessons[2].id, "not-a-lesson"], when],
    );
    await first.page.reload();
    await first.page.waitForSelector('body[data-ready="true"]');
    assert.equal(await first.page.locator("#progress-summary").textContent(), `2 of ${lessons.length} lessons done.`);
    const [download] = await Promise.all([
      first.page.waitForEvent("download"),
      first.page.locator("#export-progress").click(),
    ]);
    assert.equal(download.suggestedFilename(), "pyvet-progress.json");
    const exported = join(folder, "progress.json");
    await download.saveAs(exported);
    const file = JSON.parse(await readFile(exported, "utf8"));
    assert.deepEqual(Object.keys(file.done).sort(), [lessons[0].id, lessons[2].id].sort());
    await first.context.close();

    // Another browser: nothing done, then the file imported.
    const second = await openPage(site, { path: "learn.html" });
    await second.page.waitForSelector('body[data-ready="true"]');
    assert.equal(await second.page.locator("#progress-summary").textContent(), `0 of ${lessons.length} lessons done.`);
    const junk = join(folder, "junk.json");
    await writeFile(junk, JSON.stringify({ hello: "world" }));
    await second.page.locator("#import-progress").setInputFiles(junk);
    await second.page.waitForFunction(() => /Could not import/.test(document.getElementById("progress-note").textContent));
    assert.equal(await second.page.locator("#progress-summary").textContent(), `0 of ${lessons.length} lessons done.`);
    await second.page.locator("#import-progress").setInputFiles(exported);
    await second.page.waitForFunction(() => /Imported/.test(document.getElementById("progress-note").textContent));
    assert.equal(await second.page.locator("#progress-summary").textContent(), `2 of ${lessons.length} lessons done.`);
    assert.equal(await second.page.locator('#lesson-list li[data-done="true"]').count(), 2);
    await second.page.reload();
    await second.page.waitForSelector('body[data-ready="true"]');
    assert.equal(await second.page.locator("#progress-summary").textContent(), `2 of ${lessons.length} lessons done.`);
    await assertCleanSession(site, second.page, second.record);
    await second.context.close();
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

test("the lesson page in the dark theme", async () => {
  const context = await site.browser.newContext({ colorScheme: "dark", viewport: { width: 1280, height: 900 }, serviceWorkers: "block" });
  const { page, record } = await openPage(site, { path: `learn.html#${LESSON}`, context });
  await waitForFreshAnalysis(page);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await page.screenshot({ path: join(SCREENSHOTS, "learn-lesson-dark.png") });
  await assertCleanSession(site, page, record);
  await context.close();
});

test("on a phone the lesson fits the screen's width, with the task and the code first", async () => {
  const { page, record, context } = await openPage(site, {
    path: `learn.html#${LESSON}`,
    viewport: { width: 390, height: 844 },
  });
  await waitForFreshAnalysis(page);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), "no sideways scrolling");
  const scroller = await page.locator("#editor").evaluate((host) => {
    const box = host.shadowRoot.querySelector(".cm-scroller");
    return { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
  });
  assert.ok(scroller.scrollWidth <= scroller.clientWidth, "long lines wrap inside the editor");
  const editorTop = (await page.locator("#editor").boundingBox()).y;
  const guideTop = (await page.locator("#lesson-guide").boundingBox()).y;
  assert.ok(editorTop < guideTop, "the code comes before the guideline");
  await page.screenshot({ path: join(SCREENSHOTS, "learn-phone.png") });
  await assertCleanSession(site, page, record);
  await context.close();
});
