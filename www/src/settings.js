// Settings the user chose, remembered in localStorage (on this device only). What is stored
// may come from another version of the page: anything unknown or of the wrong type is
// ignored, so old settings never stop the analyser.

const KEY = "pyvet.settings";
export const SEVERITIES = ["low", "medium", "high", "critical"];
const DEFAULTS = { minSeverity: "low", disabledGroups: [], disabledRules: [], hiddenSeverities: [] };

/**
 * The stored settings, keeping only what is valid: a known severity, and the groups, rules
 * and severities (`known.groups`, `known.rules`: names and ids of this version) that exist.
 */
export function loadSettings(known = {}) {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? "{}");
  } catch {
    return structuredClone(DEFAULTS);
  }
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) stored = {};
  /** The distinct items of a stored list that are among `valid`. */
  const kept = (list, valid) => (Array.isArray(list) ? [...new Set(list.filter((item) => valid.includes(item)))] : []);
  return {
    minSeverity: SEVERITIES.includes(stored.minSeverity) ? stored.minSeverity : DEFAULTS.minSeverity,
    disabledGroups: kept(stored.disabledGroups, known.groups ?? []),
    disabledRules: kept(stored.disabledRules, known.rules ?? []),
    hiddenSeverities: kept(stored.hiddenSeverities, SEVERITIES),
  };
}

export function saveSettings(settings) {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage can be full or disabled; the settings then last for this visit only.
  }
}

/**
 * Whether Settings hide anything (a severity floor, a group or a rule turned off). The
 * severity chips show for themselves what they hide.
 */
export function filtersActive(settings) {
  const turnedOff = settings.disabledGroups.length + settings.disabledRules.length;
  return settings.minSeverity !== DEFAULTS.minSeverity || turnedOff > 0;
}

/** The analyser options for these settings. */
export function analyzeOptions(settings) {
  return { minSeverity: settings.minSeverity, ignore: [...settings.disabledGroups, ...settings.disabledRules] };
}
