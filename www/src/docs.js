// The rule docs and the guideline, rendered to HTML when the site was built (docs.json).

let docs = null;

export async function loadDocs() {
  docs ??= fetch(new URL("./docs.json", import.meta.url)).then((response) => {
    if (!response.ok) throw new Error(`docs.json: HTTP ${response.status}`);
    return response.json();
  });
  return docs;
}
