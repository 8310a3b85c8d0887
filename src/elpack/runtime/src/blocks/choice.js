// @ts-check
// Branching choices: "What would you do?" Each option shows its consequence and may lead to a
// page of its own; Next follows the choice made.

import { $, $$, element, textOf } from "../dom.js";
import { choiceIds, choiceTargets, pageById } from "../content.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { announce } from "../messages.js";
import { save } from "../save.js";
import { markRecorded, pageShownAt, progress, recordInteraction } from "../session.js";

/** @typedef {import("../types.js").Page} Page */

/**
 * @param {HTMLElement} fieldset
 * @returns {number}
 */
function choiceOf(fieldset) {
  return choiceIds.indexOf(fieldset.id);
}

/**
 * @param {HTMLElement} fieldset
 * @param {string} option
 */
function showChoice(fieldset, option) {
  $$(".consequence", fieldset).forEach(function (note) {
    note.hidden = note.getAttribute("data-for") !== option;
  });
  $$("input", fieldset).forEach(function (input) {
    /** @type {HTMLInputElement} */ (input).checked = /** @type {HTMLInputElement} */ (input).value === option;
  });
  const page = fieldset.closest("section.page");
  if (!page) return;
  // an option without a page of its own goes on where the page goes (a changed mind included)
  const target = choiceTargets[fieldset.id][option] || pageById[page.getAttribute("data-page") || ""].next;
  /** @type {HTMLAnchorElement | null} */
  let next = $(".pagination .next", page);
  if (!target) {
    if (next) next.remove();
    return;
  }
  if (!next) {
    next = /** @type {HTMLAnchorElement} */ (element("a", "next", t("next")));
    next.rel = "next";
    /** @type {HTMLElement} */ ($(".pagination", page)).appendChild(next);
  }
  next.href = "#page-" + target;
}

/** @param {HTMLElement} fieldset */
function makeChoice(fieldset) {
  /** @type {HTMLInputElement | null} */
  const chosen = $("input:checked", fieldset);
  if (!chosen) {
    announce(t("chooseFirst"), fieldset);
    return;
  }
  const index = choiceOf(fieldset);
  progress.choices[index] = chosen.value;
  showChoice(fieldset, chosen.value);
  if (markRecorded(fieldset.id)) {
    recordInteraction({
      id: fieldset.id,
      type: "choice",
      response: [chosen.value],
      result: "neutral",
      pattern: "",
      weighting: 0,
      latency: Date.now() - pageShownAt,
      description: textOf($("legend", fieldset)),
    });
  }
  const consequence = $('.consequence[data-for="' + CSS.escape(chosen.value) + '"]', fieldset);
  const label = textOf($('label[for="' + CSS.escape(chosen.id) + '"]', fieldset));
  const target = choiceTargets[fieldset.id][chosen.value];
  announce(t("youChose", { choice: label }) + " " + textOf(consequence) +
    (target ? " " + t("selectNext") : ""), fieldset);
  save(0);
}

/**
 * The first unmade choice on a page that leads somewhere: Next waits for it.
 * @param {Page} page
 * @returns {HTMLElement | undefined}
 */
function pendingChoice(page) {
  return $$("fieldset[data-choice]", page.element).filter(function (fieldset) {
    const targets = choiceTargets[fieldset.id] || {};
    const leads = Object.keys(targets).some(function (key) { return targets[key]; });
    return leads && !progress.choices[choiceOf(fieldset)];
  })[0];
}

/**
 * @param {Page} page
 * @returns {boolean} true when Next must wait
 */
function waitForChoice(page) {
  const waiting = pendingChoice(page);
  if (!waiting) return false;
  announce(t("makeChoiceFirst"), waiting);
  const first = $("input", waiting);
  if (first) first.focus();
  return true;
}

/** @type {import("../types.js").BlockBehaviour} */
export const choice = {
  setUp: function () {
    hooks.nextGuards.push(waitForChoice);
    $$("fieldset[data-choice]").forEach(function (fieldset) {
      const option = progress.choices[choiceOf(fieldset)];
      if (option) showChoice(fieldset, option);
    });
  },
  actions: {
    choose: function (button) {
      const fieldset = button.closest("fieldset");
      if (fieldset) makeChoice(fieldset);
    },
  },
};
