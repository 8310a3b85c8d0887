// @ts-check
// The module's content as the runtime data describes it, with its place in the page. Read once
// at start (loadContent) and never changed after that.

/** @typedef {import("./types.js").RuntimeData} RuntimeData */
/** @typedef {import("./types.js").Page} Page */
/** @typedef {import("./types.js").QuestionData} QuestionData */

/** @type {RuntimeData} */
export let data;
/** @type {Page[]} */
export let pages;
/** @type {Record<string, Page>} */
export let pageById;
/** @type {Page[]} pages outside branches */
export let mainLine;
/** @type {string[]} knowledge-check question ids, in page order */
export let checks;
/** @type {string[]} */
export let choiceIds;
/** @type {Record<string, Record<string, string | null>>} */
export let choiceTargets;
/** @type {string[]} the assessment's pool ([] without an assessment) */
export let pool;
/** @type {number} characters per drawn question in the saved draw */
export let drawWidth;
/** @type {string[]} items reported to the LMS once per attempt each */
export let recordable;
/** @type {Record<string, HTMLElement>} question fieldsets by id */
export let questionElements;

/**
 * @param {RuntimeData} runtimeData
 */
export function loadContent(runtimeData) {
  data = runtimeData;
  pageById = {};
  pages = data.pages.map(function (page, index) {
    /** @type {Page} */
    const placed = Object.assign({}, page, { index: index, element: document.getElementById("page-" + page.id) });
    pageById[page.id] = placed;
    return placed;
  });
  mainLine = pages.filter(function (page) {
    return !page.branch;
  });
  checks = data.checks;
  choiceIds = data.choices.map(function (choice) {
    return choice.id;
  });
  choiceTargets = {};
  data.choices.forEach(function (choice) {
    choiceTargets[choice.id] = choice.targets;
  });
  pool = data.assessment ? data.assessment.questions : [];
  drawWidth = pool.length > 36 ? 2 : 1;
  recordable = checks.concat(data.reflections, choiceIds);
  questionElements = {};
  document.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
    questionElements[fieldset.id] = /** @type {HTMLElement} */ (fieldset);
  });
}

/**
 * @param {string} id
 * @returns {QuestionData}
 */
export function question(id) {
  return data.questions[id];
}
