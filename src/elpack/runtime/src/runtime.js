// @ts-check
// The learner runtime: page-by-page navigation, questions, reflections and branching choices,
// tracked through one LMS adapter. docs/runtime.md describes what it records and why.

import { $, $$, element } from "./dom.js";
import { checks, choiceIds, data, loadContent, pageById, pages, questionElements } from "./content.js";
import { clearHooks } from "./hooks.js";
import { loadMessages, t } from "./i18n.js";
import { keepVersions, readData, showChoice, showVersion } from "./language.js";
import { alertLearner, announce, clearMessages } from "./messages.js";
import { followHash, followLink, showPage } from "./navigation.js";
import { readAnswer, showAnswer, useQuestionTypes } from "./questions/question.js";
import { blocks, questionTypes } from "./registry.js";
import { endSession, ended, flushInputs, save, saveNow, saveWarningShown } from "./save.js";
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

/** The learner leaves with Exit: the session ends, and the page says what was kept. */
function exitModule() {
  const exit = document.getElementById("elpack-exit");
  if (!exit) return;
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
  const switcher = document.getElementById("elpack-switch-language");
  if (switcher) switcher.hidden = true;
  $$(".page").forEach(function (page) {
    page.hidden = true;
  });
  note.focus();
}

function listen() {
  const actions = allActions();
  actions["choose-language"] = function (button) {
    chooseLanguage(button.getAttribute("data-language") || "");
  };
  actions["switch-language"] = function (button) {
    switchLanguage(button.getAttribute("data-language") || "");
  };

  // Listeners on the document, not on the pages' elements: a bilingual package swaps the pages.
  document.addEventListener("click", function (event) {
    const target = /** @type {HTMLElement} */ (event.target);
    const link = target.closest("a");
    if (link && followLink(event, link)) return;
    const button = /** @type {HTMLElement | null} */ (target.closest("button"));
    if (!button) return;
    if (button.id === "elpack-exit") return exitModule();
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
 * How the session started: whether saved progress came back, and what the page must show
 * about the connection.
 * @typedef {object} Start
 * @property {boolean} resumed
 * @property {string} location  the page to open ("" the first)
 * @property {"" | "changed" | "unreadable"} reset  why saved progress that was there could not
 *   be used ("" if it could, or if there was none)
 * @property {number} dropped  saved items that did not fit the module and were left out
 * @property {boolean} open  an LMS session is open (Exit is offered)
 * @property {string | null} refused  the LMS would not start a session: its error code
 * @property {boolean | null} keptHere  no LMS: whether this browser keeps progress (null: an LMS)
 */

/**
 * Opens the LMS session (or this browser's storage) and takes back the learner's progress.
 * @param {LmsAdapter} lms
 * @returns {Start}
 */
function restore(lms) {
  let savedText = "";
  let location = "";
  /** @type {boolean | null} */
  let keptHere = null;
  let refusedError = "";
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
  } else if (connection === "refused") {
    // An LMS is there but would not start a session (expired, or already finished): saving
    // in this browser instead would only hide that nothing reaches the LMS.
    setLaunch({});
    refusedError = lms.lastError;
  } else {
    const local = readLocal();
    setLaunch({ standalone: true, priorStatus: local ? String(local.status || "") : "" });
    if (local) {
      savedText = String(local.suspend || "");
      location = String(local.location || "");
    }
    keptHere = writeLocal(local || {});
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
    open: connection === "open",
    refused: connection === "refused" ? refusedError : null,
    keptHere: keptHere,
  };
}

/**
 * What the pages say about the session, whatever their language: Exit while an LMS session is
 * open, the banner of a module run without an LMS, the note of review and browse modes.
 * @param {Start} start
 */
function showSessionNotes(start) {
  if (start.refused !== null) alertLearner(t("connectionRefused", { error: start.refused }));
  const exit = document.getElementById("elpack-exit");
  if (exit && start.open) exit.hidden = false;
  if (start.keptHere !== null) showStandaloneBanner(t(start.keptHere ? "standaloneKept" : "standaloneNotKept"));
  showModeNotice();
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

/** Each block lays itself out from the learner's progress, in registry order. */
function setUpBlocks() {
  blocks.forEach(function (block) {
    if (block.setUp) block.setUp();
  });
}

/** @type {Start} */
let start;

/**
 * The module begins: the blocks are set up, the first page (or the one the learner left) is
 * shown, and the session's first save is made.
 * @param {boolean} moveFocus  the learner has just chosen a language: focus the page
 */
function begin(moveFocus) {
  setUpBlocks();
  showSessionNotes(start);
  const first = pageById[start.location] || pages[0];
  const hashed = window.location.hash && followHash(moveFocus);
  if (!hashed) showPage(first, moveFocus);
  // Said once the first page is shown, which clears the messages of any page before it.
  const note = start.resumed ? t("welcomeBack") + (start.dropped ? " " + t("answersCleared") : "") :
    start.reset === "changed" ? t("moduleChanged") : start.reset ? t("progressUnreadable") : "";
  if (note && current && current.element) {
    announce(note);
    current.element.insertBefore(element("p", "welcome-back", note), current.element.children[1] || null);
  }
  saveNow(); // sets lesson_status at once: "not attempted" must not stay
  if (window.performance && performance.mark) performance.mark("elpack-ready");
}

/**
 * Puts the pages of ``language`` on screen with the runtime's data and strings in it.
 * @param {string} language
 * @returns {boolean} false when the package has no such language
 */
function useLanguage(language) {
  if (language !== data.language && !showVersion(language)) return false;
  const runtimeData = readData();
  loadMessages(runtimeData);
  loadContent(runtimeData);
  progress.language = language;
  return true;
}

/**
 * The learner's first choice of language (a bilingual package's first screen).
 * @param {string} language
 */
function chooseLanguage(language) {
  if (document.body.classList.contains("language-chosen") || !useLanguage(language)) return;
  showChoice(true);
  begin(true);
}

/**
 * The answers on screen that the progress does not hold yet: knowledge checks answered but not
 * checked, and branching choices picked but not made. By question or choice id.
 * @returns {Record<string, string>}
 */
function unsavedAnswers() {
  /** @type {Record<string, string>} */
  const found = {};
  checks.forEach(function (id, index) {
    if (!progress.answers[index] && questionElements[id]) found[id] = readAnswer(id);
  });
  choiceIds.forEach(function (id, index) {
    /** @type {HTMLInputElement | null} */
    const picked = $("input:checked", document.getElementById(id));
    if (!progress.choices[index] && picked) found[id] = picked.value;
  });
  return found;
}

/**
 * Shows again the answers ``unsavedAnswers`` found, in the pages of the other language.
 * @param {Record<string, string>} unsaved
 */
function showUnsaved(unsaved) {
  checks.forEach(function (id) {
    if (unsaved[id] && questionElements[id]) showAnswer(id, unsaved[id]);
  });
  choiceIds.forEach(function (id) {
    const option = unsaved[id];
    $$("input", document.getElementById(id)).forEach(function (input) {
      if (option && /** @type {HTMLInputElement} */ (input).value === option) {
        /** @type {HTMLInputElement} */ (input).checked = true;
      }
    });
  });
}

/**
 * The learner changes language mid-module: the pages of ``language`` replace those on screen,
 * and everything the learner did comes back through the same path as a resume (the progress,
 * then each block's setUp), with what they were still typing or choosing. They stay on the
 * same page, with the focus on its heading.
 * @param {string} language
 */
function switchLanguage(language) {
  if (ended || language === data.language) return;
  flushInputs(false);
  const unsaved = unsavedAnswers();
  const page = current ? current.id : "";
  clearMessages();
  clearHooks();
  if (!useLanguage(language)) return;
  setUpBlocks();
  showUnsaved(unsaved);
  showSessionNotes(start);
  if (saveWarningShown) alertLearner(t("saveFailed"));
  const shown = pageById[page] || pages[0];
  showPage(shown, true);
  announce(t("languageChanged"));
  save(0);
}

/**
 * Starts the runtime on this page, reporting to the LMS through ``lms``.
 * @param {LmsAdapter} lms
 */
export function run(lms) {
  if (!document.getElementById("elpack-data")) return;
  const runtimeData = readData();
  document.documentElement.classList.add("js");
  loadMessages(runtimeData);
  loadContent(runtimeData);
  useQuestionTypes(questionTypes);
  beginSession(lms, freshProgress());
  listen();
  const languages = runtimeData.languages || [];
  if (languages.length) keepVersions();
  start = restore(lms);
  if (!languages.length) {
    begin(false);
  } else {
    // A resumed attempt opens in the language chosen last; otherwise the learner chooses first.
    const chosen = progress.language;
    if (chosen && useLanguage(chosen)) {
      showChoice(true);
      begin(false);
    } else {
      showChoice(false);
    }
  }

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
