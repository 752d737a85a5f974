// Share links keep the code in the URL fragment (`#code=...`), compressed. A fragment is
// never sent to any server, so sharing a snippet does not upload it. Other parameters may
// follow the code after `&` (the settings: share-settings.js).
//
// A link can be damaged or hostile: anything that does not decode is reported, never
// silently replaced, and the decompressed code is capped (MAX_CODE_BYTES), so a short link
// cannot expand into hundreds of megabytes.

const PREFIX = "code=";
/** The most code a link may carry, decompressed. */
export const MAX_CODE_BYTES = 1024 * 1024;
/** Compressed, code takes at most a little more than its own size: a fragment longer than
 * the base64 of MAX_CODE_BYTES cannot hold code within the cap, and is not read at all. */
const MAX_FRAGMENT = Math.ceil((MAX_CODE_BYTES * 4) / 3) + 64;

function toBase64Url(bytes) {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "===".slice((base64.length + 3) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

async function pipe(bytes, stream) {
  const output = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(output).arrayBuffer());
}

/** Decompresses `bytes`, giving up (throwing) past `limit` bytes of output. */
async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw")).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new LinkError("the code in it is larger than 1 MB");
    }
    chunks.push(value);
  }
  const output = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    output.set(chunk, at);
    at += chunk.length;
  }
  return output;
}

class LinkError extends Error {}

/** The fragment (without `#`) that carries `code`. */
export async function encodeCode(code) {
  const compressed = await pipe(new TextEncoder().encode(code), new CompressionStream("deflate-raw"));
  return PREFIX + toBase64Url(compressed);
}

/**
 * What a fragment carries: `null` when it is not a share link at all, `{code}` when it
 * decodes, `{error}` (a reason, in words) when it is one but cannot be read.
 */
export async function readShareLink(fragment) {
  const text = fragment.replace(/^#/, "");
  if (!text.startsWith(PREFIX)) return null;
  const payload = text.slice(PREFIX.length).split("&")[0];
  if (payload.length > MAX_FRAGMENT) return { error: "it is too long to hold at most 1 MB of code" };
  let bytes;
  try {
    bytes = fromBase64Url(payload);
  } catch {
    return { error: "it is not encoded the way pyvet writes links (it may have been cut or changed)" };
  }
  try {
    return { code: new TextDecoder("utf-8", { fatal: true }).decode(await inflate(bytes, MAX_CODE_BYTES)) };
  } catch (error) {
    if (error instanceof LinkError) return { error: error.message };
    return { error: "its data is damaged (it may have been cut or changed)" };
  }
}

/** The code a fragment carries, or `null` when it carries none or is damaged. */
export async function decodeCode(fragment) {
  return (await readShareLink(fragment))?.code ?? null;
}

/** A full link to the playground holding `code`, and `parameters` after it when given. */
export async function shareLink(code, base = location.href, parameters = "") {
  const url = new URL(base);
  url.hash = (await encodeCode(code)) + (parameters ? `&${parameters}` : "");
  return url.href;
}
