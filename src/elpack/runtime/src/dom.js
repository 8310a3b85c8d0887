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
  const marked = node && (node instanceof Element ? node : node.parentElement);
  const found = marked && marked.closest("[lang]");
  return found ? String(found.getAttribute("lang")) : "";
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
  const place = languageOf(source && source.parentElement);
  /** @type {[string, string][]} each run's language and text */
  const runs = [];
  const walker = source && document.createTreeWalker(source, NodeFilter.SHOW_TEXT);
  for (let node = walker && walker.nextNode(); walker && node; node = walker.nextNode()) {
    const last = runs[runs.length - 1];
    const language = languageOf(node);
    if (last && last[0] === language) last[1] += node.textContent;
    else runs.push([language, String(node.textContent)]);
  }
  runs.forEach(function (run, index) {
    let text = run[1].replace(/\s+/g, " ");
    if (!index) text = text.trimStart();
    if (index === runs.length - 1) text = text.trimEnd();
    if (run[0] === place) return words.append(text);
    const span = element("span", "", text);
    span.lang = run[0];
    words.append(span);
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
