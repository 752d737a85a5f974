// Per-rule switches in Settings, beside the group switches: one checkbox a rule, with a
// search over ids and names. A rule of a group that is off is shown off and cannot be
// switched on alone.

/**
 * Fills `list` with a checkbox per rule and wires `search` to filter them.
 * `settings.disabledRules` is changed in place; `changed()` runs after each switch.
 */
export function createRuleSwitches({ list, search, rules, settings, changed }) {
  // The settings name only rules of this version (loadSettings and settingsFromFragment
  // leave out the others).
  const rows = rules.map((rule) => {
    const label = document.createElement("label");
    label.dataset.rule = rule.id;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = rule.id;
    box.addEventListener("change", () => {
      settings.disabledRules = box.checked
        ? settings.disabledRules.filter((id) => id !== rule.id)
        : [...settings.disabledRules, rule.id];
      changed();
    });
    const name = document.createElement("span");
    name.textContent = `${rule.id} ${rule.name}`;
    label.append(box, name);
    return { label, box, rule, words: `${rule.id} ${rule.name} ${rule.group}`.toLowerCase() };
  });
  list.replaceChildren(...rows.map((row) => row.label));

  search.addEventListener("input", () => {
    const terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const row of rows) row.label.hidden = !terms.every((term) => row.words.includes(term));
  });

  function refresh() {
    for (const { box, rule, label } of rows) {
      const groupOff = settings.disabledGroups.includes(rule.group);
      box.checked = !groupOff && !settings.disabledRules.includes(rule.id);
      box.disabled = groupOff;
      label.title = groupOff ? `The ${rule.group} group is off` : "";
    }
  }
  refresh();
  return { refresh };
}
