// @ts-check
// True or False, as two radio buttons.

import { isRightChoice, rightOptions, readChecked, showChecked, shuffleOptions } from "./options.js";

/** @type {import("../types.js").QuestionBehaviour} */
export const trueFalse = {
  arrange: shuffleOptions,
  read: readChecked,
  show: showChecked,
  isCorrect: isRightChoice,
  rightAnswer: rightOptions,
  // the interaction records "t" or "f", whatever the options are called
  response: function (question, answer) {
    return [question.truth[answer] || ""];
  },
  unanswered: "chooseAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: false,
};
