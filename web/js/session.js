// The seeker's session in this tab: in memory only. The refresh token is auth's HttpOnly cookie;
// the "remember this device" token (A7) is kept in memory too, so it lasts while the tab is open.
import { loggedIn, post, refresh, setAccessToken } from "./api.js";

let deviceToken = null;
let listeners = [];

export function onChange(listener) {
  listeners.push(listener);
}

function changed() {
  for (const listener of listeners) listener(loggedIn());
}

export function deviceTokenForLogin() {
  return deviceToken;
}

/** Tokens from login / OTP: keep the access token (and the device token) in memory. */
export function signedIn(tokens) {
  setAccessToken(tokens.access_token);
  if (tokens.device_token) deviceToken = tokens.device_token;
  changed();
}

/** At start (or a reload): the refresh cookie may still hold a session. */
export async function resume() {
  const ok = await refresh();
  changed();
  return ok;
}

export function forget() {
  setAccessToken(null);
  changed();
}

export async function logout() {
  try {
    await post("/auth/logout", {}, { auth: "required" });
  } finally {
    forget();
  }
}

export { loggedIn };
