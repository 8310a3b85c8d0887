// @ts-check
// What every question does, whatever its type: the seeded option order, reading and showing an
// answer, marking it, feedback, and its LMS interaction. The type-specific parts are the
// question types' behaviours (registry.js), looked up by the type the runtime data names.

import { $, $$, element, textOf } from "../dom.js";
import { question, questionElements } from "../content.js";
import { t } from "../i18n.js";
import { generator, hashText } from "../random.js";
import { normalise } from "../text.js";

/** @typedef {import("../types.js").QuestionBehaviour} QuestionBehaviour */
/** @typedef {import("../lms/adapter.js").Interaction} Interaction */

/** @type {Record<string, QuestionBehaviour>} */
let types = {};

/** @param {Record<string, QuestionBehaviour>} registered */
export function useQuestionTypes(registered) {
  types = registered;
}

/**
 * @param {string} id
 * @returns {QuestionBehaviour}
 */
export function behaviourOf(id) {
  return types[question(id).type];
}

/**
 * Puts the options of question ``id`` in the order ``seed`` gives.
 * @param {string} id
 * @param {string} seed
 */
export function arrangeOptions(id, seed) {
  const fieldset = questionElements[id];
  if (!fieldset) return;
  behaviourOf(id).arrange(fieldset, question(id), generator(hashText(seed + ":" + id)));
}

/**
 * The learner's answer on screen, in its stored form ("" while unanswered).
 * @param {string} id
 * @returns {string}
 */
export function readAnswer(id) {
  return behaviourOf(id).read(questionElements[id], question(id));
}

/**
 * @param {string} id
 * @param {string} answer
 */
export function showAnswer(id, answer) {
  behaviourOf(id).show(questionElements[id], question(id), answer);
}

/**
 * true, false, or null for questions without a right answer (opinion scales)
 * @param {string} id
 * @param {string} answer
 * @returns {boolean | null}
 */
export function isCorrect(id, answer) {
  return behaviourOf(id).isCorrect(question(id), answer);
}

/**
 * @param {string} id
 * @param {string} answer
 * @param {number} latency  milliseconds
 * @returns {Interaction}
 */
export function interactionFor(id, answer, latency) {
  const data = question(id);
  const correct = isCorrect(id, answer);
  return {
    id: id,
    type: data.interaction,
    response: behaviourOf(id).response(data, answer),
    result: correct === null ? "neutral" : correct ? "correct" : "wrong",
    pattern: data.pattern,
    weighting: data.scored ? 1 : 0,
    latency: latency,
    description: textOf(document.getElementById(id + "-prompt")) || textOf($("legend", questionElements[id])),
  };
}

/**
 * Shows the feedback for ``answer``; returns the words to announce.
 * @param {string} id
 * @param {string} answer
 * @returns {string}
 */
export function showFeedback(id, answer) {
  const fieldset = questionElements[id];
  const correct = isCorrect(id, answer);
  const box = $(".feedback", fieldset);
  fieldset.classList.toggle("is-correct", correct === true);
  fieldset.classList.toggle("is-incorrect", correct === false);
  const everyItem = behaviourOf(id).explainsEveryItem;
  $$(".option-feedback", fieldset).forEach(function (note) {
    // Matching and ordering feedback explains each item, so all of it is shown; short-text
    // feedback belongs to the answer the learner typed; otherwise, to the options chosen.
    const written = note.getAttribute("data-answer");
    note.hidden = everyItem ? false
      : written !== null ? normalise(written) !== normalise(answer)
      : answer.indexOf(/** @type {string} */ (note.getAttribute("data-for"))) < 0;
  });
  if (!box) return "";
  let result = $(".feedback-result", box);
  if (!result) {
    result = element("p", "feedback-result");
    box.insertBefore(result, box.firstChild);
  }
  result.textContent = correct === null ? "" : correct ? t("correct") : t("notQuiteRight");
  result.hidden = correct === null;
  const right = $(".feedback-correct", box);
  const wrong = $(".feedback-incorrect", box);
  if (right) right.hidden = correct !== true;
  if (wrong) wrong.hidden = correct !== false;
  box.hidden = false;
  const spoken = [result.textContent];
  $$(".option-feedback", fieldset).forEach(function (note) {
    if (!note.hidden) spoken.push(textOf(note));
  });
  $$(":scope > div", box).forEach(function (part) {
    if (!part.hidden) spoken.push(textOf(part));
  });
  return spoken.join(" ").trim();
}

/**
 * Adds the right answer of question ``id`` to its feedback, in words, for the results review.
 * @param {string} id
 */
export function showRightAnswer(id) {
  const fieldset = questionElements[id];
  const behaviour = behaviourOf(id);
  const box = $(".feedback", fieldset);
  if (!box || !behaviour.rightAnswer) return;
  removeRightAnswer(fieldset);
  const right = behaviour.rightAnswer(fieldset, question(id));
  const part = element("div", "right-answer");
  part.appendChild(element("p", "right-answer-title", t(right.title)));
  const list = element(right.ordered ? "ol" : "ul");
  right.items.forEach(function (item) {
    const entry = element("li");
    entry.append(item);
    list.appendChild(entry);
  });
  part.appendChild(list);
  const result = $(".feedback-result", box);
  box.insertBefore(part, result ? result.nextSibling : box.firstChild);
}

/** @param {HTMLElement} fieldset */
function removeRightAnswer(fieldset) {
  $$(".right-answer", fieldset).forEach(function (part) {
    part.remove();
  });
}

/** @param {string} id */
export function hideFeedback(id) {
  const fieldset = questionElements[id];
  removeRightAnswer(fieldset);
  fieldset.classList.remove("is-correct", "is-incorrect");
  const box = $(".feedback", fieldset);
  if (box) box.hidden = true;
  $$(".option-feedback", fieldset).forEach(function (note) {
    note.hidden = true;
  });
}
