/* Podium's article editor: progressive enhancement of #article-form.
 *
 * Without JavaScript the form is a plain form with a <textarea name="body"> (the server accepts
 * HTML or plain text). With it, the textarea is hidden and kept in sync with a Squire editing area
 * with a small toolbar for Podium's semantic set (paragraphs, two levels of subheadings, bold,
 * italic, links, lists, quotes), a live counter, a copy of the text in localStorage, and, on the
 * author's own editor, autosave.
 *
 * No inline scripts and no inline event handlers: the page works under a strict CSP. The strings
 * come from the <script type="application/json" id="editor-i18n"> block in the template.
 */
(() => {
  "use strict";

  const form = document.getElementById("article-form");
  const textarea = form && form.elements.namedItem("body");
  if (!form || !(textarea instanceof HTMLTextAreaElement) || typeof window.Squire !== "function") {
    return; // The plain textarea keeps working.
  }

  const IDLE_DELAY = 2000; // autosave this long after the last change …
  const MAX_WAIT = 10000; // … and at least this often while typing without pause
  const COPY_DELAY = 400; // localStorage copy, debounced
  const REFRESH_DELAY = 100; // textarea sync and counter, debounced
  const COPY_MAX_AGE = 30 * 24 * 3600 * 1000; // copies older than this are pruned
  const STORAGE_PREFIXES = ["podium-draft-", "podium-edit-"];

  // --- Strings --------------------------------------------------------------------------------

  const lang = document.documentElement.lang || "nl";
  const i18n = readJson("editor-i18n");
  const numbers = new Intl.NumberFormat(lang);
  const plurals = new Intl.PluralRules(lang);

  function readJson(id) {
    const el = document.getElementById(id);
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch {
      return {};
    }
  }

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (match, name) =>
      values && name in values ? String(values[name]) : match,
    );
  }

  function t(key, values) {
    return fill(i18n[key] ?? key, values);
  }

  function tn(key, n, values) {
    const message = i18n[`${key}_${plurals.select(n)}`] ?? i18n[`${key}_other`] ?? key;
    return fill(message, values);
  }

  // --- Cleaning HTML down to Podium's semantic set ---------------------------------------------
  //
  // Used for everything that enters the editor (the stored body, pasted HTML) and for what leaves
  // it (the textarea). The input is parsed in an inert <template> (no scripts run, nothing loads),
  // and a new tree is built from scratch: only the allowed elements are created, the only
  // attribute ever copied is a link's href with an allowed scheme. The server sanitises again.

  const DROP = new Set([
    "SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "FRAME", "OBJECT", "EMBED", "SVG", "MATH", "NOSCRIPT",
    "HEAD", "TITLE", "META", "LINK", "BASE", "IMG", "PICTURE", "VIDEO", "AUDIO", "SOURCE", "TRACK",
    "CANVAS", "MAP", "INPUT", "BUTTON", "SELECT", "OPTION", "TEXTAREA", "FORM", "HR", "DIALOG",
  ]);
  // Containers that become a paragraph when they hold only inline content, else are unwrapped.
  const CONTAINERS = new Set([
    "DIV", "SECTION", "ARTICLE", "HEADER", "FOOTER", "ASIDE", "MAIN", "NAV", "FIGURE", "FIGCAPTION",
    "PRE", "ADDRESS", "CENTER", "DETAILS", "SUMMARY", "HGROUP", "TABLE", "THEAD", "TBODY", "TFOOT",
    "TR", "TD", "TH", "CAPTION", "DL", "DT", "DD", "BODY", "HTML", "FIELDSET", "LEGEND",
  ]);
  const BLOCKS = new Set([
    ...CONTAINERS, "P", "H1", "H2", "H3", "H4", "H5", "H6", "UL", "OL", "LI", "BLOCKQUOTE",
  ]);
  const HEADINGS = { H1: "H2", H2: "H2", H3: "H3", H4: "H3", H5: "H3", H6: "H3" };
  const TEXT_BLOCKS = new Set(["P", "H2", "H3", "LI"]);
  const SAFE_URL = /^(?:https?:\/\/|mailto:)\S/i;

  function isBlock(node) {
    return node.nodeType === Node.ELEMENT_NODE && BLOCKS.has(node.nodeName.toUpperCase());
  }

  function hasBlockChild(el) {
    for (const child of el.children) {
      if (isBlock(child) && !DROP.has(child.nodeName.toUpperCase())) return true;
    }
    return false;
  }

  // Presentational styles that carry meaning: Google Docs and Word mark bold and italic with
  // styles on spans, and wrap a whole paste in <b style="font-weight:normal">.
  function styleOf(el) {
    const style = (el.getAttribute("data-pasted-style") || "").toLowerCase().replace(/\s+/g, "");
    return {
      bold: /font-weight:(?:bold|[6-9]00)/.test(style),
      notBold: /font-weight:(?:normal|[1-4]00)/.test(style),
      italic: /font-style:italic/.test(style),
      notItalic: /font-style:normal/.test(style),
      msoIgnore: /mso-list:ignore/.test(style),
    };
  }

  function appendBreakIfNeeded(dst) {
    const last = dst.lastChild;
    if (last && last.nodeName !== "BR" && (last.nodeType !== Node.TEXT_NODE || last.data.trim())) {
      dst.appendChild(document.createElement("br"));
    }
  }

  // mode: "flow" (top level, quotes: blocks), "item" (list item: inline and nested lists),
  // "inline" (paragraphs, headings, bold, italic, links).
  function cleanChildren(src, dst, mode, inLink) {
    for (const child of Array.from(src.childNodes)) cleanNode(child, dst, mode, inLink);
  }

  function cleanNode(node, dst, mode, inLink) {
    if (node.nodeType === Node.TEXT_NODE) {
      dst.appendChild(document.createTextNode(node.data));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return; // comments, processing instructions
    const tag = node.nodeName.toUpperCase();
    if (DROP.has(tag) || node.namespaceURI !== "http://www.w3.org/1999/xhtml") return;
    if (tag === "FIGURE" && mode === "flow") {
      const figure = cleanFigure(node);
      if (figure) {
        dst.appendChild(figure);
        return;
      }
    }
    const style = styleOf(node);
    if (style.msoIgnore) return; // Word's fake bullets and numbers

    const wrap = (name, childMode, link) => {
      const el = document.createElement(name);
      cleanChildren(node, el, childMode, link);
      dst.appendChild(el);
      return el;
    };

    if (tag === "BR") {
      dst.appendChild(document.createElement("br"));
      return;
    }
    if (!BLOCKS.has(tag) && mode === "flow" && hasBlockChild(node)) {
      // An inline element around blocks (Google Docs wraps a whole paste in <b>): keep the blocks.
      cleanChildren(node, dst, mode, inLink);
      return;
    }
    if (tag === "B" || tag === "STRONG" || tag === "I" || tag === "EM") {
      const bold = tag === "B" || tag === "STRONG";
      if ((bold && style.notBold) || (!bold && style.notItalic)) {
        cleanChildren(node, dst, mode, inLink);
      } else {
        wrap(bold ? "strong" : "em", "inline", inLink);
      }
      return;
    }
    if (tag === "A") {
      const href = (node.getAttribute("href") || "").trim();
      if (!inLink && SAFE_URL.test(href)) {
        wrap("a", "inline", true).setAttribute("href", href);
      } else {
        cleanChildren(node, dst, mode, inLink);
      }
      return;
    }
    if (!BLOCKS.has(tag)) {
      // Any other inline element (span, font, u, code …): keep its text, and its meaning where a
      // style says bold or italic.
      let target = dst;
      if (style.bold) target = target.appendChild(document.createElement("strong"));
      if (style.italic) target = target.appendChild(document.createElement("em"));
      cleanChildren(node, target, mode === "flow" ? "inline" : mode, inLink);
      return;
    }

    // Block elements.
    if (mode === "inline" || (mode === "item" && !(tag === "UL" || tag === "OL"))) {
      // No blocks inside paragraphs, headings or list items: keep the text, on its own line.
      appendBreakIfNeeded(dst);
      if (tag === "UL" || tag === "OL") {
        for (const item of Array.from(node.childNodes)) {
          appendBreakIfNeeded(dst);
          cleanNode(item, dst, mode, inLink);
        }
      } else {
        cleanChildren(node, dst, mode, inLink);
      }
      return;
    }
    if (tag === "UL" || tag === "OL") {
      const list = document.createElement(tag.toLowerCase());
      for (const child of Array.from(node.childNodes)) {
        if (child.nodeType === Node.ELEMENT_NODE && child.nodeName.toUpperCase() === "LI") {
          const li = document.createElement("li");
          cleanChildren(child, li, "item", false);
          list.appendChild(li);
        } else if (child.nodeType === Node.ELEMENT_NODE && /^(UL|OL)$/i.test(child.nodeName)) {
          // A list directly inside a list (invalid, but common): nest it in the previous item.
          const host = list.lastElementChild || list.appendChild(document.createElement("li"));
          cleanNode(child, host, "item", false);
        } else if (child.nodeType === Node.ELEMENT_NODE || (child.data || "").trim()) {
          const li = document.createElement("li");
          cleanNode(child, li, "item", false);
          list.appendChild(li);
        }
      }
      dst.appendChild(list);
      return;
    }
    if (tag === "LI" || tag === "P") {
      wrap("p", "inline", false);
    } else if (tag in HEADINGS) {
      wrap(HEADINGS[tag].toLowerCase(), "inline", false);
    } else if (tag === "BLOCKQUOTE") {
      wrap("blockquote", "flow", false);
    } else if (hasBlockChild(node)) {
      cleanChildren(node, dst, "flow", false);
    } else {
      wrap("p", "inline", false);
    }
  }

  // Podium's own figure (a picture uploaded through the editor, see podium.images.rendering):
  // <figure><img src alt data-image><figcaption>…</figcaption></figure>. Only a picture from
  // Podium's storage with its id is kept; the server checks both again.
  const PICTURE_SRC = /^(?:\/|https:\/\/)[^\s"'<>]+$/;
  function cleanFigure(node) {
    const img = node.querySelector("img[data-image]");
    if (!img || !/^\d+$/.test(img.getAttribute("data-image") || "")) return null;
    const src = img.getAttribute("src") || "";
    if (!PICTURE_SRC.test(src)) return null;
    const figure = document.createElement("figure");
    figure.setAttribute("contenteditable", "false");
    const picture = document.createElement("img");
    picture.setAttribute("src", src);
    picture.setAttribute("alt", img.getAttribute("alt") || "");
    picture.setAttribute("data-image", img.getAttribute("data-image"));
    figure.appendChild(picture);
    const caption = node.querySelector("figcaption");
    const text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    if (text) {
      const figcaption = document.createElement("figcaption");
      figcaption.textContent = text;
      figure.appendChild(figcaption);
    }
    return figure;
  }

  // Runs of inline content directly at the top level or in a quote become paragraphs.
  function wrapInlineRuns(container) {
    let paragraph = null;
    for (const child of Array.from(container.childNodes)) {
      if (isBlock(child)) {
        paragraph = null;
        if (child.nodeName === "BLOCKQUOTE") wrapInlineRuns(child);
      } else if (child.nodeType === Node.TEXT_NODE && !child.data.trim() && !paragraph) {
        child.remove(); // white space between blocks
      } else {
        if (!paragraph) paragraph = container.insertBefore(document.createElement("p"), child);
        paragraph.appendChild(child);
      }
    }
  }

  function isEmptyContent(el) {
    return !el.textContent.replace(/[\s\u00a0\u200b]+/g, "") && !el.querySelector("ul, ol");
  }

  function tidy(root) {
    // Inline elements without text go; so do trailing line breaks and empty blocks (as on the
    // server, whose result the editor has to match for the counter and the comparisons).
    for (const el of Array.from(root.querySelectorAll("strong, em, a")).reverse()) {
      if (!el.textContent) el.replaceWith(...el.childNodes);
    }
    for (const el of root.querySelectorAll("p, h2, h3, li")) {
      let last = el.lastChild;
      while (last && (last.nodeName === "BR" || (last.nodeType === Node.TEXT_NODE && !last.data.trim()))) {
        const previous = last.previousSibling;
        if (last.nodeName !== "BR" && previous && previous.nodeName !== "BR") break;
        last.remove();
        last = previous;
      }
    }
    // Browsers type a no-break space where a space would collapse (at the edge of a text node,
    // or next to another space); those are ordinary spaces. One between two words is kept.
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.data.includes("\u00a0")) {
        node.data = node.data.replace(/^\u00a0|\u00a0$|\u00a0(?=[ \u00a0])|(?<=[ \u00a0])\u00a0/g, " ");
      }
    }
    let removed = true;
    while (removed) {
      removed = false;
      for (const el of root.querySelectorAll("p, h2, h3, li, blockquote, ul, ol")) {
        if (isEmptyContent(el)) {
          el.remove();
          removed = true;
        }
      }
    }
  }

  // Style attributes are renamed before parsing: even an inert <template> makes the browser check
  // them against the page's Content Security Policy (no inline styles), which would report a
  // violation for every styled paste from Word or Google Docs. styleOf() reads the renamed copy
  // for the bold and italic they carry; nothing else of them is kept.
  const STYLE_ATTRIBUTE = /(\s)style(\s*=)/gi;
  // Event handler attributes likewise: never run, but reported as violations when parsed.
  const HANDLER_ATTRIBUTE = /(\s)on([a-z]+\s*=)/gi;

  function cleanFragment(html) {
    const template = document.createElement("template");
    // Only inside tags: the same letters in the text itself stay as they are.
    template.innerHTML = String(html).replace(/<[^>]*>/g, (tag) =>
      tag
        .replace(STYLE_ATTRIBUTE, "$1data-pasted-style$2")
        .replace(HANDLER_ATTRIBUTE, "$1data-pasted-on$2"),
    );
    const fragment = document.createDocumentFragment();
    cleanChildren(template.content, fragment, "flow", false);
    wrapInlineRuns(fragment);
    tidy(fragment);
    return fragment;
  }

  function cleanHtml(html) {
    const holder = document.createElement("div");
    holder.appendChild(cleanFragment(html));
    for (const figure of holder.querySelectorAll("figure")) figure.removeAttribute("contenteditable");
    return holder.innerHTML;
  }

  // Plain text (typed without the editor) as paragraphs; mirrors the server's plain_text_to_html.
  const HTML_TAG = /<\/?[a-zA-Z][^<>]*>|<!--/;
  function plainTextToHtml(text) {
    const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return text
      .replace(/\r\n?/g, "\n")
      .trim()
      .split(/\n[ \t\f\v]*\n\s*/)
      .map((block) =>
        block
          .split("\n")
          .map((line) => escape(line.split(/\s+/).filter(Boolean).join(" ")))
          .filter(Boolean)
          .join("<br>"),
      )
      .filter(Boolean)
      .map((block) => `<p>${block}</p>`)
      .join("");
  }

  function toEditorHtml(value) {
    return value && !HTML_TAG.test(value) ? plainTextToHtml(value) : value || "";
  }

  // --- Counting, exactly as the server does (sanitize.count_characters / count_words) ---------

  const WORD = /[\p{L}\p{N}_]+(?:[-'’][\p{L}\p{N}_]+)*/gu;
  function countText(html) {
    const text = html
      .replace(/<\/(?:p|h2|h3|li|blockquote|figcaption)>|<br>/g, "\n\n")
      .replace(/<[^>]+>/g, "")
      .replace(/&nbsp;/g, "\u00a0")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    const folded = text.split(/\s+/).filter(Boolean).join(" ");
    return { chars: [...folded].length, words: (folded.match(WORD) || []).length };
  }

  // --- Building the editor ---------------------------------------------------------------------

  const label = document.getElementById("body-label");
  const counter = document.getElementById("body-counter");
  const limit = parseInt(form.dataset.bodyLimit || (counter && counter.dataset.limit) || "0", 10);
  const versionInput = form.elements.namedItem("version");
  const statusBox = document.getElementById("autosave-status");

  const wrapper = document.createElement("div");
  wrapper.className = "rte";
  const toolbar = document.createElement("div");
  toolbar.className = "rte-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", t("toolbar"));
  toolbar.setAttribute("aria-controls", "body-editor");
  const area = document.createElement("div");
  area.id = "body-editor";
  area.className = "rte-area";
  area.setAttribute("role", "textbox");
  area.setAttribute("aria-multiline", "true");
  if (label) area.setAttribute("aria-labelledby", label.id || "body-label");
  const describedBy = ["body-help", "body-errors", "body-counter"].filter((id) => document.getElementById(id));
  if (describedBy.length) area.setAttribute("aria-describedby", describedBy.join(" "));
  if (textarea.getAttribute("aria-invalid") === "true" || document.getElementById("body-errors")) {
    area.setAttribute("aria-invalid", "true");
  }
  area.spellcheck = true;
  wrapper.append(toolbar, area);
  textarea.after(wrapper);
  textarea.hidden = true;

  const liveRegion = document.createElement("p");
  liveRegion.className = "visually-hidden";
  liveRegion.setAttribute("aria-live", "polite");
  (counter || wrapper).after(liveRegion);

  const editor = new window.Squire(area, {
    blockTag: "P",
    sanitizeToDOMFragment: (html) => cleanFragment(html),
    didError: (error) => console.error(error), // eslint-disable-line no-console
  });
  editor.setHTML(toEditorHtml(textarea.value));

  if (label) {
    // The label points at the hidden textarea; send its clicks to the editing area.
    label.addEventListener("click", (event) => {
      event.preventDefault();
      editor.focus();
    });
  }

  // Keep out what is not in Podium's set: Squire's shortcuts and the browser's own formatting
  // commands for underline, strike-through, sub/superscript, code, alignment, colours, fonts.
  const ua = navigator.userAgent;
  const isApple = /Mac OS X|iP(?:ad|hone|od)/.test(ua);
  const mod = isApple ? "Meta-" : "Ctrl-";
  const swallow = (self, event) => event.preventDefault();
  for (const key of ["u", "Shift-7", "Shift-5", "Shift-6", "d"]) editor.setKeyHandler(mod + key, swallow);
  editor.setKeyHandler(mod + "k", (self, event) => {
    event.preventDefault();
    runCommand("link");
  });
  const ALLOWED_INPUT = /^(?:insert|delete|history|formatBold|formatItalic)/;
  wrapper.addEventListener(
    "beforeinput",
    (event) => {
      if (event.target === area && !ALLOWED_INPUT.test(event.inputType)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true,
  );

  // --- Toolbar ---------------------------------------------------------------------------------

  const ICONS = {
    link: '<path d="M8.5 11.5a3.5 3.5 0 0 0 5 0l3-3a3.5 3.5 0 0 0-5-5l-1 1"/><path d="M11.5 8.5a3.5 3.5 0 0 0-5 0l-3 3a3.5 3.5 0 0 0 5 5l1-1"/>',
    bulleted: '<circle cx="4" cy="5" r="1.4" fill="currentColor" stroke="none"/><circle cx="4" cy="10" r="1.4" fill="currentColor" stroke="none"/><circle cx="4" cy="15" r="1.4" fill="currentColor" stroke="none"/><path d="M8 5h9M8 10h9M8 15h9"/>',
    // Digits drawn as paths, not <text>: text in the icon would count as the button's visible label.
    numbered: '<path stroke-width="1.4" d="M2.5 3.5l1.5-1v5M2.2 12.8c.3-1.6 3.2-1.6 3.2 0 0 1.2-3.2 2.3-3.2 3.7h3.3"/><path d="M8 5h9M8 10h9M8 15h9"/>',
    quote: '<path d="M4 9h3v5H3V9.5C3 6.5 4.5 5 7 4.5M12 9h3v5h-4V9.5c0-3 1.5-4.5 4-5"/>',
    picture: '<rect x="2.5" y="4" width="15" height="12" rx="1.5"/><circle cx="7" cy="8.5" r="1.5"/><path d="m3 15 4.5-4.5 3 3 2.5-2.5 4.5 4.5"/>',
    undo: '<path d="M7 4 3 8l4 4"/><path d="M3 8h9a5 5 0 0 1 0 10H8"/>',
    redo: '<path d="m13 4 4 4-4 4"/><path d="M17 8H8a5 5 0 0 0 0 10h4"/>',
  };
  const shortcut = (key) => (isApple ? `⌘${key}` : `Ctrl+${key}`);
  const GROUPS = [
    [
      { name: "paragraph", text: "¶", toggle: true },
      { name: "h2", text: "H2", toggle: true },
      { name: "h3", text: "H3", toggle: true },
    ],
    [
      { name: "bold", text: "B", toggle: true, key: "B" },
      { name: "italic", text: "I", toggle: true, key: "I" },
      { name: "link", toggle: true, key: "K" },
    ],
    [
      { name: "bulleted", toggle: true },
      { name: "numbered", toggle: true },
      { name: "quote", toggle: true },
      ...(document.getElementById("figure-dialog") ? [{ name: "picture" }] : []),
    ],
    [
      { name: "undo", key: "Z" },
      { name: "redo", key: isApple ? "⇧Z" : "Y" },
    ],
  ];

  const buttons = [];
  for (const group of GROUPS) {
    const groupEl = document.createElement("span");
    groupEl.className = "rte-group";
    for (const spec of group) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = `rte-button rte-${spec.name}`;
      button.dataset.command = spec.name;
      button.tabIndex = buttons.length === 0 ? 0 : -1;
      // The accessible name contains the visible glyph ("H2"), as WCAG 2.5.3 asks.
      button.setAttribute("aria-label", spec.text ? `${spec.text}: ${t(spec.name)}` : t(spec.name));
      button.title = spec.key ? `${t(spec.name)} (${shortcut(spec.key)})` : t(spec.name);
      if (spec.key) {
        const keys = spec.key.replace("⇧", "Shift+");
        button.setAttribute("aria-keyshortcuts", `${isApple ? "Meta" : "Control"}+${keys}`);
      }
      if (spec.toggle) button.setAttribute("aria-pressed", "false");
      if (ICONS[spec.name]) {
        button.innerHTML = `<svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${ICONS[spec.name]}</svg>`;
      } else {
        const glyph = document.createElement("span");
        glyph.setAttribute("aria-hidden", "true");
        glyph.textContent = spec.text;
        button.appendChild(glyph);
      }
      groupEl.appendChild(button);
      buttons.push(button);
    }
    toolbar.appendChild(groupEl);
  }

  // Roving tabindex: Tab reaches the toolbar once; arrow keys, Home and End move inside it;
  // Escape goes back to the text. Alt+F10 in the text jumps to the toolbar.
  function focusButton(index) {
    const n = buttons.length;
    const target = buttons[((index % n) + n) % n];
    for (const b of buttons) b.tabIndex = b === target ? 0 : -1;
    target.focus();
  }
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    if (index < 0) return;
    const moves = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: buttons.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusButton(moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      editor.focus();
    }
  });
  toolbar.addEventListener("focusin", (event) => {
    if (buttons.includes(event.target)) for (const b of buttons) b.tabIndex = b === event.target ? 0 : -1;
  });
  area.addEventListener("keydown", (event) => {
    if (event.altKey && event.key === "F10") {
      event.preventDefault();
      focusButton(Math.max(0, buttons.findIndex((b) => b.tabIndex === 0)));
    }
  });
  // Mouse clicks must not take the selection away from the text.
  toolbar.addEventListener("mousedown", (event) => {
    if (event.target.closest("button")) event.preventDefault();
  });
  toolbar.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (button && button.getAttribute("aria-disabled") !== "true") runCommand(button.dataset.command);
  });

  function state() {
    const root = editor.getRoot();
    const range = editor.getSelection();
    let node = range.startContainer;
    if (node === root) node = root.childNodes[Math.min(range.startOffset, root.childNodes.length - 1)] || root;
    const found = { block: null, list: null, quote: false, link: null };
    for (; node && node !== root; node = node.parentNode) {
      const name = node.nodeName;
      if (!found.block && /^(?:P|H[1-6]|LI|DIV)$/.test(name)) found.block = name;
      if (!found.list && (name === "UL" || name === "OL")) found.list = name;
      if (name === "BLOCKQUOTE") found.quote = true;
      if (name === "A" && !found.link) found.link = node;
    }
    found.bold = editor.hasFormat("B");
    found.italic = editor.hasFormat("I");
    return found;
  }

  function updateToolbar() {
    const s = state();
    const pressed = {
      paragraph: s.block === "P" && !s.list && !s.quote,
      h2: s.block === "H2",
      h3: s.block === "H3",
      bold: s.bold,
      italic: s.italic,
      link: Boolean(s.link) || editor.hasFormat("A"),
      bulleted: s.list === "UL",
      numbered: s.list === "OL",
      quote: s.quote,
    };
    for (const button of buttons) {
      const name = button.dataset.command;
      if (name in pressed) button.setAttribute("aria-pressed", String(pressed[name]));
    }
  }

  function setBlock(tag) {
    const s = state();
    if (s.list) editor.removeList();
    if (s.quote) editor.removeQuote();
    const target = s.block === tag && tag !== "P" ? "P" : tag;
    editor.modifyBlocks((fragment) => {
      for (const block of Array.from(fragment.querySelectorAll("p, div, h1, h2, h3, h4, h5, h6"))) {
        if (block.nodeName === target || block.querySelector("p, div, h1, h2, h3, h4, h5, h6")) continue;
        const replacement = document.createElement(target);
        replacement.append(...block.childNodes);
        block.replaceWith(replacement);
      }
      return fragment;
    });
  }

  function normaliseUrl(raw) {
    const value = raw.trim();
    if (!value || /^https?:\/\/$/i.test(value)) return "";
    if (/\s/.test(value)) return null;
    if (SAFE_URL.test(value)) return value;
    if (/^[^@/:]+@[^@/:]+\.[a-z]{2,}$/i.test(value)) return `mailto:${value}`;
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return null; // another scheme (javascript:, ftp: …)
    if (/^[\w-]+(?:\.[\w-]+)+(?:[/?#]\S*)?$/.test(value)) return `https://${value}`;
    return null;
  }

  function editLink() {
    const s = state();
    if (s.link) {
      // Act on the whole link, wherever the cursor is inside it.
      const range = document.createRange();
      range.selectNodeContents(s.link);
      editor.setSelection(range);
    }
    const current = s.link ? s.link.getAttribute("href") : "";
    const answer = window.prompt(t("link_prompt"), current || "https://");
    if (answer === null) return;
    const url = normaliseUrl(answer);
    if (url === "") {
      if (s.link || editor.hasFormat("A")) editor.removeLink();
    } else if (url === null) {
      window.alert(t("link_invalid"));
    } else {
      editor.makeLink(url);
    }
  }

  function runCommand(name) {
    const s = state();
    switch (name) {
      case "paragraph": setBlock("P"); break;
      case "h2": setBlock("H2"); break;
      case "h3": setBlock("H3"); break;
      case "bold": if (s.bold) editor.removeBold(); else editor.bold(); break;
      case "italic": if (s.italic) editor.removeItalic(); else editor.italic(); break;
      case "link": editLink(); break;
      case "bulleted": if (s.list === "UL") editor.removeList(); else editor.makeUnorderedList(); break;
      case "numbered": if (s.list === "OL") editor.removeList(); else editor.makeOrderedList(); break;
      case "quote": if (s.quote) editor.removeQuote(); else editor.increaseQuoteLevel(); break;
      case "undo": editor.undo(); break;
      case "redo": editor.redo(); break;
      case "picture": openFigureDialog(); return;
      default: return;
    }
    editor.focus();
    updateToolbar();
    refreshSoon();
  }

  // --- Pictures in the text: upload in a dialog, insert the figure at the cursor ------------------

  const figureDialog = document.getElementById("figure-dialog");
  const figureForm = figureDialog && figureDialog.querySelector("form");
  let figureRange = null;
  // A figure is a block of its own: it goes after the block the cursor is in. (insertHTML
  // would put it inside that paragraph when the cursor is in one, and Squire then splits it:
  // the picture stays in the paragraph and the figure keeps only its caption.)
  function insertFigure(html) {
    const figure = cleanFragment(html).querySelector("figure");
    if (!figure) return;
    editor.modifyBlocks((fragment) => {
      fragment.appendChild(figure);
      return fragment;
    });
  }
  function openFigureDialog() {
    if (!figureDialog || !figureForm) return;
    figureRange = editor.getSelection();
    figureForm.reset();
    for (const old of figureForm.querySelectorAll(".errors")) old.remove();
    figureDialog.showModal();
  }
  if (figureDialog && figureForm) {
    figureForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const status = figureForm.querySelector("[data-figure-status]");
      for (const old of figureForm.querySelectorAll(".errors")) old.remove();
      if (status) status.textContent = t("picture_uploading");
      let response;
      try {
        response = await fetch(figureForm.action, {
          method: "POST",
          body: new FormData(figureForm),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
      } catch {
        if (status) status.textContent = t("offline");
        return;
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok || !data.html) {
        if (status) status.textContent = data.error || t("refused");
        for (const [name, messages] of Object.entries(data.fields || {})) {
          const field = figureForm.elements.namedItem(`figure-${name}`);
          const list = document.createElement("ul");
          list.className = "errors";
          list.setAttribute("role", "alert");
          for (const message of messages) list.appendChild(document.createElement("li")).textContent = message;
          const anchor = field instanceof Element ? field : figureForm.querySelector("button[type=submit]");
          anchor.before(list);
        }
        return;
      }
      if (status) status.textContent = "";
      figureDialog.close();
      if (figureRange) editor.setSelection(figureRange);
      insertFigure(data.html);
      editor.focus();
      refreshSoon();
    });
    figureDialog.querySelector("[data-figure-cancel]")?.addEventListener("click", () => figureDialog.close());
  }

  editor.addEventListener("pathChange", updateToolbar);
  editor.addEventListener("select", updateToolbar);
  editor.addEventListener("cursor", updateToolbar);
  editor.addEventListener("undoStateChange", (event) => {
    const { canUndo, canRedo } = event.detail || {};
    for (const button of buttons) {
      if (button.dataset.command === "undo") button.setAttribute("aria-disabled", String(!canUndo));
      if (button.dataset.command === "redo") button.setAttribute("aria-disabled", String(!canRedo));
    }
  });
  for (const button of buttons) {
    if (button.dataset.command === "undo" || button.dataset.command === "redo") {
      button.setAttribute("aria-disabled", "true");
    }
  }

  // --- Text, counter, snapshots ------------------------------------------------------------

  let body = "";
  let wasOver = false;

  function syncTextarea() {
    body = cleanHtml(editor.getHTML());
    textarea.value = body;
    return body;
  }

  function updateCounter() {
    if (!counter) return;
    const { chars, words } = countText(body);
    const over = limit ? chars - limit : 0;
    let text = `${tn("words", words, { n: numbers.format(words) })} · ${t("chars", {
      count: numbers.format(chars),
      limit: numbers.format(limit),
    })}`;
    if (over > 0) text += ` · ${tn("over", over, { n: numbers.format(over) })}`;
    counter.textContent = text;
    counter.classList.toggle("over", over > 0);
    if (over > 0 !== wasOver) {
      // Announce crossing the limit, not every keystroke.
      liveRegion.textContent = t(over > 0 ? "went_over" : "back_under", { limit: numbers.format(limit) });
      wasOver = over > 0;
    }
  }

  function fieldValue(name) {
    const field = form.elements.namedItem(name);
    return field && "value" in field ? field.value.split(/\s+/).filter(Boolean).join(" ") : "";
  }

  function topics() {
    return Array.from(form.querySelectorAll('input[name="topics"]:checked'), (input) => input.value).sort();
  }

  function snapshot() {
    return { title: fieldValue("title"), lead: fieldValue("lead"), body, topics: topics() };
  }

  function sameContent(a, b) {
    return Boolean(a && b) && a.title === b.title && a.lead === b.lead && a.body === b.body &&
      a.topics.join(",") === b.topics.join(",");
  }

  function currentVersion() {
    return versionInput && versionInput.value ? parseInt(versionInput.value, 10) || 0 : 0;
  }

  syncTextarea();
  updateCounter();
  updateToolbar();
  const hasErrors = form.hasAttribute("data-form-errors");
  const isNew = !currentVersion();
  const empty = { title: "", lead: "", body: "", topics: [] };
  // What the server holds. A page re-rendered with errors shows text that was not saved.
  let serverSnapshot = hasErrors ? (isNew ? empty : null) : snapshot();
  let serverUpdatedAt = Date.parse(form.dataset.updatedAt || "") || 0;

  const initialSnapshot = snapshot();
  let touched = false;

  function isDirty() {
    return !sameContent(snapshot(), serverSnapshot);
  }

  // --- Copy in localStorage -------------------------------------------------------------

  let storageKey = form.dataset.storageKey || "";

  function readCopy(key) {
    try {
      const copy = JSON.parse(window.localStorage.getItem(key) || "null");
      return copy && typeof copy.body === "string" ? copy : null;
    } catch {
      return null;
    }
  }

  function removeCopy(key = storageKey) {
    try {
      if (key) window.localStorage.removeItem(key);
    } catch {
      /* storage unavailable */
    }
  }

  function storeCopy() {
    // Nothing is written (or removed) before the text was changed on this page: an unanswered
    // restore offer must survive just looking at the page.
    if (!storageKey || !touched) return;
    const snap = snapshot();
    if (sameContent(snap, serverSnapshot)) {
      removeCopy(); // the server has exactly this
      return;
    }
    try {
      window.localStorage.setItem(
        storageKey,
        JSON.stringify({ ...snap, version: currentVersion(), time: Date.now() }),
      );
    } catch {
      /* full or unavailable: the server copy is all there is */
    }
  }

  let copyTimer = null;
  function storeCopySoon() {
    clearTimeout(copyTimer);
    copyTimer = setTimeout(storeCopy, COPY_DELAY);
  }

  function pruneOldCopies() {
    try {
      const now = Date.now();
      for (let i = window.localStorage.length - 1; i >= 0; i -= 1) {
        const key = window.localStorage.key(i);
        if (!key || !STORAGE_PREFIXES.some((prefix) => key.startsWith(prefix))) continue;
        const copy = readCopy(key);
        if (!copy || !(now - copy.time < COPY_MAX_AGE)) window.localStorage.removeItem(key);
      }
    } catch {
      /* storage unavailable */
    }
  }

  function applyCopy(copy) {
    for (const name of ["title", "lead"]) {
      const field = form.elements.namedItem(name);
      if (field && typeof copy[name] === "string") field.value = copy[name];
    }
    const wanted = new Set((copy.topics || []).map(String));
    for (const input of form.querySelectorAll('input[name="topics"]')) input.checked = wanted.has(input.value);
    editor.setHTML(copy.body);
    syncTextarea();
    updateCounter();
    updateToolbar();
  }

  function offerRestore() {
    if (!storageKey) return;
    const copy = readCopy(storageKey);
    if (!copy) return;
    const shown = snapshot();
    const copySnap = {
      title: String(copy.title || ""),
      lead: String(copy.lead || ""),
      body: cleanHtml(copy.body),
      topics: (copy.topics || []).map(String).sort(),
    };
    if (sameContent(copySnap, shown)) {
      // The page already shows this text; after a successful save the copy has done its job.
      if (!hasErrors) removeCopy();
      return;
    }
    if (isNew && sameContent(copySnap, empty)) return;
    const newer = (Number(copy.version) || 0) >= currentVersion() || copy.time > serverUpdatedAt;
    if (!newer) return;

    const notice = document.createElement("div");
    notice.className = "notice restore-notice";
    notice.setAttribute("role", "region");
    notice.setAttribute("aria-label", t("restore"));
    const text = document.createElement("p");
    const when = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(copy.time));
    text.textContent = t("restore_text", { time: when });
    const actions = document.createElement("p");
    actions.className = "restore-actions";
    const restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button small";
    restore.textContent = t("restore");
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "button small secondary";
    dismiss.textContent = t("dismiss");
    actions.append(restore, dismiss);
    notice.append(text, actions);
    form.before(notice);

    restore.addEventListener("click", () => {
      touched = true;
      applyCopy({ ...copy, body: copySnap.body });
      notice.remove();
      setStatus(t("restored"));
      editor.focus();
      storeCopy();
      scheduleAutosave();
    });
    dismiss.addEventListener("click", () => {
      removeCopy();
      notice.remove();
      editor.focus();
    });
  }

  // --- Autosave --------------------------------------------------------------------------

  let autosaveUrl = form.dataset.autosaveUrl || "";
  let autosaveStopped = false;
  let saveTimer = null;
  let firstPendingAt = 0;
  let inFlight = null;
  let submitting = false;

  function setStatus(message, kind) {
    if (!statusBox) return;
    if (statusBox.textContent !== message) statusBox.textContent = message;
    statusBox.classList.toggle("error", kind === "error");
  }

  function scheduleAutosave() {
    if (!autosaveUrl || autosaveStopped || submitting) return;
    const now = Date.now();
    if (!firstPendingAt) firstPendingAt = now;
    clearTimeout(saveTimer);
    saveTimer = setTimeout(autosave, Math.max(0, Math.min(IDLE_DELAY, firstPendingAt + MAX_WAIT - now)));
  }

  function csrfToken() {
    const input = form.elements.namedItem("csrfmiddlewaretoken");
    return input ? input.value : "";
  }

  async function autosave() {
    saveTimer = null;
    if (inFlight || autosaveStopped || submitting) return;
    firstPendingAt = 0;
    syncTextarea();
    if (!isDirty()) return;
    const sent = snapshot();
    const data = new FormData(form);
    inFlight = (async () => {
      let response;
      try {
        response = await fetch(autosaveUrl, {
          method: "POST",
          body: data,
          headers: { "X-Requested-With": "fetch", "X-CSRFToken": csrfToken(), Accept: "application/json" },
          credentials: "same-origin",
          redirect: "manual",
          cache: "no-store",
        });
      } catch {
        setStatus(t("offline"), "error");
        return;
      }
      const isJson = (response.headers.get("Content-Type") || "").includes("application/json");
      if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        setStatus(t("session"), "error"); // logged out or CSRF token gone with the session
        return;
      }
      let payload = null;
      if (isJson) {
        try {
          payload = await response.json();
        } catch {
          payload = null;
        }
      }
      if (response.ok && payload && payload.version) {
        saved(payload, sent);
      } else if (response.status === 400 || response.status === 409) {
        // Refused: a newer version elsewhere, or text the server will not take. Saving again
        // would fail the same way, so autosave stops until the page is reloaded.
        autosaveStopped = true;
        setStatus((payload && payload.error) || t("refused"), "error");
      } else {
        setStatus(t("failed", { status: response.status }), "error");
      }
    })();
    try {
      await inFlight;
    } finally {
      inFlight = null;
    }
    if (isDirty()) scheduleAutosave(); // typed on while the request was under way
  }

  function saved(payload, sent) {
    if (versionInput) versionInput.value = String(payload.version);
    serverSnapshot = sent;
    serverUpdatedAt = Date.parse(payload.saved_at || "") || Date.now();
    if (payload.edit_url) {
      form.action = payload.edit_url;
      if (window.location.pathname !== payload.edit_url) {
        window.history.replaceState(window.history.state, "", payload.edit_url);
      }
    }
    if (payload.autosave_url) {
      autosaveUrl = payload.autosave_url;
      form.dataset.autosaveUrl = autosaveUrl;
    }
    if (storageKey && /-new$/.test(storageKey) && payload.id) {
      // The first autosave created the article: its copy moves to the article's own key.
      removeCopy(storageKey);
      storageKey = storageKey.replace(/-new$/, `-${payload.id}`);
      form.dataset.storageKey = storageKey;
    }
    storeCopy();
    setStatus(t("saved", { time: payload.saved_at_display }));
  }

  // --- Wiring ------------------------------------------------------------------------------

  let refreshTimer = null;
  function refresh() {
    clearTimeout(refreshTimer);
    refreshTimer = null;
    syncTextarea();
    updateCounter();
    if (!touched && !sameContent(snapshot(), initialSnapshot)) touched = true;
    if (!touched) return;
    storeCopySoon();
    if (isDirty()) scheduleAutosave();
  }
  function refreshSoon() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, REFRESH_DELAY);
  }

  editor.addEventListener("input", refreshSoon);
  for (const name of ["title", "lead"]) {
    const field = form.elements.namedItem(name);
    if (field) field.addEventListener("input", refreshSoon);
  }
  form.addEventListener("change", (event) => {
    if (event.target.name === "topics") refreshSoon();
  });

  let deferredSubmit = false;
  form.addEventListener("submit", (event) => {
    syncTextarea();
    if (inFlight) {
      // An autosave is under way and will bump the version: submit once it has answered, with
      // the new version, instead of tripping over our own autosave.
      event.preventDefault();
      if (!deferredSubmit) {
        deferredSubmit = true;
        const submitter = event.submitter;
        inFlight.finally(() => {
          deferredSubmit = false;
          if (submitter) form.requestSubmit(submitter);
          else form.requestSubmit();
        });
      }
      return;
    }
    clearTimeout(saveTimer);
    clearTimeout(refreshTimer);
    submitting = true;
    storeCopy();
  });
  // Back/forward cache: a page restored after a submit must save and warn again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) submitting = false;
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting) return;
    syncTextarea();
    storeCopy();
    if (isDirty()) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
  window.addEventListener("pagehide", () => {
    if (!submitting) storeCopy();
  });

  pruneOldCopies();
  offerRestore();
  if (hasErrors && isDirty()) {
    // The page shows text the server did not save (it refused the form): keep it safe.
    touched = true;
    storeCopy();
    scheduleAutosave();
  }
})();
