// The colour theme: the system's (prefers-color-scheme) until the user picks one with the
// toggle, which is remembered. A classic script in <head>, run before the page is drawn, so
// a remembered dark theme never flashes light.

const KEY = "pyvet.theme";
const system = matchMedia("(prefers-color-scheme: dark)");

function chosen() {
  try {
    const value = localStorage.getItem(KEY);
    return value === "dark" || value === "light" ? value : null;
  } catch {
    return null;
  }
}

/** Shows `theme` on the page and on the toggle. */
function show(theme) {
  document.documentElement.dataset.theme = theme;
  document.getElementById("theme-toggle")?.setAttribute("aria-pressed", String(theme === "dark"));
}

/** The user's choice, else the system's. */
function apply() {
  show(chosen() ?? (system.matches ? "dark" : "light"));
}

apply();
system.addEventListener("change", apply);
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("theme-toggle");
  if (!toggle) return;
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const next = document.documentElement.dataset.theme === "dark" ? "light" : "dark";
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Not remembered, but still shown for this visit.
    }
    show(next);
  });
  apply();
});
