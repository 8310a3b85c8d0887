// @ts-check
// Small DOM helpers.

/**
 * The first match of ``selector``; a missing scope (null) finds nothing, rather than
 * searching the whole document.
 * @template {Element} [T=HTMLElement]
 * @param {string} selector
 * @param {ParentNode | null} [scope]
 * @returns {T | null}
 */
export function $(selector, scope) {
  if (scope === null) return null;
  return /** @type {T | null} */ ((scope || document).querySelector(selector));
}

/**
 * Every match of ``selector``, as an array.
 * @template {Element} [T=HTMLElement]
 * @param {string} selector
 * @param {ParentNode | null} [scope]
 * @returns {T[]}
 */
export function $$(selector, scope) {
  if (scope === null) return [];
  return /** @type {T[]} */ (Array.prototype.slice.call((scope || document).querySelectorAll(selector)));
}

/**
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * @param {Node | null | undefined} node
 * @returns {string}
 */
export function textOf(node) {
  return node ? String(node.textContent).replace(/\s+/g, " ").trim() : "";
}

/**
 * The language of ``node``'s text: its nearest lang attribute ("" if none).
 * @param {Node | null | undefined} node
 * @returns {string}
 */
export function languageOf(node) {
  const parent = node && (node.nodeType === Node.ELEMENT_NODE ? /** @type {Element} */ (node) : node.parentElement);
  const marked = parent && parent.closest("[lang]");
  return marked ? String(marked.getAttribute("lang")) : "";
}

/**
 * The words of ``source`` as textOf gives them, to put into another element: a run in another
 * language than the place ``source`` sits in (English left in a translated module, marked with
 * lang) goes into a span with that lang, so that a screen reader still speaks it as English.
 * @param {Element | null | undefined} source
 * @returns {DocumentFragment}
 */
export function wordsOf(source) {
  const words = document.createDocumentFragment();
  if (!source) return words;
  const place = languageOf(source.parentElement);
  /** @type {{ language: string, text: string }[]} */
  const runs = [];
  let spaced = true;  // the words so far end with a space (or there are none)
  const walker = document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    let text = String(node.textContent).replace(/\s+/g, " ");
    if (spaced) text = text.replace(/^ /, "");
    if (!text) continue;
    spaced = text.charAt(text.length - 1) === " ";
    const language = text.trim() ? languageOf(node) : place;
    const last = runs[runs.length - 1];
    if (last && (last.language === language || !text.trim())) last.text += text;
    else runs.push({ language: language, text: text });
  }
  while (runs.length && !runs[runs.length - 1].text.trim()) runs.pop();
  if (runs.length) runs[runs.length - 1].text = runs[runs.length - 1].text.replace(/ $/, "");
  runs.forEach(function (run) {
    if (run.language === place) {
      words.appendChild(document.createTextNode(run.text));
      return;
    }
    const span = element("span", "", run.text);
    span.lang = run.language;
    words.appendChild(span);
  });
  return words;
}

/**
 * @param {string} id
 * @returns {HTMLElement | null}
 */
export function byId(id) {
  return document.getElementById(id);
}
