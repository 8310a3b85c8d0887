// @ts-check
// The SCORM 1.2 adapter: API discovery, checked calls (every return value and error code),
// and the 1.2 data model and value formats.

import { pad, fitStored } from "../text.js";
import { findApi } from "./adapter.js";

/** @typedef {import("./adapter.js").LmsAdapter} LmsAdapter */
/** @typedef {import("./adapter.js").ResponsePart} ResponsePart */

const SUSPEND_LIMIT = 4096;
const STRING_LIMIT = 255; // CMIString255: lesson_location, fill-in responses

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
  /** @type {import("./adapter.js").LmsApi | null} */
  let api = null;
  let open = false;
  let interactionsWork = true;
  /** @type {Record<string, string>} values the LMS accepted, not sent again */
  let sent = {};

  const adapter = {
    suspendLimit: SUSPEND_LIMIT,
    lastError: "",
    isOpen: function () {
      return open;
    },
    start: start,
    launch: launch,
    saveState: saveState,
    saveScore: saveScore,
    recordInteraction: recordInteraction,
    commit: commit,
    finish: finish,
  };

  /**
   * @param {string} method
   * @param {...string} args
   * @returns {string}
   */
  function call(method, ...args) {
    let result;
    let code;
    try {
      const lmsApi = /** @type {import("./adapter.js").LmsApi} */ (api);
      result = String(lmsApi[method].apply(lmsApi, args));
      code = String(lmsApi.LMSGetLastError());
    } catch (error) {
      result = "false";
      code = "101";
    }
    adapter.lastError = code;
    return result;
  }

  /**
   * @param {string} name
   * @returns {string}
   */
  function get(name) {
    if (!open) return "";
    const value = call("LMSGetValue", name);
    return adapter.lastError === "0" || adapter.lastError === "" ? value : "";
  }

  /**
   * @param {string} name
   * @param {string} value
   * @returns {boolean}
   */
  function set(name, value) {
    if (!open) return false;
    if (sent[name] === value) return true;
    const ok = call("LMSSetValue", name, value) === "true";
    if (ok) sent[name] = value;
    else if (window.console) console.warn("elpack: the LMS refused " + name + " (error " + adapter.lastError + ")");
    return ok;
  }

  /** @returns {import("./adapter.js").Connection} */
  function start() {
    const found = findApi("API", "LMSInitialize");
    if (!found) return "none";
    api = found;
    open = call("LMSInitialize", "") === "true";
    if (!open) api = null;
    return open ? "open" : "refused";
  }

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
    if (!open) return;
    set("cmi.core.score.min", "0");
    set("cmi.core.score.max", "100");
    set("cmi.core.score.raw", String(score));
  }

  // One record per answered item, at the next free index.
  /** @param {import("./adapter.js").Interaction} record */
  function recordInteraction(record) {
    if (!open || !interactionsWork) return;
    const count = parseInt(get("cmi.interactions._count"), 10);
    if (isNaN(count)) {
      interactionsWork = false; // the LMS does not keep interactions
      return;
    }
    const prefix = "cmi.interactions." + count + ".";
    if (!set(prefix + "id", record.id)) {
      interactionsWork = false;
      return;
    }
    set(prefix + "type", record.type);
    if (record.pattern) set(prefix + "correct_responses.0.pattern", record.pattern);
    set(prefix + "student_response", responseText(record.type, record.response));
    set(prefix + "result", record.result);
    set(prefix + "weighting", String(record.weighting));
    set(prefix + "latency", timespan(record.latency));
    set(prefix + "time", clockTime(new Date()));
    // A fresh index each time: these names are never repeated, so forget them.
    Object.keys(sent).forEach(function (name) {
      if (name.indexOf(prefix) === 0) delete sent[name];
    });
  }

  /** @returns {boolean} */
  function commit() {
    if (!open) return true;
    return call("LMSCommit", "") === "true";
  }

  /**
   * @param {number | null} sessionMilliseconds
   * @returns {boolean}
   */
  function finish(sessionMilliseconds) {
    if (!open) return true;
    if (sessionMilliseconds !== null) set("cmi.core.session_time", timespan(sessionMilliseconds));
    const committed = commit();
    const finished = call("LMSFinish", "") === "true";
    open = false; // never call the API again, whatever LMSFinish returned
    sent = {};
    return committed && finished;
  }

  return adapter;
}
