// @ts-check
// Items put in order with Move up and Move down buttons. An answer is the item ids in the
// learner's order: "cab".

import { $, $$, textOf, wordsOf } from "../dom.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { announce } from "../messages.js";
import { shuffled } from "../random.js";
import { inWrittenOrder } from "./options.js";

/**
 * @param {HTMLElement} fieldset
 * @returns {HTMLElement | null}
 */
function list(fieldset) {
  return $("ol.ordering", fieldset);
}

/**
 * @param {HTMLElement | null} parent
 * @returns {HTMLElement[]}
 */
function items(parent) {
  return $$(":scope > li[data-item]", parent);
}

/**
 * @param {HTMLElement} button
 * @param {number} direction  -1 up, 1 down
 */
function moveItem(button, direction) {
  const item = /** @type {HTMLElement} */ (button.closest("li[data-item]"));
  const parent = /** @type {HTMLElement} */ (item.parentNode);
  const siblings = items(parent);
  const index = siblings.indexOf(item);
  const target = index + direction;
  const name = textOf($(".item-text", item));
  if (target < 0 || target >= siblings.length) {
    announce(t(direction < 0 ? "alreadyFirst" : "alreadyLast", { item: name }), button);
    return;
  }
  if (direction < 0) parent.insertBefore(item, siblings[target]);
  else parent.insertBefore(item, siblings[target].nextSibling);
  button.focus();
  announce(t("movedTo", { item: name, position: target + 1, total: siblings.length }), button);
  const fieldset = button.closest("fieldset[data-question]");
  if (fieldset) {
    const id = fieldset.id;
    hooks.answerChanged.forEach(function (changed) {
      changed(id);
    });
  }
}

/** @type {import("../types.js").QuestionBehaviour} */
export const ordering = {
  // Ordering items always start out of order.
  arrange: function (fieldset, question, random) {
    const parent = list(fieldset);
    const written = inWrittenOrder(items(parent), function (item) {
      return item.getAttribute("data-item") || "";
    }, question.options);
    const order = shuffled(written, random);
    if (order.length > 1 && order.every(function (item, index) { return item === written[index]; })) {
      order.push(/** @type {HTMLElement} */ (order.shift()));
    }
    order.forEach(function (item) {
      if (parent) parent.appendChild(item);
    });
  },
  read: function (fieldset) {
    return items(list(fieldset))
      .map(function (item) { return item.getAttribute("data-item"); })
      .join("");
  },
  show: function (fieldset, question, answer) {
    if (!answer) return;
    const parent = list(fieldset);
    answer.split("").forEach(function (option) {
      const item = $('li[data-item="' + CSS.escape(option) + '"]', parent);
      if (item && parent) parent.appendChild(item);
    });
  },
  isCorrect: function (question, answer) {
    return answer === question.options.join("");
  },
  rightAnswer: function (fieldset, question) {
    const parent = list(fieldset);
    return {
      title: "correctOrder",
      items: question.options.map(function (option) {
        return wordsOf($('li[data-item="' + CSS.escape(option) + '"] .item-text', parent));
      }),
      ordered: true,
    };
  },
  response: function (question, answer) {
    return answer.split("");
  },
  unanswered: "chooseAnswerFirst",  // a key of runtime/messages.json
  explainsEveryItem: true,
  actions: {
    up: function (button) {
      moveItem(button, -1);
    },
    down: function (button) {
      moveItem(button, 1);
    },
  },
};
