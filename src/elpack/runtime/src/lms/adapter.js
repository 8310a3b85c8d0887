// @ts-check
// The one small interface the runtime calls to reach an LMS, whatever the standard. Each
// standard is one adapter (scorm12.js, scorm2004.js), chosen by the entry point
// (main-<target>.js). Everything that names a data-model element, a value format (durations,
// times, response delimiters) or a size limit of the standard stays inside its adapter; what
// both standards' run-time APIs do alike (discovery, checked calls, the session) is in api.js.

/**
 * Where the LMS connection stands after start(): "none" when there is no LMS (the module is
 * opened on its own), "refused" when an LMS is there but would not start a session, else "open".
 * @typedef {"none" | "refused" | "open"} Connection
 */

/**
 * What the LMS holds from earlier sessions, read once at launch.
 * @typedef {object} Launch
 * @property {boolean} review  the LMS opened a finished attempt for review: record nothing
 * @property {boolean} browse  the LMS opened the module to preview (browse): record nothing
 * @property {string} learner  the LMS's id of the learner ("" if none)
 * @property {number | null} passMark  the LMS's own pass mark (0-100), if it gives one
 * @property {string} priorStatus  "passed", "completed", "failed" or anything else the LMS said
 * @property {number} priorScore  the score (0-100) the LMS holds, -1 if none
 * @property {string} suspend  the saved state ("" if none)
 * @property {string} location  the page id the learner was on ("" if none)
 */

/**
 * The learner's standing, saved at every save.
 * @typedef {object} SavedState
 * @property {string | null} location  the current page id
 * @property {string} suspend  the serialised progress
 * @property {import("../types.js").LessonStatus} status  the SCORM 1.2 style combined status
 * @property {boolean} completed  every page of the main line seen (or completed earlier)
 * @property {"passed" | "failed" | "unknown"} success  against the pass mark, for scored modules
 * @property {boolean} finished  nothing is left to do: the learner will not resume
 */

/**
 * A response part: an option id or text, or a [source, target] pair of a matching question.
 * Adapters join the parts with their standard's delimiters.
 * @typedef {string | [string, string]} ResponsePart
 */

/**
 * One answered item.
 * @typedef {object} Interaction
 * @property {string} id
 * @property {string} type  the SCORM interaction type ("choice", "fill-in", "matching", ...)
 * @property {ResponsePart[]} response
 * @property {"correct" | "wrong" | "neutral"} result
 * @property {string} pattern  the correct-response pattern ("" for none)
 * @property {number} weighting
 * @property {number} latency  milliseconds from showing the item to answering it
 * @property {string} [description]  the question or prompt, as plain text
 */

/**
 * @typedef {object} LmsAdapter
 * @property {number} suspendLimit  characters of saved state the standard guarantees
 * @property {string} lastError  the LMS's error code after the last call ("" or "0": none)
 * @property {() => boolean} isOpen  a session is open: calls reach the LMS
 * @property {() => Connection} start  find the API and open the session
 * @property {(scored: boolean) => Launch} launch  what the LMS holds; only meaningful when open.
 *   ``scored``: the module has a pass mark, so the LMS may hold one of its own
 * @property {(state: SavedState) => boolean} saveState  false if the LMS refused a value that
 *   resume depends on
 * @property {(score: number) => void} saveScore  a score of 0-100
 * @property {(record: Interaction) => void} recordInteraction  quietly does nothing when the
 *   LMS keeps no interactions
 * @property {() => boolean} commit
 * @property {(sessionMilliseconds: number | null) => boolean} finish  reports the session time
 *   (unless null), commits and ends the session; the API is never called again
 */

export {};
