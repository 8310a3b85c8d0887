// @ts-check
// Every right option among several, as checkboxes.

import { $$ } from "../dom.js";
import { eachOption, isRightChoice, rightOptions, showChecked, shuffleOptions } from "./options.js";

/**
 * The checked options' ids, sorted: "ac".
 * @param {HTMLElement} fieldset
 * @returns {string}
 */
function readAllChecked(fieldset) {
  return $$("input:checked", fieldset)
    .map(function (input) { return /** @type {HTMLInputElement} */ (input).value; })
    .sort()
    .join("");
}

/** @type {import("../types.js").QuestionBehaviour} */
export const multiple = {
  arrange: shuffleOptions,
  read: readAllChecked,
  show: showChecked,
  isCorrect: isRightChoice,
  rightAnswer: rightOptions,
  response: eachOption,
  unanswered: "selectAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: false,
};
