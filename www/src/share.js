// Share links keep the code in the URL fragment (`#code=...`), compressed. A fragment is
// never sent to any server, so sharing a snippet does not upload it. Other parameters may
// follow the code after `&` (the settings: share-settings.js).

const PREFIX = "code=";

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

/** The fragment (without `#`) that carries `code`. */
export async function encodeCode(code) {
  const compressed = await pipe(new TextEncoder().encode(code), new CompressionStream("deflate-raw"));
  return PREFIX + toBase64Url(compressed);
}

/** The code a fragment carries, or `null` when it carries none or is damaged. */
export async function decodeCode(fragment) {
  const text = fragment.replace(/^#/, "");
  if (!text.startsWith(PREFIX)) return null;
  try {
    const bytes = await pipe(fromBase64Url(text.slice(PREFIX.length).split("&")[0]), new DecompressionStream("deflate-raw"));
    return new TextDecoder().decode(bytes);
  } catch {
    return null;
  }
}

/** A full link to the playground holding `code`, and `parameters` after it when given. */
export async function shareLink(code, base = location.href, parameters = "") {
  const url = new URL(base);
  url.hash = (await encodeCode(code)) + (parameters ? `&${parameters}` : "");
  return url.href;
}
