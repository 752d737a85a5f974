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

function apply() {
  const theme = chosen() ?? (system.matches ? "dark" : "light");
  document.documentElement.dataset.theme = theme;
  const toggle = document.getElementById("theme-toggle");
  if (toggle) toggle.setAttribute("aria-pressed", String(theme === "dark"));
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
      // Not remembered, but still applied for this visit.
    }
    document.documentElement.dataset.theme = next;
    apply();
    if (chosen() === null) {
      document.documentElement.dataset.theme = next;
      toggle.setAttribute("aria-pressed", String(next === "dark"));
    }
  });
  apply();
});
