// @ts-check
// The learner's interface strings, in the module's language. elpack puts in the runtime data
// only the strings this runtime uses (runtime/messages.json), already translated from its
// catalogue: a text, or for a count one text per CLDR plural category, chosen here with the
// browser's Intl.PluralRules (CLDR's rules too; Welsh has six categories).

/** @type {Record<string, string | Record<string, string>>} */
let strings = {};
/** @type {Intl.PluralRules | null} */
let plurals = null;

/**
 * @param {{ language: string, messages: Record<string, string | Record<string, string>> }} data
 */
export function loadMessages(data) {
  strings = data.messages || {};
  try {
    plurals = new Intl.PluralRules(data.language);
  } catch (error) {
    plurals = null;
  }
}

/**
 * ``{name}`` in ``text`` replaced by ``values.name``.
 * @param {string} text
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
function fill(text, values) {
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, function (whole, name) {
    return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
  });
}

/**
 * The interface string ``key`` (a key of runtime/messages.json), its ``{name}``s filled in.
 * @param {string} key
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function t(key, values) {
  const found = strings[key];
  if (typeof found === "string") return fill(found, values);
  if (found) return fill(found.other || "", values);
  return key;  // tests/test_i18n.py keeps every key in every catalogue
}

/**
 * The plural interface string ``key`` for ``count``: the form of count's CLDR plural category
 * in the module's language; ``{count}`` and the other ``{name}``s filled in.
 * @param {string} key
 * @param {number} count
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function tn(key, count, values) {
  const found = strings[key];
  const all = Object.assign({ count: count }, values || {});
  if (typeof found === "string") return fill(found, all);
  if (!found) return key;
  const category = plurals ? plurals.select(count) : (count === 1 ? "one" : "other");
  return fill(found[category] || found.other || "", all);
}

/**
 * The interface string ``key`` with its ``{name}``s filled in by text or by nodes (words that
 * keep their own lang, see dom.js wordsOf), as nodes to put into an element.
 * @param {string} key
 * @param {Record<string, string | Node>} values
 * @returns {DocumentFragment}
 */
export function tParts(key, values) {
  const parts = document.createDocumentFragment();
  t(key).split(/\{(\w+)\}/).forEach(function (part, index) {
    parts.append(index % 2 ? values[part] || "{" + part + "}" : part);  // odd: a {name}
  });
  return parts;
}
