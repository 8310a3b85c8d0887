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
 * @param {string} id
 * @returns {HTMLElement | null}
 */
export function byId(id) {
  return document.getElementById(id);
}
