// @ts-check
// Items matched to partners, one select per item. An answer holds each item's partner number
// in base 36, in the written order of the items: "213".

import { $, $$, wordsOf } from "../dom.js";
import { tParts } from "../i18n.js";
import { shuffled } from "../random.js";
import { shuffleOptions } from "./options.js";

/** @typedef {import("../types.js").QuestionData} QuestionData */

/**
 * @param {HTMLElement} fieldset
 * @param {string} option
 * @returns {HTMLSelectElement | null}
 */
function selectFor(fieldset, option) {
  return $('select[data-item="' + CSS.escape(option) + '"]', fieldset);
}

/**
 * "a.2,b.1": each item with its partner, as the correct-response pattern writes it.
 * @param {QuestionData} question
 * @param {string} answer
 * @returns {string}
 */
function pairsText(question, answer) {
  return question.options
    .map(function (option, index) {
      return option + "." + answer.charAt(index);
    })
    .join(",");
}

/** @type {import("../types.js").QuestionBehaviour} */
export const matching = {
  // The page lists the partners in the order that gives the answer away: always shuffled.
  arrange: function (fieldset, question, random) {
    $$("select", fieldset).forEach(function (select) {
      const choices = $$("option", select).slice(1).sort(function (a, b) {
        return Number(/** @type {HTMLOptionElement} */ (a).value) - Number(/** @type {HTMLOptionElement} */ (b).value);
      });
      shuffled(choices, random).forEach(function (choice) {
        select.appendChild(choice);
      });
    });
    shuffleOptions(fieldset, question, random);
  },
  read: function (fieldset, question) {
    const numbers = question.options.map(function (option) {
      const select = selectFor(fieldset, option);
      return select && select.value ? Number(select.value).toString(36) : "0";
    });
    return numbers.indexOf("0") >= 0 ? "" : numbers.join("");
  },
  show: function (fieldset, question, answer) {
    question.options.forEach(function (option, index) {
      const select = selectFor(fieldset, option);
      const number = answer ? parseInt(answer.charAt(index), 36) : 0;
      if (select) select.value = number ? String(number) : "";
    });
  },
  // a partner number (1-35, base 36) for every item
  fits: function (question, answer) {
    return answer.length === question.options.length && /^[1-9a-z]+$/.test(answer);
  },
  isCorrect: function (question, answer) {
    return pairsText(question, answer) === question.pattern;
  },
  // each item with its partner, from the pattern ("a.2,b.1") and the page's own words
  rightAnswer: function (fieldset, question) {
    return {
      title: "correctMatches",
      items: question.pattern.split(",").map(function (pair) {
        const dot = pair.indexOf(".");
        const select = selectFor(fieldset, pair.slice(0, dot));
        const number = String(parseInt(pair.slice(dot + 1), 36));
        const partner = $('option[value="' + number + '"]', select);
        return tParts("matchedWith", { item: wordsOf(select && select.labels[0]), match: wordsOf(partner) });
      }),
      ordered: false,
    };
  },
  // base 36, one character per partner, as SCORM 1.2 wants
  response: function (question, answer) {
    return question.options.map(function (option, index) {
      return /** @type {[string, string]} */ ([option, answer.charAt(index)]);
    });
  },
  unanswered: "chooseMatchFirst",  // a key of runtime/messages.json
  explainsEveryItem: true,
};
