// @ts-check
// What the question types share: option rows, their seeded order, and checked inputs.

import { $, $$, wordsOf } from "../dom.js";
import { shuffled } from "../random.js";

/** @typedef {import("../types.js").QuestionData} QuestionData */
/** @typedef {import("../types.js").RightAnswer} RightAnswer */

/**
 * @param {HTMLElement} fieldset
 * @returns {HTMLElement[]}
 */
function optionRows(fieldset) {
  return $$(".option", fieldset);
}

/**
 * Nodes sorted into the written order, so that an arrangement depends on the seed alone and not
 * on what the learner did to the page before.
 * @template T
 * @param {T[]} nodes
 * @param {(node: T) => string} idOf
 * @param {string[]} written  ids in written order
 * @returns {T[]}
 */
export function inWrittenOrder(nodes, idOf, written) {
  return nodes.slice().sort(function (a, b) {
    return written.indexOf(idOf(a)) - written.indexOf(idOf(b));
  });
}

/**
 * Option order: shuffled (seeded) where the writer allows it.
 * @param {HTMLElement} fieldset
 * @param {QuestionData} question
 * @param {() => number} random
 */
export function shuffleOptions(fieldset, question, random) {
  if (!question.shuffle) return;
  const rows = inWrittenOrder(optionRows(fieldset), function (row) {
    /** @type {HTMLInputElement | null} */
    const control = $("input, select", row);
    return control ? control.getAttribute("data-item") || control.value : "";
  }, question.options);
  if (!rows.length) return;
  const last = optionRows(fieldset).pop();
  const anchor = last ? last.nextSibling : null;
  const parent = rows[0].parentNode;
  if (!parent) return;
  shuffled(rows, random).forEach(function (row) {
    parent.insertBefore(row, anchor);
  });
}

/**
 * The checked option's id, or "".
 * @param {HTMLElement} fieldset
 * @returns {string}
 */
export function readChecked(fieldset) {
  /** @type {HTMLInputElement | null} */
  const chosen = $("input:checked", fieldset);
  return chosen ? chosen.value : "";
}

/**
 * Checks the options whose ids the answer holds.
 * @param {HTMLElement} fieldset
 * @param {QuestionData} question
 * @param {string} answer
 */
export function showChecked(fieldset, question, answer) {
  $$("input", fieldset).forEach(function (input) {
    const box = /** @type {HTMLInputElement} */ (input);
    box.checked = answer.indexOf(box.value) >= 0 && box.value.length === 1;
  });
}

/**
 * Right when exactly the right options are chosen.
 * @param {QuestionData} question
 * @param {string} answer
 * @returns {boolean}
 */
export function isRightChoice(question, answer) {
  return answer === question.correct.slice().sort().join("");
}

/**
 * One response part per chosen option.
 * @param {QuestionData} question
 * @param {string} answer
 * @returns {string[]}
 */
export function eachOption(question, answer) {
  return answer.split("");
}

/**
 * The answer as one response part.
 * @param {QuestionData} question
 * @param {string} answer
 * @returns {string[]}
 */
export function wholeAnswer(question, answer) {
  return [answer];
}

/**
 * The right options' labels, in the order the page shows them.
 * @param {HTMLElement} fieldset
 * @param {QuestionData} question
 * @returns {RightAnswer}
 */
export function rightOptions(fieldset, question) {
  const items = $$("input", fieldset)
    .filter(function (input) {
      return question.correct.indexOf(/** @type {HTMLInputElement} */ (input).value) >= 0;
    })
    .map(function (input) {
      const labels = /** @type {HTMLInputElement} */ (input).labels;
      return wordsOf(labels && labels[0]);
    });
  return { title: items.length > 1 ? "correctAnswers" : "correctAnswer", items: items, ordered: false };
}
