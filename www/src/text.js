// Text from findings (which quote the user's code) goes into the page as text nodes only.

/** Fills `element` with `text`, showing `backticked` parts as code — never parsing HTML. */
export function setRichText(element, text) {
  const parts = String(text).split("`");
  element.replaceChildren(
    ...parts.map((part, index) => {
      if (index % 2 === 0 || index === parts.length - 1) return document.createTextNode(index % 2 === 0 ? part : `\`${part}`);
      const code = document.createElement("code");
      code.textContent = part;
      return code;
    }),
  );
}
