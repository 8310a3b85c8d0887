// @ts-check
// An opinion scale: no right answer, never scored.

import { readChecked, showChecked, shuffleOptions, wholeAnswer } from "./options.js";

/** @type {import("../types.js").QuestionBehaviour} */
export const likert = {
  arrange: shuffleOptions,
  read: readChecked,
  show: showChecked,
  isCorrect: function () {
    return null;
  },
  response: wholeAnswer,
  unanswered: "chooseAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: false,
};
