// @ts-check
// The SCORM 1.2 adapter: the 1.2 names of the run-time API (the calls themselves are in api.js),
// and the 1.2 data model and value formats.

import { pad, fitStored } from "../text.js";
import { adapterOf, createSession } from "./api.js";

/** @typedef {import("./adapter.js").LmsAdapter} LmsAdapter */
/** @typedef {import("./adapter.js").ResponsePart} ResponsePart */

const SUSPEND_LIMIT = 4096;
const STRING_LIMIT = 255; // CMIString255: lesson_location, fill-in responses

/** @type {import("./api.js").ApiNames} */
const API_NAMES = {
  object: "API",
  initialize: "LMSInitialize",
  terminate: "LMSFinish",
  getValue: "LMSGetValue",
  setValue: "LMSSetValue",
  commit: "LMSCommit",
  getLastError: "LMSGetLastError",
  // reads that fail are not logged
  quietRead: function () {
    return true;
  },
};

/**
 * CMITimespan, HHHH:MM:SS.SS with 2 to 4 hour digits: "00:03:07.25". Moodle rejects "0:3:7".
 * @param {number} milliseconds
 * @returns {string}
 */
export function timespan(milliseconds) {
  const centiseconds = Math.min(Math.max(Math.round(milliseconds / 10), 0), 35999999999);
  const hours = Math.floor(centiseconds / 360000);
  const minutes = Math.floor(centiseconds / 6000) % 60;
  const seconds = Math.floor(centiseconds / 100) % 60;
  return pad(Math.min(hours, 9999), 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." +
    pad(centiseconds % 100, 2);
}

/**
 * CMITime, HH:MM:SS
 * @param {Date} date
 * @returns {string}
 */
function clockTime(date) {
  return pad(date.getHours(), 2) + ":" + pad(date.getMinutes(), 2) + ":" + pad(date.getSeconds(), 2);
}

/**
 * A response in 1.2's format: parts joined by ",", a matching pair as "source.target".
 * @param {string} type
 * @param {ResponsePart[]} parts
 * @returns {string}
 */
function responseText(type, parts) {
  const text = parts.map(function (part) {
    return typeof part === "string" ? part : part.join(".");
  }).join(",");
  return type === "fill-in" ? fitStored(text, STRING_LIMIT) : text;
}

/** @returns {LmsAdapter} */
export function createScorm12() {
  const lms = createSession(API_NAMES);
  const get = lms.get;
  const set = lms.set;

  /** @returns {import("./adapter.js").Launch} */
  function launch() {
    const mode = get("cmi.core.lesson_mode");
    const mastery = parseFloat(get("cmi.student_data.mastery_score"));
    const priorStatus = get("cmi.core.lesson_status");
    const raw = parseFloat(get("cmi.core.score.raw"));
    return {
      review: mode === "review",
      browse: mode === "browse",
      learner: get("cmi.core.student_id"),
      passMark: isNaN(mastery) ? null : mastery,
      priorStatus: priorStatus,
      priorScore: isNaN(raw) ? -1 : raw,
      suspend: get("cmi.suspend_data"),
      location: get("cmi.core.lesson_location"),
    };
  }

  /**
   * @param {import("./adapter.js").SavedState} state
   * @returns {boolean}
   */
  function saveState(state) {
    if (state.location !== null) set("cmi.core.lesson_location", state.location.slice(0, STRING_LIMIT));
    let kept = set("cmi.suspend_data", state.suspend);
    kept = set("cmi.core.lesson_status", state.status) && kept;
    set("cmi.core.exit", state.finished ? "" : "suspend");
    return kept;
  }

  /** @param {number} score */
  function saveScore(score) {
    set("cmi.core.score.min", "0");
    set("cmi.core.score.max", "100");
    set("cmi.core.score.raw", String(score));
  }

  /** @param {import("./adapter.js").Interaction} record */
  function recordInteraction(record) {
    lms.addInteraction(record.id, function (prefix) {
      set(prefix + "type", record.type);
      if (record.pattern) set(prefix + "correct_responses.0.pattern", record.pattern);
      set(prefix + "student_response", responseText(record.type, record.response));
      set(prefix + "result", record.result);
      set(prefix + "weighting", String(record.weighting));
      set(prefix + "latency", timespan(record.latency));
      set(prefix + "time", clockTime(new Date()));
    });
  }

  /**
   * @param {number | null} sessionMilliseconds
   * @returns {boolean}
   */
  function finish(sessionMilliseconds) {
    if (sessionMilliseconds !== null) set("cmi.core.session_time", timespan(sessionMilliseconds));
    return lms.end();
  }

  return adapterOf(lms, SUSPEND_LIMIT, { launch, saveState, saveScore, recordInteraction, finish });
}
