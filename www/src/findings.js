// The findings list: one button per finding; choosing one jumps to the code and explains it.

import { setRichText } from "./text.js";

export function renderFindings(list, findings, syntaxErrors, { onSelect, selected }) {
  const items = findings.map((finding, index) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.index = String(index);
    button.dataset.rule = finding.ruleId;
    if (index === selected) button.setAttribute("aria-current", "true");
    const badge = document.createElement("span");
    badge.className = `badge ${finding.severity}`;
    badge.textContent = finding.severity;
    const message = document.createElement("span");
    setRichText(message, finding.message);
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = `${finding.ruleId} ${finding.name} · line ${finding.line}, column ${finding.column}${finding.fix ? " · fix available" : ""}`;
    button.append(badge, message, where);
    button.addEventListener("click", () => onSelect(index));
    item.append(button);
    return item;
  });
  for (const error of syntaxErrors) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "syntax-error";
    const badge = document.createElement("span");
    badge.className = "badge syntax";
    badge.textContent = "syntax";
    const message = document.createElement("span");
    setRichText(message, error.message);
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = `line ${error.line}, column ${error.column} · the rest of the file is still analysed`;
    button.append(badge, message, where);
    button.addEventListener("click", () => onSelect(null, error));
    item.append(button);
    items.push(item);
  }
  if (items.length === 0) {
    const empty = document.createElement("li");
    empty.className = "empty";
    empty.textContent = "No findings. Nice.";
    items.push(empty);
  }
  list.replaceChildren(...items);
}

/** In place of the findings when the analyser failed: nothing is known about this code. */
export function renderFailure(list) {
  const item = document.createElement("li");
  item.className = "empty failed";
  item.textContent = "No results: the analyser failed on this code. Edit it to try again.";
  list.replaceChildren(item);
}
