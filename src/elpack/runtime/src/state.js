// @ts-check
// The learner's progress, and its compact, versioned form for the LMS's saved state
// (cmi.suspend_data). The layout's keys and version live in ../suspend-format.json, which
// suspend.py reads too, to work out the largest state a module can need.

import { format, keys, testKeys } from "../suspend-format.json";
import { checks, choiceIds, data, drawWidth, pages, pool, recordable } from "./content.js";
import { newSeed } from "./random.js";
import { pad } from "./text.js";

/** @typedef {import("./types.js").Progress} Progress */

const BASE32 = "0123456789abcdefghijklmnopqrstuv";

/**
 * @param {boolean[]} flags
 * @returns {string}
 */
function bitsToText(flags) {
  let text = "";
  for (let i = 0; i < flags.length; i += 5) {
    let value = 0;
    for (let bit = 0; bit < 5; bit++) if (flags[i + bit]) value |= 1 << bit;
    text += BASE32[value];
  }
  return text;
}

/**
 * @param {string} text
 * @param {number} count
 * @returns {boolean[]}
 */
function textToBits(text, count) {
  const flags = [];
  for (let i = 0; i < count; i++) {
    const value = BASE32.indexOf(text.charAt(Math.floor(i / 5)));
    flags.push(value > 0 && Boolean(value & (1 << i % 5)));
  }
  return flags;
}

/**
 * @param {number} count
 * @param {T} value
 * @returns {T[]}
 * @template T
 */
function filled(count, value) {
  const list = [];
  for (let i = 0; i < count; i++) list.push(value);
  return list;
}

/** @returns {Progress} */
export function freshProgress() {
  return {
    seen: filled(pages.length, false),
    recorded: filled(recordable.length, false),
    answers: filled(checks.length, ""),
    reflections: filled(data.reflections.length, ""),
    choices: filled(choiceIds.length, ""),
    test: data.assessment ? { attempts: 0, drawn: [], seed: "", answers: [], score: -1, best: -1, done: false } : null,
    seed: newSeed(),
  };
}

/**
 * @param {Progress} progress
 * @returns {string}
 */
export function serialise(progress) {
  const test = progress.test;
  /** @type {Record<string, unknown>} */
  const saved = {};
  saved[keys.format] = format;
  saved[keys.hash] = data.hash;
  saved[keys.seen] = bitsToText(progress.seen);
  saved[keys.recorded] = bitsToText(progress.recorded);
  saved[keys.answers] = progress.answers;
  // Private reflections never reach the LMS: their text is kept in this browser instead.
  saved[keys.reflections] = data.reflectionsPrivate ? progress.reflections.map(function () {
    return "";
  }) : progress.reflections;
  saved[keys.choices] = progress.choices;
  /** @type {Record<string, unknown> | null} */
  let savedTest = null;
  if (test) {
    savedTest = {};
    savedTest[testKeys.attempts] = test.attempts;
    savedTest[testKeys.drawn] = test.drawn
      .map(function (id) {
        return pad(pool.indexOf(id).toString(36), drawWidth);
      })
      .join("");
    savedTest[testKeys.seed] = test.seed;
    savedTest[testKeys.answers] = test.answers;
    savedTest[testKeys.score] = test.score;
    savedTest[testKeys.best] = test.best;
    savedTest[testKeys.done] = test.done ? 1 : 0;
  }
  saved[keys.test] = savedTest;
  saved[keys.seed] = progress.seed;
  return JSON.stringify(saved);
}

/**
 * @param {unknown} list
 * @param {number} length
 * @returns {list is string[]}
 */
function isTextList(list, length) {
  return (
    Array.isArray(list) &&
    list.length === length &&
    list.every(function (item) {
      return typeof item === "string";
    })
  );
}

/**
 * The fields of a saved object; null for anything else (saved state is never trusted).
 * @param {unknown} value
 * @returns {Record<string, unknown> | null}
 */
function fields(value) {
  return value && typeof value === "object" ? /** @type {Record<string, unknown>} */ (value) : null;
}

/**
 * The progress kept in ``text``, or null if it is missing, damaged or was saved by a different
 * version of the content (the hash covers pages, questions and their answers).
 * @param {string} text
 * @returns {Progress | null}
 */
export function deserialise(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return null;
  }
  const saved = fields(parsed);
  if (!saved || saved[keys.format] !== format || saved[keys.hash] !== data.hash) return null;
  const answers = saved[keys.answers];
  const reflections = saved[keys.reflections];
  const choices = saved[keys.choices];
  const seen = saved[keys.seen];
  if (!isTextList(answers, checks.length) || !isTextList(reflections, data.reflections.length)) return null;
  if (!isTextList(choices, choiceIds.length) || typeof seen !== "string") return null;
  const progress = freshProgress();
  progress.seen = textToBits(seen, pages.length);
  progress.recorded = textToBits(String(saved[keys.recorded] || ""), recordable.length);
  progress.answers = answers;
  progress.reflections = reflections;
  progress.choices = choices;
  const seed = saved[keys.seed];
  progress.seed = typeof seed === "string" ? seed : progress.seed;
  if (data.assessment) {
    const x = fields(saved[keys.test]);
    const draw = x && x[testKeys.drawn];
    if (!x || typeof draw !== "string" || !Array.isArray(x[testKeys.answers])) return null;
    const drawn = [];
    for (let i = 0; i < draw.length; i += drawWidth) {
      const id = pool[parseInt(draw.substr(i, drawWidth), 36)];
      if (!id) return null;
      drawn.push(id);
    }
    const testAnswers = x[testKeys.answers];
    if (!isTextList(testAnswers, drawn.length)) return null;
    const score = x[testKeys.score];
    const best = x[testKeys.best];
    progress.test = {
      attempts: Number(x[testKeys.attempts]) || 0,
      drawn: drawn,
      seed: String(x[testKeys.seed] || ""),
      answers: testAnswers,
      score: typeof score === "number" ? score : -1,
      best: typeof best === "number" ? best : -1,
      done: x[testKeys.done] === 1,
    };
  }
  return progress;
}
