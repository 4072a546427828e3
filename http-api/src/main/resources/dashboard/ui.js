// Small DOM helpers shared by the pages, and the message line at the top of the page.
import { ApiError } from './api.js';

/** el('td', {class: 'num'}, 'text', child, ...): an element with attributes and children. */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  }
  return e;
}

export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null));
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function num(x) {
  if (x === undefined || x === null) return '';
  return Number.isInteger(x) ? x.toLocaleString() : Number(x).toLocaleString(undefined, { maximumFractionDigits: 3 });
}

let heldUntil = 0;

/** Shows text (none: hides the message line); holdMillis keeps it against clearMessage() that long. */
export function showMessage(text, holdMillis = 0) {
  const m = document.getElementById('message');
  m.textContent = text || '';
  m.hidden = !text;
  heldUntil = Date.now() + holdMillis;
}

/** Hides the message line unless a message of an action (e.g. a refused rebuild) is held. */
export function clearMessage() {
  if (Date.now() >= heldUntil) showMessage(null);
}

/**
 * Shows why a call failed; a refused token (401) opens the token form. holdMillis: for an action's
 * failure, which the next successful poll must not hide at once.
 */
export function reportError(e, holdMillis = 0) {
  if (e instanceof ApiError && e.status === 401) {
    showMessage(`The token was not accepted (401): ${e.detail}. Enter a valid token.`, holdMillis);
    document.getElementById('token-form').hidden = false;
  } else if (e instanceof ApiError && e.status === 403) {
    showMessage(`This token may not do this (403): ${e.detail}. Operator actions need an admin token.`, holdMillis);
  } else if (e instanceof ApiError) {
    showMessage(`The API answered ${e.status}: ${e.detail}`, holdMillis);
  } else {
    showMessage(`The API is unreachable: ${e.message}`, holdMillis);
  }
}
