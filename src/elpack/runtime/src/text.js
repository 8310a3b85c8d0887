// @ts-check
// Text as the learner's state keeps it.

/**
 * @param {number | string} number
 * @param {number} width
 * @returns {string}
 */
export function pad(number, width) {
  let text = String(number);
  while (text.length < width) text = "0" + text;
  return text;
}

/**
 * The length a text takes inside suspend_data (JSON-escaped), in UTF-16 units as LMSs count.
 * @param {string} text
 * @returns {number}
 */
export function storedLength(text) {
  return JSON.stringify(text).length - 2;
}

/**
 * The longest start of ``text`` whose stored length is at most ``limit``.
 * @param {string} text
 * @param {number} limit
 * @returns {string}
 */
export function fitStored(text, limit) {
  if (storedLength(text) <= limit) return text;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (storedLength(text.slice(0, middle)) <= limit) low = middle;
    else high = middle - 1;
  }
  let cut = text.slice(0, low);
  // never leave half of a surrogate pair behind
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/**
 * Control characters would be stored as six-character escapes; lone surrogates are invalid.
 * @param {string} text
 * @returns {string}
 */
export function cleanText(text) {
  return String(text)
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, " ")
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, "$1");
}

/**
 * @param {string} text
 * @returns {string}
 */
export function normalise(text) {
  return String(text).toLowerCase().replace(/\s+/g, " ").trim();
}
