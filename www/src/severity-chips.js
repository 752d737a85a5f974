// Severity chips above the findings: how many findings of each severity the code has, each
// a toggle that shows or hides that severity in the list and the editor. They filter what
// is shown; the analysis itself follows the settings.

const SEVERITIES = ["critical", "high", "medium", "low"];

/**
 * Fills `container` with one toggle per severity. `hidden` is the list of hidden
 * severities (changed in place); `onChange()` runs after each toggle.
 */
export function createSeverityChips(container, { hidden, onChange }) {
  const chips = SEVERITIES.map((severity) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "chip";
    button.dataset.severity = severity;
    const badge = document.createElement("span");
    badge.className = `badge ${severity}`;
    badge.textContent = severity;
    const count = document.createElement("span");
    count.className = "count";
    button.append(badge, count);
    button.addEventListener("click", () => {
      const at = hidden.indexOf(severity);
      if (at >= 0) hidden.splice(at, 1);
      else hidden.push(severity);
      render();
      onChange();
    });
    return button;
  });
  container.replaceChildren(...chips);
  let counts = {};

  function render() {
    for (const chip of chips) {
      const severity = chip.dataset.severity;
      const shown = !hidden.includes(severity);
      const count = counts[severity] ?? 0;
      chip.setAttribute("aria-pressed", String(shown));
      chip.querySelector(".count").textContent = String(count);
      chip.title = `${shown ? "Hide" : "Show"} ${severity} findings`;
      chip.setAttribute("aria-label", `${severity}: ${count} finding${count === 1 ? "" : "s"}${shown ? "" : ", hidden"}`);
    }
  }

  return {
    /** Shows the counts for `findings` (all of them, hidden severities included). */
    update(findings) {
      counts = {};
      for (const finding of findings) counts[finding.severity] = (counts[finding.severity] ?? 0) + 1;
      render();
    },
    /** The findings of the severities that are shown. */
    visible(findings) {
      return hidden.length ? findings.filter((finding) => !hidden.includes(finding.severity)) : findings;
    },
  };
}
