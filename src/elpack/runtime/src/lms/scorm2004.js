// @ts-check
// The SCORM 2004 adapter (3rd and 4th edition share this run-time API): the 2004 names of the
// run-time API (the calls themselves are in api.js), and the 2004 data model and value formats.

import { pad } from "../text.js";
import { adapterOf, createSession } from "./api.js";

/** @typedef {import("./adapter.js").LmsAdapter} LmsAdapter */
/** @typedef {import("./adapter.js").ResponsePart} ResponsePart */

const SUSPEND_LIMIT = 64000;
const LOCATION_LIMIT = 1000; // cmi.location, characterstring SPM 1000
const SHORT_TEXT = 250; // localized_string_type SPM 250: fill-in responses, descriptions
const LONG_TEXT = 4000; // long-fill-in
// GetValue of an element the LMS holds no value for answers "" with error 403: that is "nothing
// saved yet", not a failure.
const NOT_INITIALISED = "403";

/** @type {import("./api.js").ApiNames} */
const API_NAMES = {
  object: "API_1484_11",
  initialize: "Initialize",
  terminate: "Terminate",
  getValue: "GetValue",
  setValue: "SetValue",
  commit: "Commit",
  getLastError: "GetLastError",
  quietRead: function (code) {
    return code === NOT_INITIALISED;
  },
};

/**
 * An ISO 8601 duration as SCORM 2004's timeinterval writes it, to hundredths of a second:
 * "PT1H2M3.5S", "PT0S".
 * @param {number} milliseconds
 * @returns {string}
 */
export function duration(milliseconds) {
  const centiseconds = Math.max(Math.round(milliseconds / 10), 0);
  const hours = Math.floor(centiseconds / 360000);
  const minutes = Math.floor(centiseconds / 6000) % 60;
  const seconds = (centiseconds % 6000) / 100;
  return "PT" + (hours ? hours + "H" : "") + (minutes ? minutes + "M" : "") +
    (seconds || (!hours && !minutes) ? String(seconds) + "S" : "");
}

/**
 * A moment as SCORM 2004's time (second,10,-2) writes it, in UTC: "2026-12-04T15:50:04.12Z".
 * @param {Date} date
 * @returns {string}
 */
export function timestamp(date) {
  return date.getUTCFullYear() + "-" + pad(date.getUTCMonth() + 1, 2) + "-" + pad(date.getUTCDate(), 2) +
    "T" + pad(date.getUTCHours(), 2) + ":" + pad(date.getUTCMinutes(), 2) + ":" +
    pad(date.getUTCSeconds(), 2) + "." + pad(Math.floor(date.getUTCMilliseconds() / 10), 2) + "Z";
}

/**
 * Learner text as a localized_string_type value: one line (strict LMSs refuse line breaks), not
 * starting with "{" (which would open a {lang=...} delimiter), at most ``limit`` characters.
 * @param {string} text
 * @param {number} limit
 * @returns {string}
 */
function localizedString(text, limit) {
  const line = text.replace(/\s+/g, " ").trim();
  const cut = (line.charAt(0) === "{" ? " " + line : line).slice(0, limit);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut; // never half an emoji
}

/**
 * Whether a text answer fits a fill-in (one string of at most 250 characters, without the
 * "[,]" that separates a fill-in's strings) rather than a long-fill-in.
 * @param {string} text
 * @returns {boolean}
 */
function fitsFillIn(text) {
  return text.length <= SHORT_TEXT && text.indexOf("[,]") < 0;
}

/**
 * A response (or correct pattern) in 2004's format for its interaction type: "true"/"false",
 * parts joined by "[,]", a matching pair as "source[.]target", text as a localized string.
 * @param {string} type  the 2004 interaction type
 * @param {ResponsePart[]} parts
 * @returns {string}
 */
function responseText(type, parts) {
  if (type === "true-false") return parts[0] === "t" ? "true" : "false";
  if (type === "fill-in") return localizedString(String(parts[0] || ""), SHORT_TEXT);
  if (type === "long-fill-in") return localizedString(String(parts[0] || ""), LONG_TEXT);
  return parts.map(function (part) {
    return typeof part === "string" ? part : part.join("[.]");
  }).join("[,]");
}

/**
 * The parts of a correct-response pattern as the runtime data writes it (see the question
 * types' correct_pattern): parts joined by ",", a matching pair as "source.target", a text
 * answer whole.
 * @param {string} type  the runtime's interaction type
 * @param {string} pattern
 * @returns {ResponsePart[]}
 */
function patternParts(type, pattern) {
  if (type === "fill-in" || type === "likert" || type === "true-false") return [pattern];
  return pattern.split(",").map(function (part) {
    const pair = part.split(".");
    return type === "matching" ? /** @type {[string, string]} */ ([pair[0], pair[1] || ""]) : part;
  });
}

/** @returns {LmsAdapter} */
export function createScorm2004() {
  const lms = createSession(API_NAMES);
  const get = lms.get;
  const set = lms.set;
  // What an earlier session reported stands: completion and success are never lowered.
  let everCompleted = false;
  let everPassed = false;

  /**
   * Reads only what the LMS can hold for this launch, so that no GetValue fails: saved state
   * only when resuming, the pass mark only for a scored module, the score only once judged.
   * @param {boolean} scored
   * @returns {import("./adapter.js").Launch}
   */
  function launch(scored) {
    const mode = get("cmi.mode");
    const resuming = get("cmi.entry") !== "ab-initio";
    const completion = get("cmi.completion_status");
    const success = get("cmi.success_status");
    const passing = scored ? parseFloat(get("cmi.scaled_passing_score")) : NaN;
    const judged = success === "passed" || success === "failed";
    const scaled = judged ? parseFloat(get("cmi.score.scaled")) : NaN;
    everCompleted = completion === "completed";
    everPassed = success === "passed";
    return {
      review: mode === "review",
      browse: mode === "browse",
      learner: get("cmi.learner_id"),
      passMark: isNaN(passing) ? null : Math.round(passing * 10000) / 100,
      priorStatus: judged ? success : completion,
      priorScore: isNaN(scaled) ? -1 : Math.round(scaled * 10000) / 100,
      suspend: resuming ? get("cmi.suspend_data") : "",
      location: resuming ? get("cmi.location") : "",
    };
  }

  /**
   * @param {import("./adapter.js").SavedState} state
   * @returns {boolean}
   */
  function saveState(state) {
    if (state.location !== null) set("cmi.location", state.location.slice(0, LOCATION_LIMIT));
    let kept = set("cmi.suspend_data", state.suspend);
    everCompleted = everCompleted || state.completed;
    kept = set("cmi.completion_status", everCompleted ? "completed" : "incomplete") && kept;
    everPassed = everPassed || state.success === "passed";
    const success = everPassed ? "passed" : state.success;
    if (success !== "unknown") kept = set("cmi.success_status", success) && kept;
    set("cmi.exit", state.finished ? "normal" : "suspend");
    return kept;
  }

  /** @param {number} score */
  function saveScore(score) {
    set("cmi.score.min", "0");
    set("cmi.score.max", "100");
    set("cmi.score.raw", String(score));
    set("cmi.score.scaled", String(Math.round(score * 100) / 10000));
  }

  /** @param {import("./adapter.js").Interaction} record */
  function recordInteraction(record) {
    lms.addInteraction(record.id, function (prefix) {
      const texts = [String(record.response[0] || ""), record.pattern];
      const type = record.type === "fill-in" && !texts.every(fitsFillIn) ? "long-fill-in" : record.type;
      set(prefix + "type", type);
      set(prefix + "timestamp", timestamp(new Date()));
      if (record.description) set(prefix + "description", localizedString(record.description, SHORT_TEXT));
      if (record.pattern) {
        set(prefix + "correct_responses.0.pattern", responseText(type, patternParts(record.type, record.pattern)));
      }
      set(prefix + "learner_response", responseText(type, record.response));
      set(prefix + "result", record.result === "wrong" ? "incorrect" : record.result);
      set(prefix + "weighting", String(record.weighting));
      set(prefix + "latency", duration(record.latency));
    });
  }

  /**
   * @param {number | null} sessionMilliseconds
   * @returns {boolean}
   */
  function finish(sessionMilliseconds) {
    if (sessionMilliseconds !== null) set("cmi.session_time", duration(sessionMilliseconds));
    return lms.end();
  }

  return adapterOf(lms, SUSPEND_LIMIT, { launch, saveState, saveScore, recordInteraction, finish });
}
