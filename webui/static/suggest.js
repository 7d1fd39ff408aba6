// Summit Search: suggestions under the search box (the ARIA combobox pattern).
// Completed words first, then titles of matching articles; arrows move, Enter chooses,
// Escape closes. Without this file the box is a plain search field.
"use strict";

(function suggestions() {
  const box = document.getElementById("q");
  const list = document.getElementById("q-suggest");
  if (!box || !list || !box.dataset.suggestUrl) return;
  let options = [];
  let active = -1;
  let asked = 0;
  let timer = 0;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    options = [];
    active = -1;
  }

  function mark(n) {
    if (active >= 0 && options[active]) options[active].el.setAttribute("aria-selected", "false");
    active = n;
    if (active < 0) {
      box.removeAttribute("aria-activedescendant");
      return;
    }
    const chosen = options[active].el;
    chosen.setAttribute("aria-selected", "true");
    box.setAttribute("aria-activedescendant", chosen.id);
    chosen.scrollIntoView({ block: "nearest" });
  }

  function choose(option) {
    if (option.url) {
      window.location.href = option.url;
      return;
    }
    box.value = option.text;
    close();
    box.form.requestSubmit();
  }

  function group(label, items, make) {
    if (!items.length) return;
    const part = document.createElement("div");
    part.setAttribute("role", "group");
    part.setAttribute("aria-label", label);
    const head = document.createElement("div");
    head.className = "suggest-head";
    head.setAttribute("aria-hidden", "true");
    head.textContent = label;
    part.append(head);
    for (const item of items) {
      const el = document.createElement("div");
      el.className = "suggest-option";
      const option = make(item, el);
      el.id = `q-suggest-${options.length}`;
      el.setAttribute("role", "option");
      el.setAttribute("aria-selected", "false");
      // mousedown, not click: the box must not lose focus (and close the list) first.
      el.addEventListener("mousedown", (event) => { event.preventDefault(); choose(option); });
      option.el = el;
      options.push(option);
      part.append(el);
    }
    list.append(part);
  }

  function show(data) {
    close();
    group(box.dataset.words, data.terms, (term, el) => {
      const word = document.createElement("span");
      word.textContent = term.text;
      const count = document.createElement("span");
      count.className = "suggest-count";
      count.textContent = box.dataset.articles.replace("{n}", term.articles);
      el.append(word, count);
      return { text: term.text };
    });
    group(box.dataset.titles, data.titles, (title, el) => {
      el.textContent = title.title;
      el.classList.add("suggest-title");
      return { text: title.title, url: title.url };
    });
    if (!options.length) return;
    list.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  async function ask() {
    const typed = box.value;
    const ticket = ++asked;
    if (!typed.trim()) {
      close();
      return;
    }
    try {
      const response = await fetch(`${box.dataset.suggestUrl}?q=${encodeURIComponent(typed)}`);
      if (!response.ok) return;
      const data = await response.json();
      // An answer to an older keystroke is dropped: only the latest one may show.
      if (ticket === asked && box.value === typed && document.activeElement === box) show(data);
    } catch (err) {
      // No suggestions when the server cannot be reached; searching still works.
    }
  }

  box.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 120);
  });
  box.addEventListener("keydown", (event) => {
    if (event.isComposing) return; // the input method's own Enter and arrows
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      // The positions are the box itself (-1) and each option, round and round.
      const step = event.key === "ArrowDown" ? 1 : -1;
      const places = options.length + 1;
      mark(((active + 1 + step + places) % places) - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    }
  });
  box.addEventListener("blur", () => setTimeout(close, 0));
})();
