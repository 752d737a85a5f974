// The `pyvet check` command that reports in CI what the page shows with its settings: the
// same groups and rules left out and the same minimum severity.

/** The command line for `settings` (the rule selection and minimum severity). */
export function ciCommand(settings, { format } = {}) {
  const parts = ["pyvet check"];
  const ignored = [...settings.disabledGroups, ...settings.disabledRules];
  if (ignored.length) parts.push(`--ignore ${ignored.join(",")}`);
  if (settings.minSeverity !== "low") parts.push(`--min-severity ${settings.minSeverity}`);
  if (format) parts.push(`--format ${format}`);
  parts.push(".");
  return parts.join(" ");
}

/** Fills the "Run the same check in CI" box: the command, and what it does not carry over. */
export function renderCiCommand({ command, note }, settings) {
  command.textContent = ciCommand(settings);
  note.textContent = settings.hiddenSeverities.length
    ? `The severity chips only change what this page lists (hidden here: ${settings.hiddenSeverities.join(", ")}); the command reports every severity from ${settings.minSeverity} up. Add --format sarif for code scanning.`
    : "It exits with status 1 when it finds something, so the CI job fails. Add --format sarif for code scanning.";
}
