// @ts-check
// The learner's progress, and its compact, versioned form for the LMS's saved state
// (cmi.suspend_data). The layout's keys and version live in ../suspend-format.json, which
// suspend.py reads too, to work out the largest state a module can need.

import { format, keys, maxAttempts, testKeys } from "../suspend-format.json";
import { checks, choiceIds, choiceTargets, data, drawWidth, pages, pool, question, recordable } from "./content.js";
import { behaviourOf } from "./questions/question.js";
import { newSeed } from "./random.js";
import { pad, storedLength } from "./text.js";

/** @typedef {import("./types.js").Progress} Progress */

/**
 * Saved progress as read back: what could be used, and how many saved items did not fit the
 * module (an unknown option, an over-long text) and were left out.
 * @typedef {object} Restored
 * @property {Progress} progress
 * @property {number} dropped
 */

/**
 * Saved progress that cannot be used, and why: "changed", it was saved by another version of the
 * module (its format or content hash differs); "unreadable", it is damaged, not in the form this
 * version saves, or longer than the LMS could have kept.
 * @typedef {object} Unusable
 * @property {"changed" | "unreadable"} reason
 */

/** @type {Unusable} */
const UNREADABLE = { reason: "unreadable" };

// newSeed() writes at most 6 base-36 digits; the assessment's seeds are made the same way.
const SEED = /^[0-9a-z]{1,8}$/;

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
    language: "",
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
  // A language tag, never text: the choice is one of the package's own languages.
  if (data.languages) saved[keys.language] = progress.language;
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
 * Whether ``answer`` is one that question ``id`` could have stored: "" (unanswered), or what its
 * type says fits, by default distinct ids of its options ("b", "ac", "cab").
 * @param {string} id
 * @param {string} answer
 * @returns {boolean}
 */
function answerFits(id, answer) {
  if (answer === "") return true;
  const known = question(id);
  const behaviour = behaviourOf(id);
  if (!known || !behaviour) return false;
  if (behaviour.fits) return behaviour.fits(known, answer);
  const ids = answer.split("");
  return ids.length <= known.options.length && ids.every(function (option, index) {
    return known.options.indexOf(option) >= 0 && ids.indexOf(option) === index;
  });
}

/**
 * ``saved`` with every item that does not fit replaced by "", counting them in ``restored``.
 * @param {string[]} saved
 * @param {(item: string, index: number) => boolean} fits
 * @param {{ dropped: number }} restored
 * @returns {string[]}
 */
function keepFitting(saved, fits, restored) {
  return saved.map(function (item, index) {
    if (fits(item, index)) return item;
    restored.dropped += 1;
    return "";
  });
}

/**
 * @param {unknown} value
 * @param {number} low
 * @param {number} high
 * @param {number} otherwise
 * @returns {number}
 */
function whole(value, low, high, otherwise) {
  return typeof value === "number" && Math.floor(value) === value && value >= low && value <= high
    ? value : otherwise;
}

/**
 * The progress kept in ``text``, or why it cannot be used: it is damaged or longer than the LMS
 * could have kept (``limit``), or it was saved by a different version of the content (the hash
 * covers pages, questions and their answers). Saved state is never trusted: each answer, reflection and
 * choice must be one this module could have saved, and anything else is left out (counted in
 * ``dropped``, so that the learner can be told).
 * @param {string} text
 * @param {number} limit
 * @returns {Restored | Unusable}
 */
export function deserialise(text, limit) {
  if (text.length > limit) return UNREADABLE;
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return UNREADABLE;
  }
  const saved = fields(parsed);
  if (!saved || typeof saved[keys.format] !== "number" || typeof saved[keys.hash] !== "string") {
    return UNREADABLE;
  }
  if (saved[keys.format] !== format || saved[keys.hash] !== data.hash) return { reason: "changed" };
  const answers = saved[keys.answers];
  const reflections = saved[keys.reflections];
  const choices = saved[keys.choices];
  const seen = saved[keys.seen];
  if (!isTextList(answers, checks.length) || !isTextList(reflections, data.reflections.length)) return UNREADABLE;
  if (!isTextList(choices, choiceIds.length) || typeof seen !== "string") return UNREADABLE;
  const progress = freshProgress();
  const restored = { progress: progress, dropped: 0 };
  progress.seen = textToBits(seen, pages.length);
  progress.recorded = textToBits(String(saved[keys.recorded] || ""), recordable.length);
  progress.answers = keepFitting(answers, function (answer, index) {
    return answerFits(checks[index], answer);
  }, restored);
  // Private reflections are never saved here (serialise), so any text in their place is not the
  // learner's.
  progress.reflections = keepFitting(reflections, function (reflection) {
    return data.reflectionsPrivate ? reflection === "" : storedLength(reflection) <= data.reflectionLimit;
  }, restored);
  progress.choices = keepFitting(choices, function (choice, index) {
    return choice === "" || Object.prototype.hasOwnProperty.call(choiceTargets[choiceIds[index]], choice);
  }, restored);
  const seed = saved[keys.seed];
  progress.seed = typeof seed === "string" && SEED.test(seed) ? seed : progress.seed;
  const language = saved[keys.language];
  progress.language = typeof language === "string" && (data.languages || []).indexOf(language) >= 0 ? language : "";
  if (data.assessment) {
    const x = fields(saved[keys.test]);
    const draw = x && x[testKeys.drawn];
    if (!x || typeof draw !== "string" || !Array.isArray(x[testKeys.answers])) return UNREADABLE;
    if (draw.length > data.assessment.draw * drawWidth) return UNREADABLE;
    /** @type {string[]} */
    const drawn = [];
    for (let i = 0; i < draw.length; i += drawWidth) {
      const id = pool[parseInt(draw.substr(i, drawWidth), 36)];
      if (!id || drawn.indexOf(id) >= 0) return UNREADABLE;
      drawn.push(id);
    }
    const testAnswers = x[testKeys.answers];
    if (!isTextList(testAnswers, drawn.length)) return UNREADABLE;
    const testSeed = x[testKeys.seed];
    progress.test = {
      attempts: whole(x[testKeys.attempts], 0, maxAttempts, 0),
      drawn: drawn,
      seed: typeof testSeed === "string" && SEED.test(testSeed) ? testSeed : "",
      answers: keepFitting(testAnswers, function (answer, index) {
        return answerFits(drawn[index], answer);
      }, restored),
      score: whole(x[testKeys.score], -1, 100, -1),
      best: whole(x[testKeys.best], -1, 100, -1),
      done: x[testKeys.done] === 1,
    };
  }
  return restored;
}

/**
 * ``serialise(progress)``, never longer than ``limit``: the build makes sure that any progress
 * the runtime keeps fits, so this only cuts state that should not exist (the reflections'
 * texts first, then the answers), leaving the learner's place and what they have seen.
 * @param {Progress} progress
 * @param {number} limit
 * @returns {string}
 */
export function serialiseWithin(progress, limit) {
  let text = serialise(progress);
  if (text.length <= limit) return text;
  /** @type {Progress} */
  const smaller = Object.assign({}, progress, { reflections: filled(progress.reflections.length, "") });
  text = serialise(smaller);
  if (text.length <= limit) return text;
  smaller.answers = filled(progress.answers.length, "");
  smaller.test = progress.test && Object.assign({}, progress.test, {
    answers: filled(progress.test.answers.length, ""),
  });
  text = serialise(smaller);
  return text.length <= limit ? text : serialise(freshProgress());
}
