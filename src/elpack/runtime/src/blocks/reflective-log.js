// @ts-check
// The reflective log on the closing page: every reflection with the learner's text, to read,
// print or download.

import { $, element, textOf, wordsOf } from "../dom.js";
import { data } from "../content.js";
import { hooks } from "../hooks.js";
import { t } from "../i18n.js";
import { announce } from "../messages.js";
import { progress } from "../session.js";

/** @typedef {import("../types.js").Page} Page */

export function renderLog() {
  const log = $("#elpack-log .log-entries");
  if (!log) return;
  log.textContent = "";
  data.reflections.forEach(function (id, index) {
    const entry = element("div", "log-entry");
    const prompt = document.getElementById(id + "-prompt");
    const heading = element("h3", "log-prompt");
    heading.appendChild(wordsOf(prompt));  // English left in a translated module keeps its lang
    entry.appendChild(heading);
    const answer = progress.reflections[index];
    const text = element("p", "log-answer" + (answer ? "" : " is-empty"),
      answer || t("logNotWritten"));
    entry.appendChild(text);
    const link = /** @type {HTMLAnchorElement} */ (element("a", "log-link", t("logGoTo", { number: index + 1 })));
    link.href = "#" + id;
    entry.appendChild(link);
    log.appendChild(entry);
  });
}

/** @returns {string} */
function logAsText() {
  const lines = [data.title, t("logTitle"), t("logDate", { date: new Date().toISOString().slice(0, 10) }), ""];
  data.reflections.forEach(function (id, index) {
    lines.push(textOf(document.getElementById(id + "-prompt")));
    lines.push(progress.reflections[index] || t("logEmpty"));
    lines.push("");
  });
  return lines.join("\r\n");
}

function downloadLog() {
  const blob = new Blob([logAsText()], { type: "text/plain;charset=utf-8" });
  const link = /** @type {HTMLAnchorElement} */ (element("a"));
  link.href = URL.createObjectURL(blob);
  link.download = data.id + "-reflective-log.txt";
  document.body.appendChild(link);
  link.click();
  link.remove();
  window.setTimeout(function () {
    URL.revokeObjectURL(link.href);
  }, 1000);
  announce(t("logDownloaded", { file: link.download }), document.getElementById("elpack-log"));
}

function printLog() {
  document.body.classList.add("printing-log");
  window.addEventListener("afterprint", function done() {
    document.body.classList.remove("printing-log");
    window.removeEventListener("afterprint", done);
  });
  window.print();
}

/** @param {Page} page */
function logShown(page) {
  if (page.element && page.element.querySelector("#elpack-log")) renderLog();
}

/** @type {import("../types.js").BlockBehaviour} */
export const reflectiveLog = {
  setUp: function () {
    hooks.pageShown.push(logShown);
  },
  actions: {
    "print-log": printLog,
    "download-log": downloadLog,
  },
};
