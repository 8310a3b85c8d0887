// @ts-check
// This session's state: the LMS adapter, the learner's progress, the page on screen, what the
// LMS held at launch, and the completion rules that follow from them.

import { data, mainLine, recordable } from "./content.js";

/** @typedef {import("./types.js").Progress} Progress */
/** @typedef {import("./types.js").Page} Page */
/** @typedef {import("./types.js").LessonStatus} LessonStatus */
/** @typedef {import("./lms/adapter.js").LmsAdapter} LmsAdapter */

/** @type {LmsAdapter} */
export let lms;
/** @type {Progress} */
export let progress;
/** @type {Page | null} */
export let current = null;
export const startedAt = Date.now();
export let pageShownAt = Date.now();
/** the pass mark in force: the LMS's own if it gives one, else the module's */
export let passMark = 0;
/** an earlier session's finished status ("passed", "completed", "failed") or "" */
export let priorStatus = "";
export let priorScore = -1;
/** the LMS opened a finished attempt for review, or a preview: nothing is recorded */
export let reviewMode = false;
/** how the LMS opened the module: "normal", "review" (a finished attempt) or "browse" (a preview) */
export let lessonMode = "normal";
/** the LMS's id of the learner, "" if none: private reflections are kept per learner */
export let learnerId = "";
/** no LMS: progress is kept in this browser */
export let standalone = false;

/**
 * @param {LmsAdapter} adapter
 * @param {Progress} fresh
 */
export function beginSession(adapter, fresh) {
  lms = adapter;
  progress = fresh;
  passMark = data.passMark;
}

/** @param {Progress} restored */
export function setProgress(restored) {
  progress = restored;
}

/** @param {Page} page */
export function setCurrent(page) {
  current = page;
  pageShownAt = Date.now();
}

const FINISHED_STATUSES = ["passed", "completed", "failed"];

/**
 * What the LMS (or this browser) held at launch.
 * @param {{review?: boolean, browse?: boolean, learner?: string, passMark?: number | null,
 *   priorStatus?: string, priorScore?: number, standalone?: boolean}} held
 */
export function setLaunch(held) {
  if (held.review !== undefined) reviewMode = held.review;
  if (held.review) lessonMode = "review";
  else if (held.browse) {
    lessonMode = "browse";
    reviewMode = true;
  }
  if (held.learner !== undefined) learnerId = held.learner;
  if (held.passMark !== undefined && held.passMark !== null) passMark = held.passMark;
  if (held.priorScore !== undefined) priorScore = held.priorScore;
  if (held.standalone !== undefined) standalone = held.standalone;
  if (held.priorStatus !== undefined) priorStatus = held.priorStatus;
  if (FINISHED_STATUSES.indexOf(priorStatus) < 0) priorStatus = "";
}

/** @returns {number} main-line pages seen */
export function mainLineSeen() {
  return mainLine.filter(function (page) {
    return progress.seen[page.index];
  }).length;
}

/**
 * incomplete until the completion rule holds; then passed/failed against the same mastery
 * score the LMS uses, or completed when nothing is scored. Never "not attempted".
 * @returns {LessonStatus}
 */
export function lessonStatus() {
  /** @type {LessonStatus} */
  let status = "incomplete";
  const test = progress.test;
  if (data.scored && test) {
    if (test.best >= 0) status = test.best >= passMark ? "passed" : "failed";
  } else if (mainLineSeen() === mainLine.length) {
    status = "completed";
  }
  // An earlier session's result stands: a learner who passed is never marked down again.
  if (priorStatus === "passed" || (priorStatus === "completed" && status === "incomplete")) {
    return /** @type {LessonStatus} */ (priorStatus);
  }
  if (priorStatus === "failed" && status === "incomplete") return "failed";
  return status;
}

/** @returns {number} attempts left at the assessment (Infinity when unlimited) */
export function attemptsLeft() {
  const test = progress.test;
  const limit = data.assessment ? data.assessment.attempts : null;
  if (!test || limit === null) return Infinity;
  return Math.max(limit - test.attempts, 0);
}

/** @returns {boolean} nothing is left to do: the learner will not resume */
export function isFinished() {
  const status = lessonStatus();
  if (status === "failed") return attemptsLeft() === 0;
  return status === "passed" || status === "completed";
}

/**
 * Marks ``id`` as reported to the LMS; false if it already was (or is never reported).
 * @param {string} id
 * @returns {boolean}
 */
export function markRecorded(id) {
  const index = recordable.indexOf(id);
  if (index < 0 || progress.recorded[index]) return false;
  progress.recorded[index] = true;
  return true;
}

/**
 * Reports an answered item to the LMS (never in review mode).
 * @param {import("./lms/adapter.js").Interaction} record
 */
export function recordInteraction(record) {
  if (!reviewMode) lms.recordInteraction(record);
}
