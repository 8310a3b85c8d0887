// @ts-check
// Seeded randomness, so that a draw or an option order can be repeated exactly on resume from
// the seed kept in suspend_data.

/**
 * A small seeded generator (mulberry32).
 * @param {number} seed
 * @returns {() => number} numbers in [0, 1)
 */
export function generator(seed) {
  let state = seed >>> 0;
  return function () {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * FNV-1a over UTF-16 units.
 * @param {string} text
 * @returns {number}
 */
export function hashText(text) {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

/**
 * @template T
 * @param {T[]} list
 * @param {() => number} random
 * @returns {T[]}
 */
export function shuffled(list, random) {
  const copy = list.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = copy[i];
    copy[i] = copy[j];
    copy[j] = swap;
  }
  return copy;
}

/**
 * The questions of one assessment attempt: ``draw`` of ``pool`` at random. With ``strata`` (the
 * questions of each learning objective, from 'draw_by: objective'), one question of every
 * objective is taken first, then the draw is filled from the rest of the pool, so that every
 * attempt tests every objective. The drawn questions are shown in a random order.
 * @param {string[]} pool
 * @param {number} draw
 * @param {string[][] | undefined} strata
 * @param {() => number} random
 * @returns {string[]}
 */
export function drawQuestions(pool, draw, strata, random) {
  if (!strata || !strata.length) return shuffled(pool, random).slice(0, draw);
  /** @type {string[]} */
  const chosen = [];
  // Each question tests one objective, so the groups never share a question.
  shuffled(strata, random).forEach(function (group) {
    if (chosen.length < draw && group.length) chosen.push(shuffled(group, random)[0]);
  });
  shuffled(pool, random).forEach(function (id) {
    if (chosen.length < draw && chosen.indexOf(id) < 0) chosen.push(id);
  });
  return shuffled(chosen, random);
}

/** @returns {string} */
export function newSeed() {
  return Math.floor(Math.random() * 2147483647).toString(36);
}
