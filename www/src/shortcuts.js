// The keyboard shortcut help: `?` (outside the editor and form fields) or the toolbar button
// opens a modal dialog listing the keys the page and its editor answer to. Escape or Close
// shuts it, and focus goes back where it was.

const SHORTCUTS = [
  ["On the page", [
    [["?"], "Show this list"],
    [["Tab"], "Move to the next control; from the editor, leave it"],
    [["Escape"], "Close this list"],
  ]],
  ["In the editor", [
    [["Ctrl", "Z"], "Undo (an applied fix is one step)"],
    [["Ctrl", "Shift", "Z"], "Redo (also Ctrl Y)"],
    [["F8"], "Go to the next finding"],
    [["Ctrl", "Shift", "M"], "Open the list of findings in the editor"],
    [["Ctrl", "F"], "Find (and replace)"],
    [["Ctrl", "/"], "Comment or uncomment the line"],
    [["Ctrl", "]"], "Indent the line (Ctrl [ to dedent)"],
    [["Alt", "↑"], "Move the line up (Alt ↓: down)"],
    [["Ctrl", "Shift", "["], "Fold the block (Ctrl Shift ] to unfold; ⌘ Alt [ on a Mac)"],
  ]],
];

function keys(combination) {
  const cell = document.createElement("td");
  combination.forEach((key, index) => {
    if (index > 0) cell.append(" + ");
    const kbd = document.createElement("kbd");
    kbd.textContent = key;
    cell.append(kbd);
  });
  return cell;
}

function buildDialog() {
  const dialog = document.createElement("dialog");
  dialog.id = "shortcuts";
  dialog.className = "shortcuts";
  dialog.setAttribute("aria-labelledby", "shortcuts-title");
  const title = document.createElement("h2");
  title.id = "shortcuts-title";
  title.textContent = "Keyboard shortcuts";
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = "On a Mac, use ⌘ where Ctrl is written.";
  dialog.append(title, note);
  for (const [heading, rows] of SHORTCUTS) {
    const table = document.createElement("table");
    const caption = table.createCaption();
    caption.textContent = heading;
    const body = table.createTBody();
    for (const [combination, what] of rows) {
      const row = body.insertRow();
      const description = document.createElement("td");
      description.textContent = what;
      row.append(keys(combination), description);
    }
    dialog.append(table);
  }
  const close = document.createElement("button");
  close.type = "button";
  close.id = "shortcuts-close";
  close.textContent = "Close";
  dialog.append(close);
  return { dialog, close };
}

/** Whether a key press is typing: in the editor, a text field or anything editable. */
function isTyping(event) {
  const target = event.composedPath()[0];
  if (!(target instanceof Element)) return false;
  return Boolean(target.closest("input, textarea, select, [contenteditable]") || target.isContentEditable || event.target.closest?.("#editor"));
}

/** Adds the dialog to the page; `opener` is the toolbar button that also opens it. */
export function setUpShortcuts(opener) {
  const { dialog, close } = buildDialog();
  document.body.append(dialog);
  let returnTo = null;

  function open() {
    if (dialog.open) return;
    returnTo = document.activeElement;
    dialog.showModal();
    close.focus();
  }

  close.addEventListener("click", () => dialog.close());
  // Escape closes a modal dialog by itself; focus then goes back to what opened it.
  dialog.addEventListener("close", () => {
    if (returnTo instanceof HTMLElement && returnTo.isConnected) returnTo.focus();
    returnTo = null;
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });
  opener.addEventListener("click", open);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "?" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event)) return;
    event.preventDefault();
    open();
  });
  return { open };
}
