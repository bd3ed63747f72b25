// Comments and suggestions beside the text: a small enhancement of forms that work without it.
// - Selecting a passage in the text shows two buttons by it, "Opmerking" and "Voorstel"; they put
//   the passage (and a little of the text around it, to tell two occurrences apart) into the
//   panel's form and move the focus there. Ctrl+Alt+M does the same from the keyboard: it takes
//   the selection and moves the focus to the buttons.
// - Every thread's passage is marked in the text (CSS Custom Highlights: the page's DOM, and the
//   author's editor, are left untouched); the thread that has the focus or the pointer is marked
//   more strongly.
// The text is read as the server reads it (annotations/anchoring.py): white space folded, a space
// between blocks.
(function () {
  "use strict";
  const panel = document.querySelector("[data-annotate-panel]");
  if (!panel) return;
  const i18n = JSON.parse(document.getElementById("annotate-i18n")?.textContent || "{}");
  const status = panel.querySelector("[data-annotate-status]");
  const toolbar = panel.querySelector("[data-annotate-toolbar]");
  const BLOCKS = "p, h1, h2, h3, h4, li, blockquote, figure, figcaption, pre, div";
  const CONTEXT = 32;
  let picked = null; // {quote, before, after} of the last selection in the text
  let cameFrom = null; // where the focus was before Ctrl+Alt+M took it to the buttons

  const root = () => document.querySelector(panel.dataset.annotateRoot);

  function say(message) {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  }

  // The folded text of `element`, with the [node, offset] of each character (null: a block gap).
  function textMap(element) {
    const chars = [];
    const where = [];
    const push = (ch, at) => {
      if (/\s/.test(ch)) {
        if (!chars.length || chars[chars.length - 1] === " ") return;
        ch = " ";
      }
      chars.push(ch);
      where.push(at);
    };
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    let lastBlock = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const block = node.parentElement && node.parentElement.closest(BLOCKS);
      if (lastBlock && block !== lastBlock) push(" ", null);
      lastBlock = block;
      for (let i = 0; i < node.data.length; i++) push(node.data[i], [node, i]);
    }
    return { text: chars.join(""), where };
  }

  const fold = (s) => s.replace(/\s+/g, " ").trim();

  function commonSuffix(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
    return n;
  }

  function commonPrefix(a, b) {
    let n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  // Where `quote` is in `text`, the occurrence whose surroundings fit best; -1 if nowhere.
  function find(text, quote, before, after) {
    let best = -1;
    let bestScore = -1;
    for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
      const score = commonSuffix(text.slice(0, at), before) + commonPrefix(text.slice(at + quote.length), after);
      if (score > bestScore) { best = at; bestScore = score; }
    }
    return best;
  }

  function rangeOf(map, start, end) {
    const first = map.where.slice(start, end).find(Boolean);
    const last = map.where.slice(start, end).reverse().find(Boolean);
    if (!first || !last) return null;
    const range = document.createRange();
    range.setStart(first[0], first[1]);
    range.setEnd(last[0], last[1] + 1);
    return range;
  }

  // --- Taking a selection -------------------------------------------------------------------

  function selectionInText() {
    const element = root();
    const selection = window.getSelection();
    if (!element || !selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    if (!element.contains(range.commonAncestorContainer)) return null;
    const quote = fold(selection.toString());
    if (!quote) return null;
    const map = textMap(element);
    let start = map.where.findIndex((at) => at && at[0] === range.startContainer && at[1] >= range.startOffset);
    if (start === -1 || map.text.slice(start, start + quote.length) !== quote) start = map.text.indexOf(quote);
    const before = start > 0 ? map.text.slice(Math.max(0, start - CONTEXT), start) : "";
    const after = start >= 0 ? map.text.slice(start + quote.length, start + quote.length + CONTEXT) : "";
    return { quote, before, after, rect: range.getBoundingClientRect() };
  }

  function showToolbar(found) {
    if (!toolbar) return;
    if (!found) { toolbar.hidden = true; return; }
    if (toolbar.parentElement !== document.body) document.body.appendChild(toolbar);
    toolbar.hidden = false;
    const width = toolbar.offsetWidth;
    const left = Math.min(Math.max(8, found.rect.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
    toolbar.style.left = `${left}px`;
    toolbar.style.top = `${found.rect.bottom + window.scrollY + 6}px`;
  }

  let timer = null;
  document.addEventListener("selectionchange", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      const found = selectionInText();
      if (found) { picked = found; showToolbar(found); }
      else if (toolbar && !toolbar.contains(document.activeElement)) showToolbar(null);
    }, 120);
  });

  function fill(targetId) {
    const details = document.getElementById(targetId);
    if (!details) return;
    details.open = true;
    if (picked) {
      details.querySelector("[data-annotate-quote]").value = picked.quote;
      details.querySelector("[data-annotate-prefix]").value = picked.before;
      details.querySelector("[data-annotate-suffix]").value = picked.after;
      say((i18n.taken || "%s").replace("%s", picked.quote));
    }
    showToolbar(null);
    details.scrollIntoView({ block: "nearest" });
    (details.querySelector("[data-annotate-body]") || details.querySelector("textarea")).focus();
  }

  toolbar?.addEventListener("click", (event) => {
    const button = event.target.closest("[data-annotate-open]");
    if (button) fill(button.dataset.annotateOpen);
  });
  toolbar?.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { showToolbar(null); cameFrom?.focus(); }
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      const buttons = [...toolbar.querySelectorAll("button")];
      const next = buttons[(buttons.indexOf(document.activeElement) + (event.key === "ArrowRight" ? 1 : buttons.length - 1)) % buttons.length];
      next?.focus();
      event.preventDefault();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (!(event.ctrlKey && event.altKey && (event.key === "m" || event.key === "M"))) return;
    const found = selectionInText();
    if (!found) { say(i18n.nothing || ""); return; }
    picked = found;
    showToolbar(found);
    cameFrom = document.activeElement;
    toolbar?.querySelector("button")?.focus();
    say((i18n.picked || "%s").replace("%s", found.quote));
    event.preventDefault();
  });

  // --- Marking the passages -----------------------------------------------------------------

  const threads = [...panel.querySelectorAll("[data-annotate-thread]")].filter((t) => !t.hasAttribute("data-gone"));

  function mark() {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    const element = root();
    if (!element) return;
    const map = textMap(element);
    const all = new Highlight();
    for (const thread of threads) {
      const quote = thread.dataset.quote;
      const at = find(map.text, quote, thread.dataset.prefix || "", thread.dataset.suffix || "");
      thread.range = at === -1 ? null : rangeOf(map, at, at + quote.length);
      if (thread.range && !thread.closest(".notes-resolved")) all.add(thread.range);
    }
    CSS.highlights.set("podium-note", all);
  }

  function activate(thread) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === "undefined") return;
    if (thread && thread.range) CSS.highlights.set("podium-note-active", new Highlight(thread.range));
    else CSS.highlights.delete("podium-note-active");
  }

  for (const thread of threads) {
    thread.addEventListener("mouseenter", () => activate(thread));
    thread.addEventListener("mouseleave", () => activate(null));
    thread.addEventListener("focusin", () => activate(thread));
  }
  // The author's editor builds its text after this script has run, when its script is ready.
  for (const delay of [0, 300, 1000, 2500]) window.setTimeout(mark, delay);
  root()?.addEventListener("input", () => { window.clearTimeout(timer); timer = window.setTimeout(mark, 400); });
})();
