// @ts-check
// Messages to the learner, through live regions. A message about a block (a question's
// feedback, a choice, a reflection, the assessment, the log) goes to that block's own region,
// next to what caused it; the page-level region (visually hidden) has the rest. Every region
// is cleared when another page is shown, so no message outlives its page.

import { $$ } from "./dom.js";

/** @type {Map<Element, number>} messages waiting to be written (see announce) */
const pending = new Map();

/**
 * The live region of the block ``near`` belongs to: the nearest enclosing block with a
 * region of its own (.block-status), else the page-level #elpack-status.
 * @param {Element | null | undefined} near
 * @returns {HTMLElement | null}
 */
function regionFor(near) {
  for (let node = near || null; node; node = node.parentElement) {
    const own = Array.prototype.filter.call(node.children, function (/** @type {Element} */ child) {
      return child.classList.contains("block-status");
    })[0];
    if (own) return own;
    if (node.classList.contains("page")) break;
  }
  return document.getElementById("elpack-status");
}

/**
 * A polite message, shown and announced next to ``near`` (the control or block it is about).
 * @param {string} message
 * @param {Element | null} [near]
 */
export function announce(message, near) {
  const region = regionFor(near);
  if (!region) return;
  // Clearing first makes screen readers repeat a message that happens to be the same again.
  region.textContent = "";
  window.clearTimeout(pending.get(region));
  pending.set(region, window.setTimeout(function () {
    pending.delete(region);
    region.textContent = message;
  }, 50));
}

/** Clears every message, and those about to be written: a new page starts with none. */
export function clearMessages() {
  pending.forEach(function (timer) {
    window.clearTimeout(timer);
  });
  pending.clear();
  $$(".block-status, #elpack-status").forEach(function (region) {
    region.textContent = "";
  });
}

/**
 * A message that must not be missed; "" clears it.
 * @param {string} message
 */
export function alertLearner(message) {
  const alertRegion = document.getElementById("elpack-alert");
  if (!alertRegion) return announce(message);
  alertRegion.textContent = message;
}
