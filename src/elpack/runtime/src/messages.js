// @ts-check
// Messages to the learner, through the page's live regions.

/**
 * A polite message for screen readers (and sighted learners, where the theme shows it).
 * @param {string} message
 */
export function announce(message) {
  const statusRegion = document.getElementById("elpack-status");
  if (!statusRegion) return;
  // Clearing first makes screen readers repeat a message that happens to be the same again.
  statusRegion.textContent = "";
  window.setTimeout(function () {
    statusRegion.textContent = message;
  }, 50);
}

/**
 * A message that must not be missed; "" clears it.
 * @param {string} message
 */
export function alertLearner(message) {
  const alertRegion = document.getElementById("elpack-alert");
  if (!alertRegion) return announce(message);
  alertRegion.textContent = message;
}
