// The local server (scripts/serve.mjs) answers like a static host: compressed bodies that
// decompress to the file's bytes, Vary, ETag / Last-Modified with 304s, cache lifetimes by
// file name, and nothing outside its root.
//
//   node --test tests/serve.test.mjs

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtemp, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { cacheControl, chooseEncoding, serve } from "../scripts/serve.mjs";

let root;
let site;
const SCRIPT = `export const words = ${JSON.stringify("lorem ipsum dolor sit amet ".repeat(400))};\n`;
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

before(async () => {
  root = await mkdtemp(join(tmpdir(), "pyvet-serve-"));
  await writeFile(join(root, "index.html"), `<!doctype html><title>t</title>${"<p>hello</p>".repeat(200)}`);
  await writeFile(join(root, "app.js"), SCRIPT);
  await writeFile(join(root, "app.0123abcd.js"), SCRIPT);
  await writeFile(join(root, "pixel.png"), PNG);
  await mkdir(join(root, "sub"));
  await writeFile(join(root, "sub", "index.html"), "<p>sub</p>");
  site = await serve({ root });
});
after(async () => {
  await new Promise((done) => site.server.close(done));
  await rm(root, { recursive: true, force: true });
});

/** A raw GET (no automatic decompression): `{status, headers, body}`. */
function get(path, headers = {}, method = "GET") {
  return new Promise((done, fail) => {
    const outgoing = request(new URL(path, site.url), { method, headers }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => done({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    outgoing.on("error", fail);
    outgoing.end();
  });
}

test("brotli when the browser accepts it, the same bytes once decompressed", async () => {
  const response = await get("app.js", { "Accept-Encoding": "gzip, deflate, br, zstd" });
  assert.equal(response.status, 200);
  assert.equal(response.headers["content-encoding"], "br");
  assert.equal(response.headers.vary, "Accept-Encoding");
  assert.equal(Number(response.headers["content-length"]), response.body.length);
  assert.ok(response.body.length < SCRIPT.length / 10, `compressed: ${response.body.length} of ${SCRIPT.length} bytes`);
  assert.equal(brotliDecompressSync(response.body).toString(), SCRIPT);
  assert.match(response.headers["content-security-policy"], /style-src 'self'/);
});

test("gzip when brotli is not accepted, and plain bytes when nothing is", async () => {
  const gzipped = await get("app.js", { "Accept-Encoding": "gzip" });
  assert.equal(gzipped.headers["content-encoding"], "gzip");
  assert.equal(gunzipSync(gzipped.body).toString(), SCRIPT);
  const refused = await get("app.js", { "Accept-Encoding": "br;q=0, gzip" });
  assert.equal(refused.headers["content-encoding"], "gzip");
  const plain = await get("app.js");
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.equal(plain.headers.vary, "Accept-Encoding", "caches must keep the variants apart");
  assert.equal(plain.body.toString(), SCRIPT);
  // Each representation has its own tag.
  assert.notEqual(gzipped.headers.etag, plain.headers.etag);
});

test("the encoding follows the browser's preferences", () => {
  assert.equal(chooseEncoding("gzip, deflate, br"), "br");
  assert.equal(chooseEncoding("gzip;q=1, br;q=0.5"), "gzip");
  assert.equal(chooseEncoding("br;q=0, gzip;q=0"), "identity");
  assert.equal(chooseEncoding("*"), "br");
  assert.equal(chooseEncoding("identity"), "identity");
  assert.equal(chooseEncoding(""), "identity");
});

test("images are not compressed again", async () => {
  const response = await get("pixel.png", { "Accept-Encoding": "br, gzip" });
  assert.equal(response.headers["content-encoding"], undefined);
  assert.equal(response.headers.vary, undefined);
  assert.deepEqual(response.body, PNG);
});

test("revalidation: a matching ETag or an unchanged date gets a 304 without a body", async () => {
  const first = await get("index.html", { "Accept-Encoding": "br" });
  assert.equal(first.headers["cache-control"], "no-cache");
  assert.match(first.headers.etag, /^"[\w-]+"$/);
  assert.ok(first.headers["last-modified"]);
  const again = await get("index.html", { "Accept-Encoding": "br", "If-None-Match": `W/"other", ${first.headers.etag}` });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  const byDate = await get("index.html", { "Accept-Encoding": "br", "If-Modified-Since": first.headers["last-modified"] });
  assert.equal(byDate.status, 304);
  const stale = await get("index.html", { "Accept-Encoding": "br", "If-None-Match": '"not-this-one"' });
  assert.equal(stale.status, 200);
  assert.ok(stale.body.length > 0);
  // A changed file gets a new tag.
  await writeFile(join(root, "index.html"), "<!doctype html><title>changed</title>");
  const changed = await get("index.html", { "Accept-Encoding": "br", "If-None-Match": first.headers.etag });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.etag, first.headers.etag);
});

test("only files with a content hash in their name are cached for long", async () => {
  assert.equal((await get("app.0123abcd.js")).headers["cache-control"], "public, max-age=31536000, immutable");
  assert.equal((await get("app.js")).headers["cache-control"], "no-cache");
  assert.equal(cacheControl("pyvet_bg.wasm"), "no-cache");
});

test("precompress: every compressible file is ready before its first request", async () => {
  const own = await serve({ root, precompress: true });
  try {
    assert.equal(await own.ready, 4, "index.html, app.js, app.0123abcd.js and sub/index.html");
    const response = await new Promise((done, fail) => {
      request(new URL("app.js", own.url), { headers: { "Accept-Encoding": "br" } }, done).on("error", fail).end();
    });
    assert.equal(response.headers["content-encoding"], "br");
    response.resume();
  } finally {
    await new Promise((done) => own.server.close(done));
  }
});

test("folders serve their index; HEAD sends headers only; nothing outside the root", async () => {
  const folder = await get("sub/");
  assert.equal(folder.body.toString(), "<p>sub</p>");
  const head = await get("app.js", { "Accept-Encoding": "gzip" }, "HEAD");
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(Number(head.headers["content-length"]) > 0);
  assert.equal((await get("/..%2f..%2f..%2fetc/passwd")).status, 403);
  assert.equal((await get("missing.js")).status, 404);
  assert.equal((await get("app.js", {}, "POST")).status, 405);
});
