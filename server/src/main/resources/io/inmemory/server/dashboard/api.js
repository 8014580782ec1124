// Calls to the REST API with the signed-in key. The key lives in this tab's sessionStorage only:
// never in a URL, a cookie or a log.

const KEY = 'inmemory.dashboard.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  keep: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** A problem answer: its status, its problem+json body (or null) and the request id. */
export class ApiError extends Error {
  constructor(status, problem, requestId) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.requestId = requestId;
  }

  /** The message of the violation of field {@code field}, if the problem names one. */
  violation(field) {
    const found = ((this.problem && this.problem.violations) || []).find((v) => v.field === field);
    return found ? found.problem : null;
  }
}

let onUnauthorized = () => {};

/** What to do when the signed-in key stops working (revoked, expired). */
export function whenUnauthorized(action) {
  onUnauthorized = action;
}

/**
 * Calls the API: method, path, query parameters (empty ones left out), a JSON body; resolves to
 * the answer's JSON, rejects with an ApiError. With {key} the call signs in with that key.
 */
export async function call(method, path, {query = {}, body, key} = {}) {
  const url = new URL(path, location.origin);
  for (const [name, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  const headers = {Authorization: `Bearer ${key || session.key()}`};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, {
    method, headers, cache: 'no-store', credentials: 'omit',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    const error = new ApiError(response.status, json, response.headers.get('X-Request-Id'));
    if (response.status === 401 && !key) {
      onUnauthorized(error);
    }
    throw error;
  }
  return json;
}
