// @ts-check
// Saving: every meaningful change asks for a save; saves are debounced, and a failed commit is
// retried with growing pauses (never in a tight loop) before the learner is told.

import { hooks } from "./hooks.js";
import { t } from "./i18n.js";
import { alertLearner, announce } from "./messages.js";
import {
  current, isFinished, lessonStatus, lms, mainLineSeen, progress, reviewMode, standalone, startedAt,
} from "./session.js";
import { mainLine } from "./content.js";
import { serialise, serialiseWithin } from "./state.js";
import { writeLocal } from "./storage.js";

const COMMIT_DELAY = 400;
const RETRY_DELAYS = [500, 2000, 5000, 15000];

/** @type {number | undefined} */
let saveTimer;
let pending = false;
let failedCommits = 0;
/** the learner has been told that saving fails (until a save gets through again) */
export let saveWarningShown = false;
/** the session has ended (Exit, or the page was hidden for good) */
export let ended = false;

/**
 * Copies what the learner is still typing or choosing into the progress.
 * @param {boolean} final
 */
export function flushInputs(final) {
  hooks.flush.forEach(function (flush) {
    flush(final);
  });
}

// false if the LMS refused a value that resume depends on: that is a failed save too
/** @returns {boolean} */
function pushToLms() {
  if (reviewMode) return true;
  const status = lessonStatus();
  return lms.saveState({
    location: current ? current.id : null,
    suspend: serialiseWithin(progress, lms.suspendLimit),
    status: status,
    completed: status === "completed" || status === "passed" || mainLineSeen() === mainLine.length,
    success: status === "passed" || status === "failed" ? status : "unknown",
    finished: isFinished(),
  });
}

/** @returns {boolean} whether everything reached the LMS (or this browser's storage) */
export function saveNow() {
  window.clearTimeout(saveTimer);
  pending = false;
  if (standalone) {
    writeLocal({
      suspend: serialise(progress),
      location: current ? current.id : "",
      status: lessonStatus(),
    });
    return true;
  }
  if (!lms.isOpen()) return false;
  flushInputs(false);
  const kept = pushToLms();
  if (reviewMode) return true;
  if (lms.commit() && kept) {
    if (saveWarningShown) {
      alertLearner("");
      announce(t("savingAgain"));
    }
    failedCommits = 0;
    saveWarningShown = false;
    return true;
  }
  failedCommits += 1;
  if (failedCommits >= 2 && !saveWarningShown) {
    saveWarningShown = true;
    alertLearner(t("saveFailed"));
  }
  // After the quick retries, keep trying every 30 seconds while something is unsaved.
  pending = true;
  saveTimer = window.setTimeout(saveNow, RETRY_DELAYS[failedCommits - 1] || 30000);
  return false;
}

/**
 * Asks for a save after ``delay`` milliseconds; without a delay, joins a save already asked for.
 * @param {number} [delay]
 */
export function save(delay) {
  if (pending && delay === undefined) return;
  window.clearTimeout(saveTimer);
  pending = true;
  saveTimer = window.setTimeout(saveNow, delay === undefined ? COMMIT_DELAY : delay);
}

/** @returns {boolean} true when everything reached the LMS (or this browser's storage) */
export function endSession() {
  if (ended) return true;
  ended = true;
  window.clearTimeout(saveTimer);
  if (standalone) return saveNow();
  if (!lms.isOpen()) return false;
  flushInputs(true);
  const kept = pushToLms();
  return lms.finish(reviewMode ? null : Date.now() - startedAt) && kept;
}
