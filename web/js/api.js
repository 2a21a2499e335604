// The /api/v1 client. The access token lives in memory only (never localStorage); the refresh
// token is auth's HttpOnly cookie (path /api/v1/auth), so a 401 is answered by one refresh, then
// the request is tried again once; if that fails the session is over (onSessionLost).

const BASE = "/api/v1";

let accessToken = null;
let refreshing = null;
let sessionLost = () => {};

export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export function setAccessToken(token) {
  accessToken = token || null;
}

export function loggedIn() {
  return accessToken !== null;
}

export function onSessionLost(handler) {
  sessionLost = handler;
}

async function send(method, path, body, withToken) {
  const headers = { Accept: "application/json, application/problem+json", "Accept-Language": "ja" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (withToken && accessToken) headers.Authorization = `Bearer ${accessToken}`;
  return fetch(BASE + path, {
    method, headers, credentials: "same-origin", cache: "no-store",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json().catch(() => ({})) : {};
  if (response.ok) return data;
  const retry = response.headers.get("Retry-After");
  throw new ApiError(response.status, data || {}, retry ? Number(retry) : null);
}

/** A new access token from the refresh cookie (one request at a time); true when it worked. */
export function refresh() {
  if (!refreshing) {
    refreshing = send("POST", "/auth/refresh", {}, false)
      .then(async (response) => {
        if (!response.ok) return false;
        setAccessToken((await response.json()).access_token);
        return true;
      })
      .catch(() => false)
      .finally(() => { refreshing = null; });
  }
  return refreshing;
}

/**
 * One API call. `auth`: "required" (a seeker call: refresh once on 401, then session lost),
 * "optional" (the token is sent when there is one, e.g. job search), or "none". `raw`: the
 * Response itself when it is a success (e.g. a PDF), errors thrown as usual.
 */
export async function api(method, path, body, { auth = "required", raw = false } = {}) {
  const withToken = auth !== "none";
  const hadToken = accessToken !== null;
  let response = await send(method, path, body, withToken);
  if (response.status === 401 && (auth === "required" || (auth === "optional" && hadToken))) {
    if (await refresh()) {
      response = await send(method, path, body, true);
    }
    if (response.status === 401) {
      setAccessToken(null);
      sessionLost();
    }
  }
  return raw && response.ok ? response : parse(response);
}

export const get = (path, opts) => api("GET", path, undefined, opts);
export const post = (path, body, opts) => api("POST", path, body === undefined ? {} : body, opts);
export const put = (path, body, opts) => api("PUT", path, body, opts);
export const patch = (path, body, opts) => api("PATCH", path, body, opts);
export const del = (path, body, opts) => api("DELETE", path, body, opts);

/** Save a file the API serves (the API wants the bearer token, so no plain link), as `filename`. */
export async function saveFile(path, filename) {
  const url = URL.createObjectURL(await (await get(path, { raw: true })).blob());
  const link = document.createElement("a");
  Object.assign(link, { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A query string from an object: arrays repeat the key, empty values are left out. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== "") search.append(key, String(v));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
