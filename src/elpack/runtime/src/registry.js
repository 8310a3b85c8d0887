// @ts-check
// Every question type and block behaviour, in one place. A question type is registered under
// the type string the runtime data carries (render.py `_question_data`); blocks are set up in
// this order when the page starts.

import { assessment } from "./blocks/assessment.js";
import { choice } from "./blocks/choice.js";
import { glossary } from "./blocks/glossary.js";
import { knowledgeCheck } from "./blocks/question.js";
import { reflection } from "./blocks/reflection.js";
import { reflectiveLog } from "./blocks/reflective-log.js";
import { likert } from "./questions/likert.js";
import { matching } from "./questions/matching.js";
import { multiple } from "./questions/multiple.js";
import { ordering } from "./questions/ordering.js";
import { single } from "./questions/single.js";
import { text } from "./questions/text.js";
import { trueFalse } from "./questions/true-false.js";

/** @type {Record<import("./types.js").QuestionType, import("./types.js").QuestionBehaviour>} */
export const questionTypes = {
  single: single,
  multiple: multiple,
  "true-false": trueFalse,
  matching: matching,
  ordering: ordering,
  text: text,
  likert: likert,
};

/** @type {import("./types.js").BlockBehaviour[]} */
export const blocks = [glossary, knowledgeCheck, reflection, choice, assessment, reflectiveLog];
