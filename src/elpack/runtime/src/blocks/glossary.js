// @ts-check
// Glossary terms open their definition in place (not hover-only), as a disclosure.

import { $$, element, languageOf, wordsOf } from "../dom.js";

/** @param {HTMLButtonElement} button */
function toggle(button) {
  const note = document.getElementById(button.getAttribute("aria-controls") || "");
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  if (note) note.hidden = !open;
}

/** @type {import("../types.js").BlockBehaviour} */
export const glossary = {
  setUp: function () {
    $$("a.term").forEach(function (link, index) {
      const target = document.getElementById((link.getAttribute("href") || "").slice(1));
      const definition = target && target.nextElementSibling;
      if (!definition) return;
      const button = /** @type {HTMLButtonElement} */ (element("button", "term"));
      button.type = "button";
      button.textContent = link.textContent;
      button.setAttribute("aria-expanded", "false");
      const note = element("span", "term-definition");
      note.id = "term-note-" + index;
      note.hidden = true;
      // The words keep the lang of the glossary's English left in a translated module.
      const term = element("strong");
      term.append(wordsOf(target), ": ");
      note.appendChild(term);
      note.appendChild(wordsOf(definition));
      button.setAttribute("aria-controls", note.id);
      button.addEventListener("click", function () {
        toggle(button);
      });
      link.replaceWith(button);
      button.insertAdjacentElement("afterend", note);
      // a term in a passage of another language: the note is in the glossary's language
      const glossaryLanguage = languageOf(target.parentElement);
      if (languageOf(note.parentElement) !== glossaryLanguage) note.lang = glossaryLanguage;
    });
  },
};
