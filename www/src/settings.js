// Settings the user chose, remembered in localStorage (on this device only). What is stored
// may come from another version of the page: anything unknown or of the wrong type is
// ignored, so old settings never stop the analyser.

const KEY = "pyvet.settings";
export const SEVERITIES = ["low", "medium", "high", "critical"];
const DEFAULTS = { minSeverity: "low", disabledGroups: [] };

/** The stored settings, keeping only what is valid: a known severity, known group names. */
export function loadSettings(knownGroups = []) {
  let stored;
  try {
    stored = JSON.parse(localStorage.getItem(KEY) ?? "{}");
  } catch {
    return { ...DEFAULTS, disabledGroups: [] };
  }
  if (stored === null || typeof stored !== "object" || Array.isArray(stored)) stored = {};
  const known = new Set(knownGroups);
  return {
    minSeverity: SEVERITIES.includes(stored.minSeverity) ? stored.minSeverity : DEFAULTS.minSeverity,
    disabledGroups: Array.isArray(stored.disabledGroups)
      ? [...new Set(stored.disabledGroups.filter((group) => typeof group === "string" && known.has(group)))]
      : [],
  };
}

export function saveSettings(settings) {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage can be full or disabled; the settings then last for this visit only.
  }
}

/** Whether these settings hide anything (a severity floor or a group turned off). */
export function filtersActive(settings) {
  return settings.minSeverity !== DEFAULTS.minSeverity || settings.disabledGroups.length > 0;
}

/** The analyser options for these settings. */
export function analyzeOptions(settings) {
  return { minSeverity: settings.minSeverity, ignore: settings.disabledGroups };
}
