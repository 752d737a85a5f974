// The toolbar's disclosures (Export, Settings) behave like menus: Escape or a click outside
// closes one (focus goes back to its button). Settings' button also says when filters hide
// findings.

/** Makes the `<details>` element close on Escape and on a click outside it. */
export function setUpMenu(details) {
  const summary = details.querySelector("summary");
  details.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !details.open) return;
    event.preventDefault();
    details.open = false;
    summary.focus();
  });
  // Only the user's own clicks: a script's click() elsewhere (the link that starts a
  // download from the Export menu) leaves the menu open.
  document.addEventListener("click", (event) => {
    if (event.isTrusted && details.open && !details.contains(event.target)) details.open = false;
  });
}

export function setUpSettingsMenu(details, { filtersActive }) {
  setUpMenu(details);
  const flag = details.querySelector(".filters-on");
  const update = () => {
    const active = filtersActive();
    flag.hidden = !active;
    details.dataset.filters = active ? "on" : "off";
  };
  update();
  return { update };
}
