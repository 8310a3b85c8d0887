// @ts-check
// Where progress lives when there is no LMS: this browser's localStorage.

import { data } from "./content.js";

/**
 * @typedef {object} LocalRecord
 * @property {string} [suspend]
 * @property {string} [location]
 * @property {string} [status]
 */

/** @returns {string} */
function storageKey() {
  return "elpack:" + data.id;
}

/** @returns {LocalRecord | null} */
export function readLocal() {
  try {
    return JSON.parse(window.localStorage.getItem(storageKey()) || "null");
  } catch (error) {
    return null;
  }
}

/**
 * @param {LocalRecord} record
 * @returns {boolean} false when this browser keeps nothing
 */
export function writeLocal(record) {
  try {
    window.localStorage.setItem(storageKey(), JSON.stringify(record));
    return true;
  } catch (error) {
    return false;
  }
}
