// @ts-check
// Knowledge checks: a question on a page, checked on its own with instant feedback.

import { checks, question, questionElements } from "../content.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { announce } from "../messages.js";
import {
  arrangeOptions, behaviourOf, interactionFor, readAnswer, showAnswer, showFeedback,
} from "../questions/question.js";
import { save } from "../save.js";
import { markRecorded, pageShownAt, progress, recordInteraction } from "../session.js";

/** @param {string} id */
function checkQuestion(id) {
  const answer = readAnswer(id);
  if (!answer) {
    announce(t(behaviourOf(id).unanswered), questionElements[id]);
    return;
  }
  progress.answers[checks.indexOf(id)] = answer;
  if (markRecorded(id)) recordInteraction(interactionFor(id, answer, Date.now() - pageShownAt));
  announce(showFeedback(id, answer), questionElements[id]);
  save(0);
}

/** @type {import("../types.js").BlockBehaviour} */
export const knowledgeCheck = {
  setUp: function () {
    checks.forEach(function (id, index) {
      arrangeOptions(id, progress.seed);
      const answer = progress.answers[index];
      if (answer && questionElements[id]) {
        showAnswer(id, answer);
        showFeedback(id, answer);
      }
    });
  },
  actions: {
    check: function (button) {
      const fieldset = button.closest("fieldset");
      if (fieldset && question(fieldset.id)) checkQuestion(fieldset.id);
    },
  },
  // an answer changed before it is checked (the assessment keeps it for resume)
  changed: function (target) {
    const fieldset = target.closest("fieldset[data-question]");
    if (!fieldset) return;
    const id = fieldset.id;
    hooks.answerChanged.forEach(function (changed) {
      changed(id);
    });
  },
};
