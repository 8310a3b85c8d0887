// @ts-check
// What the SCORM 1.2 and SCORM 2004 run-time APIs do alike, so that each adapter keeps only its
// standard's names and formats: finding the API object (parents, then openers), calls checked by
// return value and error code, the session between initialise and terminate (no call outside it),
// values the LMS accepted not sent again, and interaction records at the next free index.

/**
 * An LMS's API object, as a window offers it: methods called by name.
 * @typedef {Record<string, (...args: string[]) => unknown>} LmsApi
 */

/**
 * A standard's names for the same run-time API.
 * @typedef {object} ApiNames
 * @property {string} object  the API object in a window: "API" (1.2), "API_1484_11" (2004)
 * @property {string} initialize
 * @property {string} terminate
 * @property {string} getValue
 * @property {string} setValue
 * @property {string} commit
 * @property {string} getLastError
 * @property {(code: string) => boolean} quietRead  a GetValue error code not worth a console
 *   warning
 */

/**
 * The session with the LMS. Outside it (before start(), after a refused start or after end())
 * nothing reaches the API: get() answers "", set() false, commit() and end() true.
 * @typedef {object} ApiSession
 * @property {string} lastError  the LMS's error code after the last call ("" or "0": none)
 * @property {() => boolean} isOpen
 * @property {() => import("./adapter.js").Connection} start  find the API and initialise it
 * @property {(name: string) => string} get  "" when the LMS answers with an error
 * @property {(name: string, value: string) => boolean} set  true if the LMS accepted (or already
 *   holds) the value
 * @property {() => boolean} commit
 * @property {() => boolean} end  commit and terminate; the API is never called again
 * @property {(id: string, writeFields: (prefix: string) => void) => void} addInteraction  sets
 *   the id of a new interaction at the next free index, then lets ``writeFields`` set the rest
 *   under ``prefix`` ("cmi.interactions.N."); quietly does nothing once the LMS has shown it
 *   keeps no interactions
 */

/**
 * The first window from ``win`` up through its parents that holds the API object ``name`` with
 * the method ``probe``; null if none within 7 levels.
 * @param {Window | null} win
 * @param {string} name
 * @param {string} probe  a method the API must have
 * @returns {LmsApi | null}
 */
function findApiFrom(win, name, probe) {
  for (let level = 0; win && level <= 7; level++) {
    try {
      const api = /** @type {Record<string, LmsApi | undefined>} */ (/** @type {unknown} */ (win))[name];
      if (api && typeof api[probe] === "function") return api;
    } catch (error) {
      // a frame from another origin: its API is out of reach, but its parent may not be
    }
    if (!win.parent || win.parent === win) return null;
    win = win.parent;
  }
  return null;
}

/**
 * The LMS's API object: in this window or a parent, else in the window that opened this one
 * (or the one that opened the top window) and its parents. null when there is none.
 * @param {string} name
 * @param {string} probe
 * @returns {LmsApi | null}
 */
function findApi(name, probe) {
  let api = findApiFrom(window, name, probe);
  [window.opener, window.top && window.top.opener].forEach(function (opener) {
    try {
      if (!api && opener) api = findApiFrom(opener, name, probe);
    } catch (error) {
      // an opener from another origin
    }
  });
  return api;
}

/**
 * @param {ApiNames} names
 * @returns {ApiSession}
 */
export function createSession(names) {
  /** @type {LmsApi | null} the API while the session is open, else null */
  let api = null;
  let interactionsWork = true;
  /** @type {Record<string, string>} values the LMS accepted, not sent again */
  let sent = {};

  const session = {
    lastError: "",
    isOpen: function () {
      return api !== null;
    },
    start: start,
    get: get,
    set: set,
    commit: commit,
    end: end,
    addInteraction: addInteraction,
  };

  /**
   * Calls ``method`` on ``lmsApi`` and records its error code; an exception counts as
   * "false" with error 101 (general exception).
   * @param {LmsApi} lmsApi
   * @param {string} method
   * @param {...string} args
   * @returns {string}
   */
  function call(lmsApi, method, ...args) {
    let result;
    let code;
    try {
      result = String(lmsApi[method].apply(lmsApi, args));
      code = String(lmsApi[names.getLastError]());
    } catch (error) {
      result = "false";
      code = "101";
    }
    session.lastError = code;
    return result;
  }

  function succeeded() {
    return session.lastError === "0" || session.lastError === "";
  }

  /** @returns {import("./adapter.js").Connection} */
  function start() {
    const found = findApi(names.object, names.initialize);
    if (!found) return "none";
    if (call(found, names.initialize, "") !== "true") return "refused";
    api = found;
    return "open";
  }

  /**
   * @param {string} name
   * @returns {string}
   */
  function get(name) {
    if (!api) return "";
    const value = call(api, names.getValue, name);
    if (succeeded()) return value;
    if (!names.quietRead(session.lastError) && window.console) {
      console.warn("elpack: the LMS would not give " + name + " (error " + session.lastError + ")");
    }
    return "";
  }

  /**
   * @param {string} name
   * @param {string} value
   * @returns {boolean}
   */
  function set(name, value) {
    if (!api) return false;
    if (sent[name] === value) return true;
    const ok = call(api, names.setValue, name, value) === "true";
    if (ok) sent[name] = value;
    else if (window.console) console.warn("elpack: the LMS refused " + name + " (error " + session.lastError + ")");
    return ok;
  }

  /** @returns {boolean} */
  function commit() {
    if (!api) return true;
    return call(api, names.commit, "") === "true";
  }

  /** @returns {boolean} */
  function end() {
    if (!api) return true;
    const committed = commit();
    const ended = call(api, names.terminate, "") === "true";
    api = null; // never call the API again, whatever terminate returned
    sent = {};
    return committed && ended;
  }

  /**
   * @param {string} id
   * @param {(prefix: string) => void} writeFields
   */
  function addInteraction(id, writeFields) {
    if (!api || !interactionsWork) return;
    const count = parseInt(get("cmi.interactions._count"), 10);
    const prefix = "cmi.interactions." + count + ".";
    // No count: the LMS keeps no interactions. A refused id: it keeps no more.
    interactionsWork = !isNaN(count) && set(prefix + "id", id);
    if (!interactionsWork) return;
    writeFields(prefix);
    // A fresh index each time: these names are never repeated, so forget them.
    Object.keys(sent).forEach(function (name) {
      if (name.indexOf(prefix) === 0) delete sent[name];
    });
  }

  return session;
}

/**
 * The LmsAdapter of a standard: the session's own calls, and what the standard writes.
 * @param {ApiSession} lms
 * @param {number} suspendLimit
 * @param {Pick<import("./adapter.js").LmsAdapter, "launch" | "saveState" | "saveScore" |
 *   "recordInteraction" | "finish">} standard
 * @returns {import("./adapter.js").LmsAdapter}
 */
export function adapterOf(lms, suspendLimit, standard) {
  return {
    suspendLimit: suspendLimit,
    get lastError() {
      return lms.lastError;
    },
    isOpen: lms.isOpen,
    start: lms.start,
    launch: standard.launch,
    saveState: standard.saveState,
    saveScore: standard.saveScore,
    recordInteraction: standard.recordInteraction,
    commit: lms.commit,
    finish: standard.finish,
  };
}
