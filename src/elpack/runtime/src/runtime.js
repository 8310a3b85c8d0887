// @ts-check
// The learner runtime: page-by-page navigation, questions, reflections and branching choices,
// tracked through one LMS adapter. docs/runtime.md describes what it records and why.

import { $$, element } from "./dom.js";
import { data, loadContent, pageById, pages } from "./content.js";
import { loadMessages, t } from "./i18n.js";
import { alertLearner, announce } from "./messages.js";
import { followHash, followLink, showPage } from "./navigation.js";
import { useQuestionTypes } from "./questions/question.js";
import { blocks, questionTypes } from "./registry.js";
import { endSession, ended, saveNow } from "./save.js";
import {
  beginSession, current, isFinished, lessonMode, lessonStatus, priorScore, priorStatus, progress, setLaunch, setProgress,
} from "./session.js";
import { deserialise, freshProgress, serialise } from "./state.js";
import { readLocal, writeLocal } from "./storage.js";

/** @typedef {import("./lms/adapter.js").LmsAdapter} LmsAdapter */
/** @typedef {(button: HTMLElement) => void} Action */

/** @returns {Record<string, Action>} every button action of the blocks and question types */
function allActions() {
  /** @type {Record<string, Action>} */
  const actions = {};
  /** @type {Array<{actions?: Record<string, Action>}>} */
  const owners = [];
  owners.concat(blocks, Object.values(questionTypes)).forEach(function (owner) {
    if (owner.actions) Object.assign(actions, owner.actions);
  });
  return actions;
}

/** @param {HTMLElement | null} exitButton */
function listen(exitButton) {
  const actions = allActions();

  document.addEventListener("click", function (event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const link = target.closest("a");
    if (link && followLink(event, link)) return;
    const button = /** @type {HTMLElement | null} */ (target.closest("button"));
    if (!button) return;
    const action = actions[button.getAttribute("data-action") || ""];
    if (action) action(button);
  });

  document.addEventListener("change", function (event) {
    const target = /** @type {HTMLElement} */ (event.target);
    blocks.forEach(function (block) {
      if (block.changed) block.changed(target);
    });
  });

  window.addEventListener("hashchange", function () {
    followHash(true);
  });

  // The learner may close the tab without Exit: pagehide still saves and finishes the session.
  window.addEventListener("pagehide", endSession);
  // Back to a page kept in the browser's back-forward cache after its session ended: start
  // again, so the learner meets a live session (or the plain message that the LMS refuses one).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && ended) window.location.reload();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !ended) saveNow();
  });

  if (exitButton) {
    const exit = exitButton;
    exit.addEventListener("click", function () {
      const saved = endSession();
      document.body.classList.add("exited");
      const main = /** @type {HTMLElement} */ (document.getElementById("elpack-main"));
      const note = element("div", "exit-note");
      note.appendChild(element("h1", "", t("leftModule")));
      note.appendChild(element("p", "", !saved ? t("exitNotConfirmed")
        : isFinished() ? t("exitResultRecorded") : t("exitProgressSaved")));
      note.tabIndex = -1;
      main.appendChild(note);
      exit.hidden = true;
      $$(".page").forEach(function (page) {
        page.hidden = true;
      });
      note.focus();
    });
  }
}

/**
 * The banner the page's own head script has already shown when nothing framed or opened it, so
 * that it moved nothing; in a frame with no LMS it appears now. A theme's own index.html may
 * lack it: then it is added.
 * @param {string} text
 */
function showStandaloneBanner(text) {
  document.documentElement.classList.add("standalone");
  const banner = document.getElementById("elpack-standalone");
  if (banner) {
    if (banner.textContent !== text) banner.textContent = text;
    return;
  }
  const main = /** @type {HTMLElement} */ (document.getElementById("elpack-main"));
  main.insertBefore(element("p", "standalone-banner", text), main.firstChild);
}

/**
 * Opens the LMS session (or this browser's storage) and takes back the learner's progress.
 * @param {LmsAdapter} lms
 * @param {HTMLElement | null} exitButton
 * @returns {{resumed: boolean, location: string, reset: "" | "changed" | "unreadable", dropped: number}}
 *   reset: why saved progress that was there could not be used ("" if it could, or if there
 *   was none); dropped: saved items that did not fit the module and were left out
 */
function restore(lms, exitButton) {
  let savedText = "";
  let location = "";
  const connection = lms.start();
  if (connection === "open") {
    const launch = lms.launch(data.scored);
    setLaunch({
      review: launch.review,
      browse: launch.browse,
      learner: launch.learner,
      passMark: launch.passMark,
      priorStatus: launch.priorStatus,
      priorScore: launch.priorScore,
    });
    savedText = launch.suspend;
    location = launch.location;
    if (exitButton) exitButton.hidden = false;
  } else if (connection === "refused") {
    // An LMS is there but would not start a session (expired, or already finished): saving
    // in this browser instead would only hide that nothing reaches the LMS.
    setLaunch({});
    alertLearner(t("connectionRefused", { error: lms.lastError }));
  } else {
    const local = readLocal();
    setLaunch({ standalone: true, priorStatus: local ? String(local.status || "") : "" });
    if (local) {
      savedText = String(local.suspend || "");
      location = String(local.location || "");
    }
    const canKeep = writeLocal(local || {});
    showStandaloneBanner(t(canKeep ? "standaloneKept" : "standaloneNotKept"));
  }
  if (connection !== "none") document.documentElement.classList.remove("standalone");
  const saved = savedText ? deserialise(savedText, lms.suspendLimit) : null;
  const restored = saved && "progress" in saved ? saved : null;
  if (restored) {
    setProgress(restored.progress);
  } else if (savedText) {
    location = "";
  }
  return {
    resumed: Boolean(restored),
    location: location,
    reset: saved && "reason" in saved ? saved.reason : "",
    dropped: restored ? restored.dropped : 0,
  };
}

/**
 * In review and browse modes the LMS records nothing: say so at the top, with the result it
 * holds, so that nobody retakes an assessment believing it counts.
 */
function showModeNotice() {
  if (lessonMode === "normal") return;
  const main = /** @type {HTMLElement} */ (document.getElementById("elpack-main"));
  const notice = element("div", "mode-notice");
  notice.setAttribute("role", "note");
  if (lessonMode === "review") {
    notice.appendChild(element("p", "", t("reviewMode")));
    if (priorStatus) {
      const status = t(priorStatus === "passed" ? "statusPassed" :
        priorStatus === "failed" ? "statusFailed" : "statusCompleted");
      notice.appendChild(element("p", "", priorScore >= 0 ?
        t("recordedResultScore", { status: status, score: priorScore }) :
        t("recordedResult", { status: status })));
    }
  } else {
    notice.appendChild(element("p", "", t("browseMode")));
  }
  main.insertBefore(notice, main.firstChild);
}

/**
 * Starts the runtime on this page, reporting to the LMS through ``lms``.
 * @param {LmsAdapter} lms
 */
export function run(lms) {
  const dataElement = document.getElementById("elpack-data");
  if (!dataElement) return;
  const runtimeData = JSON.parse(String(dataElement.textContent));
  document.documentElement.classList.add("js");
  loadMessages(runtimeData);
  loadContent(runtimeData);
  useQuestionTypes(questionTypes);
  beginSession(lms, freshProgress());
  const exitButton = document.getElementById("elpack-exit");
  listen(exitButton);

  const start = restore(lms, exitButton);
  blocks.forEach(function (block) {
    if (block.setUp) block.setUp();
  });
  const first = pageById[start.location] || pages[0];
  const hashed = window.location.hash && followHash(false);
  if (!hashed) showPage(first, false);
  // Said once the first page is shown, which clears the messages of any page before it.
  const note = start.resumed ? t("welcomeBack") + (start.dropped ? " " + t("answersCleared") : "") :
    start.reset === "changed" ? t("moduleChanged") : start.reset ? t("progressUnreadable") : "";
  if (note && current && current.element) {
    announce(note);
    current.element.insertBefore(element("p", "welcome-back", note), current.element.children[1] || null);
  }
  showModeNotice();
  saveNow(); // sets lesson_status at once: "not attempted" must not stay
  if (window.performance && performance.mark) performance.mark("elpack-ready");

  // For the reviewer preview and the tests: read-only views of what the runtime holds.
  Object.assign(window, {
    elpack: {
      suspendData: function () {
        return serialise(progress);
      },
      status: lessonStatus,
    },
  });
}
