// @ts-check
// A short typed answer, right when it matches an accepted answer (ignoring case and spaces).

import { textAnswerLimit } from "../../suspend-format.json";
import { $ } from "../dom.js";
import { cleanText, fitStored, normalise } from "../text.js";
import { shuffleOptions, wholeAnswer } from "./options.js";

/**
 * @param {HTMLElement} fieldset
 * @returns {HTMLInputElement | null}
 */
function box(fieldset) {
  return $("input[type=text]", fieldset);
}

/** @type {import("../types.js").QuestionBehaviour} */
export const text = {
  arrange: shuffleOptions,
  read: function (fieldset) {
    const input = box(fieldset);
    const typed = cleanText(input ? input.value : "").replace(/\n/g, " ");
    return normalise(typed) ? fitStored(typed.trim(), textAnswerLimit) : "";
  },
  show: function (fieldset, question, answer) {
    const input = box(fieldset);
    if (input) input.value = answer;
  },
  fits: function (question, answer) {
    return answer.indexOf("\n") < 0 && answer === fitStored(cleanText(answer), textAnswerLimit);
  },
  isCorrect: function (question, answer) {
    return question.accepted.some(function (accepted) {
      return normalise(accepted) === normalise(answer);
    });
  },
  rightAnswer: function (fieldset, question) {
    return { title: question.accepted.length > 1 ? "anyAcceptedAnswer" : "correctAnswer",
      items: question.accepted, ordered: false };
  },
  response: wholeAnswer,
  unanswered: "typeAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: false,
};
