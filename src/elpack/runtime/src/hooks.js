// @ts-check
// Where block behaviours hook into the shared machinery (saving, navigation, answers), so that
// neither side imports the other. Blocks add their functions when they are set up.

/** @typedef {import("./types.js").Page} Page */

export const hooks = {
  /**
   * Before each save: copy what the learner is still typing into the progress. ``final`` is
   * true when the session ends (half-typed text is then reported to the LMS too).
   * @type {Array<(final: boolean) => void>}
   */
  flush: [],
  /** After a page is shown. @type {Array<(page: Page) => void>} */
  pageShown: [],
  /**
   * When the learner follows a page's Next link: a guard that returns true has stopped it
   * (and told the learner why).
   * @type {Array<(page: Page) => boolean>}
   */
  nextGuards: [],
  /** A question's answer changed (not yet checked). @type {Array<(id: string) => void>} */
  answerChanged: [],
};

/** Forgets every hook: a bilingual package's blocks are set up again after a change of language. */
export function clearHooks() {
  hooks.flush.length = 0;
  hooks.pageShown.length = 0;
  hooks.nextGuards.length = 0;
  hooks.answerChanged.length = 0;
}
