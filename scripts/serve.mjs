// Serves the built site (www/dist) on 127.0.0.1 the way a static host would: the same strict
// headers, compressed responses (brotli or gzip, as the browser accepts) and revalidation
// with ETag / Last-Modified, so what the browser downloads here is what it would download
// from a real host. Static files only: nothing the page sends ever reaches a server-side
// program.
//
//   node scripts/serve.mjs [--port 8000] [--root www/dist]

import { createHash } from "node:crypto";
import { createServer } from "node:http";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webmanifest": "application/manifest+json",
  ".txt": "text/plain; charset=utf-8",
};

/** Types worth compressing (images like PNG are compressed already). */
const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".css", ".json", ".wasm", ".svg", ".webmanifest", ".txt"]);

const HEADERS = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  // The docs embed (embed.js and the module it fetches) is loaded by pages on other origins:
  // a module script and a fetch from another origin need CORS. Every file here is public.
  "Access-Control-Allow-Origin": "*",
};

/** A name with a content hash in it (`app.3f9a2c1b.js`) never changes: cache it for a year. */
const HASHED_NAME = /\.[0-9a-f]{8,}\.[a-z0-9]+$/i;

/**
 * `Cache-Control` for a file: content-hashed names are immutable; everything else may be
 * kept but must be revalidated (cheap: a 304 without a body when the ETag still matches).
 */
export function cacheControl(file) {
  return HASHED_NAME.test(basename(file)) ? "public, max-age=31536000, immutable" : "no-cache";
}

/**
 * The compressors, at the levels of a host that compresses ahead of time (`best`: brotli 11,
 * gzip 9; seconds for the 1.8 MB module) or of one that compresses each response as it goes
 * out (`fast`: brotli 5, gzip 6; a tenth of a second, about 13% larger for the module).
 */
const COMPRESSORS = {
  best: { brotli: 11, gzip: 9 },
  fast: { brotli: 5, gzip: 6 },
};

function compressorsFor(levels) {
  return {
    br: (body) =>
      promisify(brotliCompress)(body, {
        params: { [constants.BROTLI_PARAM_QUALITY]: levels.brotli, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
      }),
    gzip: (body) => promisify(gzip)(body, { level: levels.gzip }),
  };
}

/**
 * The encoding to send for an `Accept-Encoding` header: brotli when accepted, else gzip,
 * else none (`identity`). `q=0` refuses an encoding; `*` stands for any not named.
 */
export function chooseEncoding(header = "") {
  const accepted = new Map();
  for (const part of String(header).split(",")) {
    const [name, ...parameters] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    const q = parameters.map((p) => p.trim().match(/^q=([0-9.]+)$/)).find(Boolean);
    accepted.set(name, q ? Number(q[1]) : 1);
  }
  const quality = (name) => accepted.get(name) ?? (name === "gzip" ? accepted.get("x-gzip") : undefined) ?? accepted.get("*") ?? 0;
  const candidates = ["br", "gzip"].filter((name) => quality(name) > 0);
  candidates.sort((a, b) => quality(b) - quality(a));
  return candidates[0] ?? "identity";
}

/** Whether `If-None-Match` names this entity tag (weak comparison, as RFC 9110 asks). */
function etagMatches(header, etag) {
  if (!header) return false;
  const bare = (tag) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => bare(tag) === "*" || bare(tag) === bare(etag));
}

/**
 * What is known of one file at one version (size and mtime): its bytes, its tag and its
 * compressed forms, each made once and kept.
 */
class Entry {
  constructor(body, mtime, compressors) {
    this.body = body;
    this.mtime = mtime;
    this.compressors = compressors;
    this.hash = createHash("sha256").update(body).digest("base64url").slice(0, 22);
    this.encoded = new Map();
  }

  /** The entity tag of one representation: the encodings differ in bytes, so in tags. */
  etag(encoding) {
    return encoding === "identity" ? `"${this.hash}"` : `"${this.hash}-${encoding}"`;
  }

  /** The body in `encoding`, or `null` when compressing does not make it smaller. */
  async encode(encoding) {
    if (encoding === "identity") return this.body;
    if (!this.encoded.has(encoding)) {
      this.encoded.set(
        encoding,
        this.compressors[encoding](this.body).then((bytes) => (bytes.length < this.body.length ? bytes : null)),
      );
    }
    return this.encoded.get(encoding);
  }
}

/**
 * Starts the server; resolves with `{server, url, ready}` once it listens. With
 * `precompress`, every compressible file is compressed now, at the best levels, as a host
 * that compresses ahead of time would; `ready` resolves when that is done. Without it, each
 * file is compressed at fast levels on its first request, as a host that compresses on the
 * fly would (what the tests use: no start-up wait). Either way the result is kept.
 */
export function serve({ root, port = 0, host = "127.0.0.1", precompress = false } = {}) {
  const base = resolve(root);
  const entries = new Map();
  const compressors = compressorsFor(precompress ? COMPRESSORS.best : COMPRESSORS.fast);

  async function entryFor(file, info) {
    const key = `${info.size}:${info.mtimeMs}`;
    const known = entries.get(file);
    if (known?.key === key) return known.entry;
    const entry = new Entry(await readFile(file), info.mtime, compressors);
    entries.set(file, { key, entry });
    return entry;
  }

  const server = createServer(async (request, response) => {
    try {
      if (request.method !== "GET" && request.method !== "HEAD") {
        response.writeHead(405, { ...HEADERS, Allow: "GET, HEAD" }).end();
        return;
      }
      const path = decodeURIComponent(new URL(request.url, "http://localhost").pathname);
      let file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        response.writeHead(403, HEADERS).end("Forbidden");
        return;
      }
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, "index.html");
        info = await stat(file);
      }
      const entry = await entryFor(file, info);
      const compressible = COMPRESSIBLE.has(extname(file));
      let encoding = compressible ? chooseEncoding(request.headers["accept-encoding"]) : "identity";
      let body = await entry.encode(encoding);
      if (body === null) {
        encoding = "identity";
        body = entry.body;
      }
      const headers = {
        ...HEADERS,
        "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
        "Cache-Control": cacheControl(file),
        ETag: entry.etag(encoding),
        "Last-Modified": entry.mtime.toUTCString(),
      };
      if (compressible) headers.Vary = "Accept-Encoding";
      const ifNoneMatch = request.headers["if-none-match"];
      const ifModifiedSince = Date.parse(request.headers["if-modified-since"] ?? "");
      const fresh = ifNoneMatch
        ? etagMatches(ifNoneMatch, headers.ETag)
        : Math.floor(entry.mtime.getTime() / 1000) <= Math.floor(ifModifiedSince / 1000);
      if (fresh) {
        delete headers["Content-Type"];
        response.writeHead(304, headers).end();
        return;
      }
      if (encoding !== "identity") headers["Content-Encoding"] = encoding;
      headers["Content-Length"] = body.length;
      response.writeHead(200, headers);
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404, { ...HEADERS, "Content-Type": "text/plain; charset=utf-8" }).end("Not found");
    }
  });
  async function compressAll() {
    const names = await readdir(base, { recursive: true });
    let count = 0;
    for (const name of names) {
      const file = join(base, name);
      const info = await stat(file);
      if (!info.isFile() || !COMPRESSIBLE.has(extname(file))) continue;
      const entry = await entryFor(file, info);
      await Promise.all([entry.encode("br"), entry.encode("gzip")]);
      count++;
    }
    return count;
  }

  return new Promise((done) => {
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const ready = precompress ? compressAll() : Promise.resolve(0);
      done({ server, url: `http://${host}:${actual}/`, ready });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argument = (name, fallback) => {
    const at = process.argv.indexOf(name);
    return at > 0 ? process.argv[at + 1] : fallback;
  };
  const root = argument("--root", "www/dist");
  const port = Number(argument("--port", process.env.PORT ?? 8000));
  const { url, ready } = await serve({ root, port, precompress: true });
  console.log(`pyvet playground: ${url}  (Ctrl-C to stop)`);
  const began = Date.now();
  const count = await ready;
  console.log(`compressed ${count} files (brotli and gzip) in ${((Date.now() - began) / 1000).toFixed(1)} s`);
}
