// The settings a share link carries beside the code, so whoever opens it sees the same
// findings: `#code=...&min-severity=high&ignore=crypto,PV201&hide=low`. Like the code, they
// stay in the fragment, which is never sent to a server. A link without them (made before
// they existed) leaves the reader's own settings alone; ids this version does not know are
// dropped, never fatal.

const SEVERITIES = ["low", "medium", "high", "critical"];

/** The fragment parameters (after the code) for `settings`; always names the minimum severity. */
export function settingsFragment(settings) {
  const parts = [`min-severity=${settings.minSeverity}`];
  const ignored = [...settings.disabledGroups, ...settings.disabledRules];
  if (ignored.length) parts.push(`ignore=${ignored.map(encodeURIComponent).join(",")}`);
  if (settings.hiddenSeverities.length) parts.push(`hide=${settings.hiddenSeverities.join(",")}`);
  return parts.join("&");
}

/**
 * The settings in a fragment, or `null` when it carries none. `rules` are the rule
 * metadata (`id`, `group`) of this version: what names neither a rule nor a group is left out.
 */
export function settingsFromFragment(fragment, rules) {
  const parameters = new URLSearchParams(fragment.replace(/^#/, ""));
  if (!["min-severity", "ignore", "hide"].some((key) => parameters.has(key))) return null;
  const ruleIds = new Set(rules.map((rule) => rule.id));
  const groups = new Set(rules.map((rule) => rule.group));
  const list = (key) => (parameters.get(key) ?? "").split(",").map((item) => item.trim()).filter(Boolean);
  const ignored = list("ignore");
  const minSeverity = parameters.get("min-severity");
  return {
    minSeverity: SEVERITIES.includes(minSeverity) ? minSeverity : "low",
    disabledGroups: [...new Set(ignored.filter((item) => groups.has(item)))],
    disabledRules: [...new Set(ignored.map((item) => item.toUpperCase()).filter((id) => ruleIds.has(id)))],
    hiddenSeverities: [...new Set(list("hide").filter((severity) => SEVERITIES.includes(severity)))],
  };
}

/** In words, for the note that says a link's settings are in use. */
export function describeSettings(settings) {
  const parts = [`minimum severity ${settings.minSeverity}`];
  if (settings.disabledGroups.length) parts.push(`groups off: ${settings.disabledGroups.join(", ")}`);
  if (settings.disabledRules.length) parts.push(`rules off: ${settings.disabledRules.join(", ")}`);
  if (settings.hiddenSeverities.length) parts.push(`hidden: ${settings.hiddenSeverities.join(", ")}`);
  return parts.join("; ");
}
