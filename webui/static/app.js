// Summit Search: small progressive enhancements. Every page works without this file.
"use strict";

function typingInField(target) {
  const tag = target && target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable);
}

// "/" focuses the search box, as on most search sites.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (typingInField(event.target)) return;
  const box = document.getElementById("q");
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

// Changing the sort order searches again at once.
for (const select of document.querySelectorAll("select.autosubmit")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}

function copyWithSelection(text) {
  // For pages served over plain http on another host, where navigator.clipboard is missing.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "offscreen";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  return ok;
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (err) {
      // Permission refused: fall back to the selection-based copy below.
    }
  }
  return copyWithSelection(text);
}

function flash(box, status, ok) {
  status.textContent = ok ? box.dataset.copied : box.dataset.failed;
  box.classList.toggle("copied", ok);
  setTimeout(() => { status.textContent = ""; box.classList.remove("copied"); }, 4000);
}

// A passage's Quote menu copies the passage exactly as the article has it, with its citation,
// or a link to its sentence.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.quote-copy");
  if (!button) return;
  const box = button.closest(".quote");
  flash(box, box.querySelector(".quote-status"), await copyText(box.dataset[button.dataset.format]));
});

// In the article view, a Quote menu shows what it copies (its sentence, or its paragraph)
// while it is open, pointed at or focused.
for (const box of document.querySelectorAll("#body details.quote[data-target]")) {
  const target = document.getElementById(box.dataset.target);
  const summary = box.querySelector("summary");
  if (!target || !summary) continue;
  const show = (on) => target.classList.toggle("quoting", on || box.open);
  box.addEventListener("toggle", () => show(box.open));
  summary.addEventListener("pointerenter", () => show(true));
  summary.addEventListener("pointerleave", () => show(false));
  summary.addEventListener("focus", () => show(true));
  summary.addEventListener("blur", () => show(false));
}

// "Cite this article": each format copies as shown.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.cite-copy");
  if (!button) return;
  const text = document.getElementById(button.dataset.target).textContent;
  const box = button.closest(".cite-format");
  button.dataset.copied = button.dataset.copied || "";
  const status = box.querySelector(".cite-status");
  const ok = await copyText(text);
  status.textContent = ok ? button.dataset.copied : button.dataset.failed;
  setTimeout(() => { status.textContent = ""; }, 4000);
});

// In the article view, selected text can be quoted exactly, with the article's citation.
(function selectionQuote() {
  const bar = document.getElementById("selection-quote");
  const body = document.getElementById("body");
  if (!bar || !body) return;
  let chosen = "";
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    const text = selection ? selection.toString().trim() : "";
    const inside = selection && selection.rangeCount && body.contains(selection.anchorNode)
      && body.contains(selection.focusNode);
    if (text && inside) {
      chosen = text;
      bar.hidden = false;
    } else if (!bar.contains(document.activeElement)) {
      bar.hidden = true;
    }
  });
  document.getElementById("quote-selection").addEventListener("click", async () => {
    const ok = await copyText(`${chosen}\n\n— ${bar.dataset.cite}`);
    flash(bar, bar.querySelector(".quote-status"), ok);
  });
})();

// Next / previous match in the article view, over every match or one word's matches.
(function matchNavigation() {
  const all = Array.from(document.querySelectorAll("#body mark"));
  const count = document.getElementById("match-count");
  const next = document.getElementById("next-match");
  const prev = document.getElementById("prev-match");
  if (!all.length || !next || !prev) return;
  let marks = all;
  let current = -1;
  function go(step) {
    if (current >= 0 && marks[current]) marks[current].classList.remove("current");
    current = (current + step + marks.length) % marks.length;
    const mark = marks[current];
    mark.classList.add("current");
    mark.scrollIntoView({ block: "center" });
    count.textContent = `${current + 1} / ${marks.length}`;
  }
  next.addEventListener("click", () => go(1));
  prev.addEventListener("click", () => go(-1));
  for (const button of document.querySelectorAll("button.concept-step")) {
    button.addEventListener("click", () => {
      for (const other of document.querySelectorAll("button.concept-step")) {
        other.setAttribute("aria-pressed", String(other === button));
      }
      for (const mark of all) mark.classList.remove("current", "dim");
      const chosen = button.dataset.c;
      marks = chosen === "" ? all : all.filter((m) => m.dataset.c === chosen);
      if (chosen !== "") for (const mark of all) if (mark.dataset.c !== chosen) mark.classList.add("dim");
      current = -1;
      go(1);
    });
  }
  document.addEventListener("keydown", (event) => {
    if (typingInField(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "n") go(1);
    if (event.key === "N" || event.key === "p") go(-1);
  });
})();

// A permalink to a passage scrolls to its paragraph.
(function showCited() {
  const cited = document.querySelector(".para.cited");
  if (cited && !location.hash) cited.scrollIntoView({ block: "center" });
})();

// The filter panel: beside the results on a wide screen, folded above them on a narrow one.
(function filterPanel() {
  const panel = document.getElementById("filters");
  if (!panel) return;
  const narrow = window.matchMedia("(max-width: 50rem)");
  const fit = () => { panel.open = !narrow.matches; };
  fit();
  narrow.addEventListener("change", fit);
})();
