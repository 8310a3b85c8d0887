// @ts-check
// One right option among several, as radio buttons.

import { eachOption, isRightChoice, rightOptions, readChecked, showChecked, shuffleOptions } from "./options.js";

/** @type {import("../types.js").QuestionBehaviour} */
export const single = {
  arrange: shuffleOptions,
  read: readChecked,
  show: showChecked,
  isCorrect: isRightChoice,
  rightAnswer: rightOptions,
  response: eachOption,
  unanswered: "chooseAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: false,
};
