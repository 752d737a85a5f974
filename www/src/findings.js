// The findings list: one button per finding; choosing one jumps to the code and explains it.

import { setRichText } from "./text.js";

/** The list shows this many findings at most: a long list would cost the page more to lay
 * out on every analysis than the analysis itself. F8 in the editor reaches every one. */
export const MAX_LISTED = 200;

/** Renders the list; `reveal` scrolls the selected finding into the list's view (only when
 * the user selected it: measuring the page on every analysis would cost a layout). */
export function renderFindings(list, findings, syntaxErrors, { onSelect, selected, reveal = false }) {
  const listed = findings.slice(0, MAX_LISTED);
  if (selected !== null && selected >= MAX_LISTED) listed.push(findings[selected]);
  const items = listed.map((finding, position) => {
    const index = position < MAX_LISTED ? position : selected;
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
  if (findings.length > listed.length) {
    const more = document.createElement("li");
    more.className = "empty more";
    more.textContent = `The first ${MAX_LISTED} of ${findings.length} findings are listed; F8 in the editor goes to the next one, wherever it is.`;
    items.push(more);
  }
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
  // Keep the selected finding visible inside the list's own scroll box (not the page's).
  const current = reveal ? list.querySelector('[aria-current="true"]') : null;
  if (current) {
    const box = list.getBoundingClientRect();
    const place = current.getBoundingClientRect();
    if (place.top < box.top || place.bottom > box.bottom) list.scrollTop += place.top - box.top - 8;
  }
}

/** In place of the findings when the analyser failed: nothing is known about this code. */
export function renderFailure(list) {
  const item = document.createElement("li");
  item.className = "empty failed";
  item.textContent = "No results: the analyser failed on this code. Edit it to try again.";
  list.replaceChildren(item);
}
