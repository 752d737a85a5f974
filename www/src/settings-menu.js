// The Settings disclosure behaves like a menu: Escape or a click outside closes it (focus
// goes back to its button), and its button says when filters hide findings.

export function setUpSettingsMenu(details, { filtersActive }) {
  const summary = details.querySelector("summary");
  const flag = details.querySelector(".filters-on");
  details.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !details.open) return;
    event.preventDefault();
    details.open = false;
    summary.focus();
  });
  document.addEventListener("click", (event) => {
    if (details.open && !details.contains(event.target)) details.open = false;
  });
  const update = () => {
    const active = filtersActive();
    flag.hidden = !active;
    details.dataset.filters = active ? "on" : "off";
  };
  update();
  return { update };
}
