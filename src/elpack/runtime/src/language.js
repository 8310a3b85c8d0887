// @ts-check
// A bilingual package (module.yml 'bilingual: true') holds each of its languages' pages in the
// launch page, with the same element ids: one language in the document (#elpack-version), the
// others in <template>s. Changing language swaps in a fresh copy of the other language's pages;
// runtime.js then sets the blocks up again from the learner's progress, by the same path as a
// resume, so there is one state model, not one per language.

import { $$ } from "./dom.js";

/** @typedef {import("./types.js").RuntimeData} RuntimeData */

/** @type {Record<string, DocumentFragment>} each language's pages as the package holds them */
const pristine = {};

/** @returns {HTMLElement | null} the element holding the pages on screen (bilingual only) */
function liveVersion() {
  return document.getElementById("elpack-version");
}

/** @returns {RuntimeData} the runtime data of the pages in the document */
export function readData() {
  const dataElement = document.getElementById("elpack-data");
  return JSON.parse(String(dataElement ? dataElement.textContent : "null"));
}

/**
 * Keeps an untouched copy of every language's pages, before the blocks change any of them:
 * a language shown again starts from its copy, not from what the blocks left last time.
 */
export function keepVersions() {
  const live = liveVersion();
  if (!live) return;
  const kept = document.createDocumentFragment();
  Array.prototype.forEach.call(live.childNodes, function (/** @type {Node} */ node) {
    kept.appendChild(node.cloneNode(true));
  });
  pristine[live.lang] = kept;
  $$("template[data-language]").forEach(function (node) {
    const stored = /** @type {HTMLTemplateElement} */ (node);
    pristine[stored.getAttribute("data-language") || ""] = stored.content;
  });
}

/**
 * Puts a fresh copy of the pages of ``language`` in the document in place of those there.
 * @param {string} language
 * @returns {boolean} false when the package has no such language
 */
export function showVersion(language) {
  const live = liveVersion();
  const kept = pristine[language];
  if (!live || !kept) return false;
  live.replaceChildren(kept.cloneNode(true));
  live.lang = language;
  document.documentElement.lang = language;
  return true;
}

/** @param {boolean} chosen  a language has been chosen: show its pages, not the choice */
export function showChoice(chosen) {
  const choice = document.getElementById("elpack-language-choice");
  if (choice) choice.hidden = chosen;
  document.body.classList.toggle("language-chosen", chosen);
  if (!chosen) {
    // The choice's title is the module's title in each language, in the order offered.
    document.title = $$(".language-choice-line").map(function (line) {
      return (line.textContent || "").trim();
    }).join(" / ");
  }
}
