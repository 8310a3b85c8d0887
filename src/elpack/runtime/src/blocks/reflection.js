// @ts-check
// Reflections: a free-text box whose text is kept, cut to the module's share, and shown again
// in the reflective log. Private reflections (the default) are kept in this browser only, per
// module and learner, and never reach the LMS: not as interactions, not in suspend_data.
// Recorded ones are kept with the learner's progress and reported to the LMS.

import { element, textOf } from "../dom.js";
import { data } from "../content.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { announce } from "../messages.js";
import { save } from "../save.js";
import { learnerId, markRecorded, pageShownAt, progress, recordInteraction } from "../session.js";
import { cleanText, fitStored } from "../text.js";
import { renderLog } from "./reflective-log.js";

/** @type {Record<string, boolean>} reflections cut since the learner was last told */
const shortened = {};

/** @returns {string} where this learner's private reflections on this module are kept */
function privateKey() {
  return "elpack:reflections:" + data.id + ":" + learnerId;
}

/**
 * The private reflections kept in this browser, if any. Anything else on this origin can write
 * there, so each text is cleaned and cut to the reflection's limit as if typed into the box.
 * @returns {string[] | null}
 */
function readPrivate() {
  try {
    const kept = JSON.parse(window.localStorage.getItem(privateKey()) || "null");
    if (!Array.isArray(kept) || kept.length !== data.reflections.length ||
      !kept.every(function (text) { return typeof text === "string"; })) return null;
    return kept.map(function (text) { return fitStored(cleanText(text), data.reflectionLimit); });
  } catch (error) {
    return null;
  }
}

/** @returns {boolean} false when this browser keeps nothing */
function writePrivate() {
  try {
    window.localStorage.setItem(privateKey(), JSON.stringify(progress.reflections));
    return true;
  } catch (error) {
    return false;
  }
}

/**
 * @param {string} id
 * @returns {HTMLTextAreaElement | null}
 */
function boxOf(id) {
  return /** @type {HTMLTextAreaElement | null} */ (document.getElementById(id + "-answer"));
}

/**
 * @param {string} id
 * @returns {string}
 */
function reflectionText(id) {
  const box = boxOf(id);
  return box ? cleanText(box.value) : "";
}

/**
 * Keeps the box's text in the learner's progress, cut to the reflection's share if need be,
 * and reports it to the LMS the first time (unless ``quietly``); returns whether it changed.
 * @param {string} id
 * @param {boolean} [quietly]
 * @returns {boolean}
 */
function storeReflection(id, quietly) {
  const index = data.reflections.indexOf(id);
  const text = reflectionText(id);
  const kept = fitStored(text, data.reflectionLimit);
  const box = boxOf(id);
  if (kept.length < text.length && box) {
    box.value = kept;
    shortened[id] = true;
  }
  const changed = kept !== progress.reflections[index];
  progress.reflections[index] = kept;
  if (data.reflectionsPrivate) {
    if (changed) writePrivate();
    return changed;
  }
  // Text kept quietly while it was typed is still reported at the first real save.
  if (kept.trim() && !quietly && markRecorded(id)) {
    recordInteraction({
      id: id,
      type: "fill-in",
      response: [kept.replace(/\s+/g, " ").trim()],
      result: "neutral",
      pattern: "",
      weighting: 0,
      latency: Date.now() - pageShownAt,
      description: textOf(document.getElementById(id + "-prompt")),
    });
  }
  return changed;
}

/**
 * @param {string} id
 * @param {boolean} spoken  the learner asked for the save: say so
 */
function saveReflection(id, spoken) {
  const wasCut = shortened[id];
  const changed = storeReflection(id);
  // Said on the explicit save too: leaving the box (a change event) may have cut it first.
  if (spoken || (shortened[id] && !wasCut)) {
    announce(shortened[id] ? t("reflectionShortened", { limit: data.reflectionLimit }) : t("reflectionSaved"),
    boxOf(id));
  }
  if (spoken) shortened[id] = false;
  if (!changed && !spoken) return;
  renderLog();
  save(spoken ? 0 : undefined);
}

// What the learner is still typing counts too: a tab can close before the box loses focus.
// Half-typed text is kept for resume, but reported to the LMS only when the session ends.
/** @param {boolean} final */
function flushReflections(final) {
  data.reflections.forEach(function (id) {
    if (boxOf(id)) storeReflection(id, !final);
  });
}

/**
 * @param {HTMLElement} node
 * @returns {string | null}
 */
function reflectionAround(node) {
  const holder = node.closest("[data-reflection]");
  return holder ? holder.getAttribute("data-reflection") : null;
}

/** @type {import("../types.js").BlockBehaviour} */
export const reflection = {
  setUp: function () {
    hooks.flush.push(flushReflections);
    let notice = t("reflectionSentToLms");
    if (data.reflectionsPrivate) {
      const kept = readPrivate();
      if (kept) progress.reflections = kept;
      notice = writePrivate() ? t("reflectionKeptHere") : t("reflectionNotKept");
    }
    data.reflections.forEach(function (id, index) {
      const box = boxOf(id);
      if (!box) return;
      box.value = progress.reflections[index];
      const hint = element("p", "hint reflection-notice", notice + " " +
        t("reflectionLimit", { limit: data.reflectionLimit }));
      hint.id = id + "-hint";
      box.setAttribute("aria-describedby", hint.id);
      /** @type {ParentNode} */ (box.parentNode).insertBefore(hint, box);
    });
  },
  actions: {
    "save-reflection": function (button) {
      const id = reflectionAround(button);
      if (id !== null) saveReflection(id, true);
    },
  },
  changed: function (target) {
    const id = reflectionAround(target);
    if (id !== null) saveReflection(id, false);
  },
};
