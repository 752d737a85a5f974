// The site as an installed, offline app: every page precached on the first visit to any
// page, a new build offered with "A new version is ready — reload", old caches deleted, and
// a manifest whose icons install cleanly. Runs on a copy of the built site, so the test can
// make a second build of it without touching www/dist.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { access, appendFile, cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startSite, waitForAnalysis, findingRules, ROOT, SCREENSHOTS } from "./helpers.mjs";
import { writeServiceWorker } from "../../scripts/service-worker.mjs";

let site;
let copy;

before(async () => {
  copy = await mkdtemp(join(tmpdir(), "pyvet-pwa-"));
  await cp(join(ROOT, "www/dist"), copy, { recursive: true });
  site = await startSite({ root: copy });
});

after(async () => {
  await site.close();
  await rm(copy, { recursive: true, force: true });
});

const exists = (path) => access(path).then(() => true, () => false);

/** A fresh browser profile (no cache, no worker) with service workers allowed. */
async function freshPage() {
  const context = await site.browser.newContext({ serviceWorkers: "allow" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  return { context, page, errors };
}

/** Waits until the page is controlled by an active worker; returns the cache names. */
async function waitForWorker(page) {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  return page.evaluate(() => caches.keys());
}

test("after one visit to the guide, every page opens offline, never visited ones included", async () => {
  const { context, page, errors } = await freshPage();
  await page.goto(`${site.url}guide.html`);
  const names = await waitForWorker(page);
  assert.equal(names.length, 1);
  assert.match(names[0], /^pyvet-[0-9a-f]{16}$/, "the cache is named for the build");
  await context.setOffline(true);

  await page.goto(site.url);
  await waitForAnalysis(page);
  assert.ok((await findingRules(page)).length >= 1, "the playground analyses offline");

  await page.goto(`${site.url}rules.html#PV301`);
  await page.waitForSelector('#rules-main[data-ready="true"]');

  await page.goto(`${site.url}embed-demo.html`);
  await page.locator("pyvet-snippet").first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector("pyvet-snippet").dataset.findings > 0);

  await page.goto(`${site.url}guide.html#sql-injection`);
  await page.waitForSelector('#guide[data-ready="true"]');
  await page.locator('#sql-injection figure[data-kind="bad"] pyvet-snippet').first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('#sql-injection figure[data-kind="bad"] pyvet-snippet').dataset.findings > 0);

  if (await exists(join(ROOT, "www/learn.html"))) {
    const response = await page.goto(`${site.url}learn.html`);
    assert.ok(response.ok(), "the lessons page is answered offline");
    await page.waitForLoadState("load");
    assert.ok((await page.title()).length > 0);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test("a second build is offered with a banner; reloading switches to it and deletes the old cache", async () => {
  const { context, page, errors } = await freshPage();
  await page.goto(site.url);
  const [oldCache] = await waitForWorker(page);
  assert.equal(await page.locator("#update-banner").count(), 0, "nothing to offer on the first visit");

  // The second build: a file changes, and the build writes a new worker.
  const stylesBefore = await readFile(join(copy, "styles.css"), "utf8");
  await appendFile(join(copy, "styles.css"), "\n/* second build */\n");
  const second = await writeServiceWorker(copy);
  assert.notEqual(`pyvet-${second.version}`, oldCache);

  // The reader comes back to the tab (or opens another page): the browser checks sw.js.
  await page.reload();
  const banner = page.getByRole("status").filter({ hasText: "A new version is ready" });
  await banner.waitFor();
  // Until accepted, the page keeps running the old build.
  assert.equal(await page.evaluate(() => fetch("styles.css").then((r) => r.text())), stylesBefore);
  await page.screenshot({ path: join(SCREENSHOTS, "update-banner.png") });
  const reload = page.getByRole("button", { name: "Reload" });
  await reload.focus();
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);

  await waitForAnalysis(page);
  assert.deepEqual(await page.evaluate(() => caches.keys()), [`pyvet-${second.version}`], "the old cache is gone");
  assert.match(await page.evaluate(() => fetch("styles.css").then((r) => r.text())), /second build/);
  assert.equal(await page.locator("#update-banner").count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the manifest's icons exist at the sizes they claim, maskable ones included", async () => {
  const manifest = JSON.parse(await readFile(join(copy, "manifest.webmanifest"), "utf8"));
  const pngs = manifest.icons.filter((icon) => icon.type === "image/png");
  for (const size of ["192x192", "512x512"]) {
    assert.ok(pngs.some((icon) => icon.sizes === size && icon.purpose === "any"), `an ${size} icon`);
    assert.ok(pngs.some((icon) => icon.sizes === size && icon.purpose === "maskable"), `a maskable ${size} icon`);
  }
  for (const icon of pngs) {
    const bytes = await readFile(join(copy, icon.src));
    // PNG: signature, then the IHDR chunk with width and height.
    assert.equal(bytes.subarray(1, 4).toString(), "PNG", `${icon.src} is a PNG`);
    assert.equal(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.sizes, `${icon.src} is ${icon.sizes}`);
  }
  // A maskable icon fills its square: no transparent corner for the mask to reveal.
  const { context, page } = await freshPage();
  await page.goto(site.url);
  const corner = await page.evaluate(async (src) => {
    const image = await createImageBitmap(await (await fetch(src)).blob());
    const canvas = new OffscreenCanvas(image.width, image.height);
    const draw = canvas.getContext("2d");
    draw.drawImage(image, 0, 0);
    return [...draw.getImageData(0, 0, 1, 1).data];
  }, pngs.find((icon) => icon.purpose === "maskable").src);
  assert.equal(corner[3], 255, "the maskable icon's corner is opaque");
  await context.close();
});
