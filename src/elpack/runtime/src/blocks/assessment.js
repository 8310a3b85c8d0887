// @ts-check
// The final assessment: N of M drawn per attempt, scored together on submission.

import { maxAttempts } from "../../suspend-format.json";
import { $, $$, element } from "../dom.js";
import { data, pool, question, questionElements } from "../content.js";
import { hooks } from "../hooks.js";
import { t, tn } from "../i18n.js";
import { announce } from "../messages.js";
import {
  arrangeOptions, hideFeedback, interactionFor, isCorrect, readAnswer, showAnswer, showFeedback, showRightAnswer,
} from "../questions/question.js";
import { drawQuestions, generator, hashText, newSeed } from "../random.js";
import { save } from "../save.js";
import {
  attemptsLeft, lessonMode, lms, passMark, priorScore, progress, recordInteraction, reviewMode,
} from "../session.js";

/** @typedef {import("../types.js").TestProgress} TestProgress */

let attemptStartedAt = Date.now();
/** @type {Record<string, number>} when each drawn question was last answered */
let answeredAt = {};

/** @returns {HTMLElement | null} */
function assessmentElement() {
  return data.assessment ? document.getElementById(data.assessment.id) : null;
}

/** @returns {TestProgress} */
function test() {
  return /** @type {TestProgress} */ (progress.test);
}

/** @returns {HTMLElement | null} the assessment's heading: its own h2, or the page's h1 where
 * that already says "Final assessment" (the template leaves the h2 out, not to say it twice) */
function assessmentHeading() {
  const box = assessmentElement();
  return box ? document.getElementById(box.getAttribute("aria-labelledby") || "") : null;
}

/** @returns {HTMLElement} the paragraph holding the Submit button */
function submitRow() {
  const button = /** @type {HTMLElement} */ ($('[data-action="submit-assessment"]', assessmentElement()));
  return /** @type {HTMLElement} */ (button.closest("p"));
}

/** @returns {HTMLElement} */
function resultsBox() {
  return /** @type {HTMLElement} */ ($(".results", assessmentElement()));
}

function startAttempt() {
  const attempt = test();
  const draw = data.assessment ? data.assessment.draw : 0;
  attempt.seed = newSeed();
  const random = generator(hashText(attempt.seed + ":draw"));
  const strata = data.assessment ? data.assessment.strata : undefined;
  attempt.drawn = drawQuestions(pool, draw, strata, random);
  attempt.answers = attempt.drawn.map(function () {
    return "";
  });
  attempt.score = -1;
  attempt.done = false;
  attemptStartedAt = Date.now();
  answeredAt = {};
}

function layOutAttempt() {
  const attempt = test();
  const row = submitRow();
  pool.forEach(function (id) {
    const fieldset = questionElements[id];
    fieldset.hidden = attempt.drawn.indexOf(id) < 0;
    $$("input, select, textarea, button", fieldset).forEach(function (node) {
      const control = /** @type {HTMLInputElement} */ (node);
      control.disabled = false;
      if (control.type === "radio" || control.type === "checkbox") control.checked = false;
      else if (control.tagName !== "BUTTON") control.value = "";
    });
    hideFeedback(id);
  });
  attempt.drawn.forEach(function (id, index) {
    const fieldset = questionElements[id];
    /** @type {ParentNode} */ (row.parentNode).insertBefore(fieldset, row);
    arrangeOptions(id, attempt.seed);
    showAnswer(id, attempt.answers[index]);
    const legend = /** @type {HTMLElement} */ ($("legend", fieldset));
    let number = $(".question-number", legend);
    if (!number) {
      number = element("span", "question-number");
      legend.insertBefore(number, legend.firstChild);
    }
    number.textContent = t("questionNumber", { number: index + 1, total: attempt.drawn.length });
  });
  row.hidden = attempt.done;
  const results = resultsBox();
  results.hidden = true;
  results.textContent = "";
  if (attempt.done) showResults(false);
  else if (lessonMode === "review") {
    // a finished attempt under review: nothing to submit, and nothing would be recorded
    row.hidden = true;
    attempt.drawn.forEach(function (id) {
      $$("input, select, textarea, button", questionElements[id]).forEach(function (control) {
        /** @type {HTMLInputElement} */ (control).disabled = true;
      });
    });
    results.appendChild(element("p", "", t("reviewNoAttempt")));
    results.hidden = false;
  }
}

/**
 * Opinion scales in the draw are never scored: they count neither as right nor as wrong.
 * @param {TestProgress} attempt
 * @returns {number}
 */
function scoredCount(attempt) {
  return attempt.drawn.filter(function (id) {
    return question(id).scored;
  }).length;
}

/**
 * Marks a drawn question as not answered (``message``), or clears the mark (""): its inline
 * error message, aria-invalid and aria-describedby on its fieldset, and the theme's error
 * class on its group (the NHS.UK error message pattern).
 * @param {string} id
 * @param {string} message
 */
function markUnanswered(id, message) {
  const fieldset = questionElements[id];
  const error = document.getElementById(id + "-error");
  if (!fieldset || !error) return;
  error.textContent = "";
  if (message) {
    error.appendChild(element("span", "visually-hidden", t("errorPrefix")));
    error.appendChild(document.createTextNode(message));
  }
  error.hidden = !message;
  const described = (fieldset.getAttribute("aria-describedby") || "").split(" ").filter(function (name) {
    return name && name !== error.id;
  });
  if (message) {
    fieldset.setAttribute("aria-invalid", "true");
    described.push(error.id);
  } else fieldset.removeAttribute("aria-invalid");
  if (described.length) fieldset.setAttribute("aria-describedby", described.join(" "));
  else fieldset.removeAttribute("aria-describedby");
  const group = fieldset.closest("[data-group]");
  const errorClass = group && group.getAttribute("data-error-class");
  if (group) group.classList.toggle("is-error", Boolean(message));
  if (group && errorClass) group.classList.toggle(errorClass, Boolean(message));
}

/** @returns {HTMLElement | null} the error summary above the questions */
function errorSummary() {
  return $(".error-summary", assessmentElement());
}

/** Takes every "not answered" mark away, and the summary with them. */
function clearUnanswered() {
  const summary = errorSummary();
  if (summary) summary.hidden = true;
  pool.forEach(function (id) {
    markUnanswered(id, "");
  });
}

/**
 * The NHS.UK error summary: a link to each question not answered, each question marked, and
 * focus on the summary, which screen readers then read out.
 * @param {string[]} answers  per drawn question, "" where not answered
 */
function showUnanswered(answers) {
  const attempt = test();
  const summary = errorSummary();
  const list = $(".error-summary-list", summary);
  if (list) list.textContent = "";
  attempt.drawn.forEach(function (id, index) {
    const message = answers[index] ? "" : t("answerQuestion", { number: index + 1 });
    markUnanswered(id, message);
    if (!message || !list) return;
    const first = $("input, select, button", questionElements[id]);
    const link = /** @type {HTMLAnchorElement} */ (element("a", "", message));
    link.href = "#" + (first && first.id ? first.id : id);
    const item = element("li");
    item.appendChild(link);
    list.appendChild(item);
  });
  if (!summary) return;
  summary.hidden = false;
  summary.focus();
}

function submitAssessment() {
  const attempt = test();
  const answers = attempt.drawn.map(readAnswer);
  if (answers.indexOf("") >= 0) {
    showUnanswered(answers);
    return;
  }
  clearUnanswered();
  attempt.answers = answers;
  const right = attempt.drawn.filter(function (id, index) {
    return isCorrect(id, answers[index]);
  }).length;
  // Rounded down, so that nobody passes below the mark; the LMS compares this same number.
  const total = scoredCount(attempt);
  const score = total ? Math.floor((100 * right) / total) : 100;
  attempt.score = score;
  attempt.best = Math.max(attempt.best, score);
  attempt.attempts = Math.min(attempt.attempts + 1, maxAttempts);
  attempt.done = true;
  attempt.drawn.forEach(function (id, index) {
    recordInteraction(interactionFor(id, answers[index], (answeredAt[id] || Date.now()) - attemptStartedAt));
  });
  // Never below a score the LMS already holds: Moodle would turn an earlier pass into a fail.
  if (!reviewMode) lms.saveScore(Math.max(attempt.best, priorScore));
  showResults(true);
  save(0);
}

/** @param {boolean} announceIt */
function showResults(announceIt) {
  const attempt = test();
  const results = resultsBox();
  results.textContent = "";
  const passed = attempt.score >= passMark;
  // after_pass: the answers would otherwise be there to copy into the next attempt
  const showing = data.assessment ? data.assessment.showCorrectAnswers : "never";
  const reveal = showing === "always" || (showing === "after_pass" && attempt.best >= passMark);
  let right = 0;
  attempt.drawn.forEach(function (id, index) {
    const fieldset = questionElements[id];
    showFeedback(id, attempt.answers[index]);
    const correct = isCorrect(id, attempt.answers[index]);
    if (correct) right += 1;
    if (correct === false && reveal) showRightAnswer(id);
    $$("input, select, textarea, button", fieldset).forEach(function (control) {
      /** @type {HTMLInputElement} */ (control).disabled = true;
    });
  });
  const named = assessmentHeading();
  const heading = element(named && named.tagName === "H1" ? "h2" : "h3", "results-title", t("yourResult"));
  heading.tabIndex = -1;
  results.appendChild(heading);
  const summary =
    t("youScored", { score: attempt.score, right: right, total: scoredCount(attempt) }) + " " +
    (passed ? t("youPassed", { mark: passMark }) : t("youNeedToPass", { mark: passMark }));
  results.appendChild(element("p", "results-score " + (passed ? "is-passed" : "is-failed"), summary));
  const left = attemptsLeft();
  let next = "";
  if (reviewMode) {
    // The LMS records nothing now: no "Try again", which would only pretend to count.
    results.appendChild(element("p", "", (lessonMode === "review" ?
      t("reviewResult") : t("previewResult")) + " " + t("reviewAnswers")));
  } else if (!passed && left > 0) {
    next = left === Infinity ? t("canTryAgain") : tn("attemptsLeft", left);
    results.appendChild(element("p", "", next + " " + t("reviewAnswersFirst")));
    const retry = /** @type {HTMLButtonElement} */ (element("button", "button", t("tryAgain")));
    retry.type = "button";
    retry.setAttribute("data-action", "retry-assessment");
    const row = element("p");
    row.appendChild(retry);
    results.appendChild(row);
  } else if (!passed) {
    next = t("noAttemptsLeft");
    results.appendChild(element("p", "", next + " " + t("reviewAnswers")));
  } else {
    results.appendChild(element("p", "", t("reviewAnswers")));
  }
  if (showing === "after_pass" && !reveal && right < scoredCount(attempt)) {
    results.appendChild(element("p", "", t("answersAfterPass")));
  }
  if (attempt.best > attempt.score) {
    results.appendChild(element("p", "", t("bestScoreRecorded", { score: attempt.best })));
  }
  results.hidden = false;
  submitRow().hidden = true;
  if (announceIt) {
    heading.focus();
    announce(summary + " " + next);
  }
}

function retryAssessment() {
  clearUnanswered();
  startAttempt();
  layOutAttempt();
  save(0);
  const heading = assessmentHeading();
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  }
  announce(t("newAttempt"));
}

/** @param {string} id */
function answerChanged(id) {
  const attempt = progress.test;
  if (!attempt) return;
  const index = attempt.drawn.indexOf(id);
  if (index < 0 || attempt.done) return;
  answeredAt[id] = Date.now();
  attempt.answers[index] = readAnswer(id);
  // an answer given clears its "not answered" mark at once (the summary lists it until the next submit)
  if (attempt.answers[index]) markUnanswered(id, "");
  save(1500);
}

// What the learner is still choosing counts too: a tab can close before a Submit.
function flushAnswers() {
  const attempt = progress.test;
  if (attempt && !attempt.done) {
    attempt.drawn.forEach(function (id, index) {
      if (questionElements[id]) attempt.answers[index] = readAnswer(id);
    });
  }
}

/** @type {import("../types.js").BlockBehaviour} */
export const assessment = {
  setUp: function () {
    if (!assessmentElement()) return;
    hooks.answerChanged.push(answerChanged);
    hooks.flush.push(flushAnswers);
    if (!test().drawn.length) startAttempt();
    layOutAttempt();
  },
  actions: {
    "submit-assessment": submitAssessment,
    "retry-assessment": retryAssessment,
  },
};
