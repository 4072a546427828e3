// Calls of /api/v1 with the token kept in local storage; failures as ApiError (status and problem detail).
const KEY = 'sensors.dashboard.token';
/** A call that takes longer fails (and the next poll tries again) instead of holding the poll up. */
const TIMEOUT_MILLIS = 10000;

export const token = {
  get: () => localStorage.getItem(KEY),
  set: (value) => localStorage.setItem(KEY, value),
};

export class ApiError extends Error {
  constructor(status, detail) {
    super(`${status}: ${detail}`);
    this.status = status;
    this.detail = detail;
  }
}

export async function api(path, options = {}) {
  const response = await fetch('/api/v1' + path, {
    ...options,
    signal: AbortSignal.timeout(TIMEOUT_MILLIS),
    headers: { ...(options.headers || {}), Authorization: 'Bearer ' + (token.get() || '') },
  });
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (body && (body.detail || body.title)) || text || response.statusText);
  }
  return body;
}

/** A query string of the parameters that have a value. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}
