// @ts-check
// The SCORM 2004 adapter (3rd and 4th edition share this run-time API): API discovery, checked
// calls (every return value and error code), and the 2004 data model and value formats.

import { pad } from "../text.js";
import { findApi } from "./adapter.js";

/** @typedef {import("./adapter.js").LmsAdapter} LmsAdapter */
/** @typedef {import("./adapter.js").ResponsePart} ResponsePart */

const SUSPEND_LIMIT = 64000;
const LOCATION_LIMIT = 1000; // cmi.location, characterstring SPM 1000
const SHORT_TEXT = 250; // localized_string_type SPM 250: fill-in responses, descriptions
const LONG_TEXT = 4000; // long-fill-in
// GetValue of an element the LMS holds no value for answers "" with error 403: that is "nothing
// saved yet", not a failure.
const NOT_INITIALISED = "403";

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
  /** @type {import("./adapter.js").LmsApi | null} */
  let api = null;
  let open = false;
  let interactionsWork = true;
  /** @type {Record<string, string>} values the LMS accepted, not sent again */
  let sent = {};
  // What an earlier session reported stands: completion and success are never lowered.
  let everCompleted = false;
  let everPassed = false;

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
      code = String(lmsApi.GetLastError());
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
    const value = call("GetValue", name);
    if (adapter.lastError === "0" || adapter.lastError === "") return value;
    if (adapter.lastError !== NOT_INITIALISED && window.console) {
      console.warn("elpack: the LMS would not give " + name + " (error " + adapter.lastError + ")");
    }
    return "";
  }

  /**
   * @param {string} name
   * @param {string} value
   * @returns {boolean}
   */
  function set(name, value) {
    if (!open) return false;
    if (sent[name] === value) return true;
    const ok = call("SetValue", name, value) === "true";
    if (ok) sent[name] = value;
    else if (window.console) console.warn("elpack: the LMS refused " + name + " (error " + adapter.lastError + ")");
    return ok;
  }

  /** @returns {import("./adapter.js").Connection} */
  function start() {
    const found = findApi("API_1484_11", "Initialize");
    if (!found) return "none";
    api = found;
    open = call("Initialize", "") === "true";
    if (!open) api = null;
    return open ? "open" : "refused";
  }

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
    const success = everPassed ? "passed" : state.success;
    if (success !== "unknown") kept = set("cmi.success_status", success) && kept;
    everPassed = success === "passed";
    set("cmi.exit", state.finished ? "normal" : "suspend");
    return kept;
  }

  /** @param {number} score */
  function saveScore(score) {
    if (!open) return;
    set("cmi.score.min", "0");
    set("cmi.score.max", "100");
    set("cmi.score.raw", String(score));
    set("cmi.score.scaled", String(Math.round(score * 100) / 10000));
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
    let type = record.type;
    if (type === "fill-in") {
      const texts = [String(record.response[0] || ""), record.pattern];
      if (!texts.every(fitsFillIn)) type = "long-fill-in";
    }
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
    // A fresh index each time: these names are never repeated, so forget them.
    Object.keys(sent).forEach(function (name) {
      if (name.indexOf(prefix) === 0) delete sent[name];
    });
  }

  /** @returns {boolean} */
  function commit() {
    if (!open) return true;
    return call("Commit", "") === "true";
  }

  /**
   * @param {number | null} sessionMilliseconds
   * @returns {boolean}
   */
  function finish(sessionMilliseconds) {
    if (!open) return true;
    if (sessionMilliseconds !== null) set("cmi.session_time", duration(sessionMilliseconds));
    const committed = commit();
    const finished = call("Terminate", "") === "true";
    open = false; // never call the API again, whatever Terminate returned
    sent = {};
    return committed && finished;
  }

  return adapter;
}
