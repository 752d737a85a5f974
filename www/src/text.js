// Text from findings (which quote the user's code) goes into the page as text nodes only,
// with the characters that could disguise it made visible:
// - bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) could reorder the
//   page's own text around them (the "Trojan Source" trick); each is shown as `⟨U+202E⟩`;
// - other invisible or control characters (NUL, escape, zero-width ones) would show as a
//   blank box or nothing; they are shown as `⟨U+0000⟩` too.
// Every piece of user text is also isolated (`<bdi>`), so right-to-left letters in it stay
// inside it.

const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/gu;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** `U+202E` for a character. */
export function codePointName(char) {
  return `U+${char.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** The text with every hidden character spelled out, for attributes and plain strings. */
export function visibleString(text) {
  return String(text).replace(HIDDEN, (char) => `⟨${codePointName(char)}⟩`);
}

/** Nodes showing `text` with hidden characters spelled out (marked `<span class="hidden-char">`). */
export function visibleNodes(text) {
  const nodes = [];
  let last = 0;
  const source = String(text);
  for (const match of source.matchAll(HIDDEN)) {
    if (match.index > last) nodes.push(document.createTextNode(source.slice(last, match.index)));
    const mark = document.createElement("span");
    mark.className = BIDI.test(match[0]) ? "hidden-char bidi" : "hidden-char";
    mark.textContent = `⟨${codePointName(match[0])}⟩`;
    mark.title = BIDI.test(match[0]) ? "a bidirectional control character in the code" : "an invisible character in the code";
    nodes.push(mark);
    last = match.index + match[0].length;
  }
  if (last < source.length) nodes.push(document.createTextNode(source.slice(last)));
  return nodes;
}

/** An isolated piece of user text: `<bdi>` with hidden characters spelled out. */
export function isolated(text, tag = "bdi") {
  const element = document.createElement(tag);
  if (tag !== "bdi") element.dir = "auto";
  element.append(...visibleNodes(text));
  return element;
}

/** Nodes for `text`, showing `backticked` parts as isolated code — never parsing HTML. */
export function richNodes(text) {
  const parts = String(text).split("`");
  return parts.flatMap((part, index) => {
    if (index % 2 === 0) return visibleNodes(part);
    // An unmatched backtick at the end stays a backtick.
    if (index === parts.length - 1) return visibleNodes(`\`${part}`);
    const code = isolated(part, "code");
    return [code];
  });
}

/** Fills `element` with `text` (see `richNodes`). */
export function setRichText(element, text) {
  element.replaceChildren(...richNodes(text));
}
