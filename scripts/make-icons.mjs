// Renders the app icons (www/icons/*.png) from www/icon.svg with the headless Chromium the
// browser tests use. The PNGs are committed; run this again only when icon.svg changes:
//
//   node scripts/make-icons.mjs
//
// "any" icons are the SVG as drawn; "maskable" ones put it inside the safe zone (the middle
// 80%, which every launcher mask keeps) on a full-bleed background of the icon's colour.

import { chromium } from "playwright-core";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const www = join(dirname(fileURLToPath(import.meta.url)), "../www");
const BACKGROUND = "#1d3b53";

export const ICONS = [
  { file: "icon-192.png", size: 192, maskable: false },
  { file: "icon-512.png", size: 512, maskable: false },
  { file: "maskable-192.png", size: 192, maskable: true },
  { file: "maskable-512.png", size: 512, maskable: true },
  { file: "apple-touch-icon.png", size: 180, maskable: true },
];

const svg = await readFile(join(www, "icon.svg"), "utf8");
await mkdir(join(www, "icons"), { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
for (const { file, size, maskable } of ICONS) {
  const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
  const inner = maskable ? Math.round(size * 0.7) : size;
  const ground = maskable ? BACKGROUND : "transparent";
  await page.setContent(
    `<body style="margin:0;width:${size}px;height:${size}px;display:grid;place-items:center;background:${ground}">` +
      `<img src="data:image/svg+xml,${encodeURIComponent(svg)}" width="${inner}" height="${inner}"></body>`,
  );
  await page.locator("img").evaluate((img) => img.decode());
  await page.screenshot({ path: join(www, "icons", file), omitBackground: !maskable });
  await page.close();
}
await browser.close();
console.log(`wrote ${ICONS.length} icons to ${join(www, "icons")}`);
