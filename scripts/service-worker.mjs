// Writes the service worker (www/src/sw.js) into a built site: the list of every file the
// build wrote there, and a hash of them all that names this build's cache. Run last by
// scripts/build-site.mjs, after every other file is in place; the browser tests also run it
// on a copy of the site to make a "second build".

import { build } from "esbuild";
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BUNDLE } from "./bundle-options.mjs";

const source = join(dirname(fileURLToPath(import.meta.url)), "../www/src/sw.js");
const SELF = "sw.js";

/** Every file under `dist` except the worker itself, as sorted URL paths relative to it. */
export async function builtFiles(dist) {
  const entries = await readdir(dist, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name).slice(dist.length + 1).split(sep).join("/"))
    .filter((file) => file !== SELF && !file.endsWith(".map"))
    .sort();
}

/** A short hash of the files' names and bytes: any change to any file changes it. */
export async function buildHash(dist, files) {
  const hash = createHash("sha256");
  for (const file of files) hash.update(file).update("\0").update(await readFile(join(dist, file))).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Bundles sw.js into `dist` with the file list and the build hash; returns both. */
export async function writeServiceWorker(dist) {
  const files = await builtFiles(dist);
  const version = await buildHash(dist, files);
  await build({
    entryPoints: { sw: source },
    ...BUNDLE,
    outdir: dist,
    define: { __PYVET_BUILD__: JSON.stringify(version), __PYVET_PRECACHE__: JSON.stringify(files) },
  });
  return { files, version };
}
