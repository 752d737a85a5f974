// Settings the user chose, remembered in localStorage (on this device only).

const KEY = "pyvet.settings";
const DEFAULTS = { minSeverity: "low", disabledGroups: [], disabledRules: [], hiddenSeverities: [] };

export function loadSettings() {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? "{}");
    return {
      minSeverity: typeof stored.minSeverity === "string" ? stored.minSeverity : DEFAULTS.minSeverity,
      disabledGroups: Array.isArray(stored.disabledGroups) ? stored.disabledGroups.filter((g) => typeof g === "string") : [],
      disabledRules: Array.isArray(stored.disabledRules) ? stored.disabledRules.filter((id) => typeof id === "string") : [],
      hiddenSeverities: Array.isArray(stored.hiddenSeverities) ? stored.hiddenSeverities.filter((s) => typeof s === "string") : [],
    };
  } catch {
    return structuredClone(DEFAULTS);
  }
}

export function saveSettings(settings) {
  try {
    localStorage.setItem(KEY, JSON.stringify(settings));
  } catch {
    // Storage can be full or disabled; the settings then last for this visit only.
  }
}

/** The analyser options for these settings. */
export function analyzeOptions(settings) {
  return { minSeverity: settings.minSeverity, ignore: [...settings.disabledGroups, ...settings.disabledRules] };
}
