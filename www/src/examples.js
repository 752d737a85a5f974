// The example menu: every vulnerable example of the guide, grouped by guide section.

export function setUpExamples(select, docs, load) {
  const placeholder = new Option("Choose a vulnerable example…", "");
  const groups = docs.sections
    .filter((section) => section.examples.length > 0)
    .map((section) => {
      const group = document.createElement("optgroup");
      group.label = section.title;
      section.examples.forEach((_, index) => {
        const label = section.examples.length > 1 ? `${section.title} (${index + 1} of ${section.examples.length})` : section.title;
        group.append(new Option(label, `${section.id}/${index}`));
      });
      return group;
    });
  select.replaceChildren(placeholder, ...groups);
  select.addEventListener("change", () => {
    const [id, index] = select.value.split("/");
    const code = docs.sections.find((section) => section.id === id)?.examples[Number(index)];
    if (code !== undefined) load(code);
  });
}
