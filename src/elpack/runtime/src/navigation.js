// @ts-check
// Pages and navigation: one page on screen at a time, the contents list and progress bar, and
// hash links between pages.

import { $, $$, element } from "./dom.js";
import { data, mainLine, pageById, pages } from "./content.js";
import { hooks } from "./hooks.js";
import { t, tn } from "./i18n.js";
import { clearMessages } from "./messages.js";
import { save } from "./save.js";
import { current, mainLineSeen, progress, setCurrent } from "./session.js";

/** @typedef {import("./types.js").Page} Page */

function updateContents() {
  $$(".contents a[data-page]").forEach(function (link) {
    const id = link.getAttribute("data-page") || "";
    const page = pageById[id];
    if (current && (current.id === id || (current.branch && current.previous === id))) {
      link.setAttribute("aria-current", "page");
    } else {
      link.removeAttribute("aria-current");
    }
    const seen = page && progress.seen[page.index];
    link.classList.toggle("seen", Boolean(seen));
    let marker = $(".seen-marker", link);
    if (seen && !marker) {
      marker = element("span", "seen-marker");
      marker.appendChild(element("span", "visually-hidden", " " + t("seen")));
      link.appendChild(marker);
    }
  });
  const progressBar = document.getElementById("elpack-progress");
  if (progressBar) {
    const seen = mainLineSeen();
    progressBar.hidden = false;
    /** @type {HTMLProgressElement | null} */
    const bar = $("progress", progressBar);
    const percent = Math.round((100 * seen) / mainLine.length);
    if (bar) {
      bar.value = percent;
      bar.setAttribute("aria-valuetext", percent + "%");
    }
    const text = $(".progress-text", progressBar);
    if (text) text.textContent = tn("pagesSeen", mainLine.length, { seen: seen });
  }
}

/** @param {Page} page */
export function focusHeading(page) {
  const heading = $("h1", page.element);
  if (!heading) return;
  heading.tabIndex = -1;
  window.scrollTo(0, 0);
  heading.focus({ preventScroll: true });
}

/**
 * @param {Page | undefined} page
 * @param {boolean} moveFocus
 */
export function showPage(page, moveFocus) {
  if (!page || !page.element) return;
  if (page !== current) clearMessages();
  pages.forEach(function (other) {
    if (other !== page && other.element) other.element.classList.remove("current");
  });
  setCurrent(page);
  page.element.classList.add("current");
  progress.seen[page.index] = true;
  document.title = page.title + " \u2013 " + data.title;
  updateContents();
  hooks.pageShown.forEach(function (shown) {
    shown(page);
  });
  if (moveFocus) focusHeading(page);
  save();
}

/**
 * Hash links move between pages (Previous/Next, contents, links to another page's block): show
 * the page that holds the target, then bring the target into view.
 * @param {boolean} moveFocus
 * @returns {boolean} whether the hash named something on a page
 */
export function followHash(moveFocus) {
  let id = window.location.hash.slice(1);
  try {
    id = decodeURIComponent(id);
  } catch (error) {
    // a stray "%" in a link: use the hash as it is
  }
  if (!id) return false;
  const target = document.getElementById(id);
  const pageElement = target && target.closest("section.page");
  if (!target || !pageElement) return false;
  const page = pageById[pageElement.getAttribute("data-page") || ""];
  if (page !== current) showPage(page, moveFocus && target === pageElement);
  // the current page's own link (in the contents) still takes the focus to its heading
  else if (moveFocus && target === pageElement) focusHeading(page);
  if (target !== pageElement && moveFocus) {
    if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA)$/.test(target.tagName)) {
      target.tabIndex = -1;
    }
    target.scrollIntoView();
    target.focus({ preventScroll: true });
  }
  return true;
}

/**
 * A click on a link: Next waits for what the page's blocks still need, and a link to the hash
 * already shown is followed anyway. Returns true when it handled the click.
 * @param {MouseEvent} event
 * @param {HTMLAnchorElement} link
 * @returns {boolean}
 */
export function followLink(event, link) {
  if (link.classList.contains("next") && current) {
    const page = current;
    if (hooks.nextGuards.some(function (guard) { return guard(page); })) {
      event.preventDefault();
      return true;
    }
  }
  if (link.getAttribute("href") === window.location.hash && link.hash) {
    // the same hash does not fire hashchange; follow it anyway (outside pages, the browser does)
    if (followHash(true)) event.preventDefault();
    return true;
  }
  return false;
}
