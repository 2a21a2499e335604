// The seeker's session in this tab: the access token in memory only. The refresh token and the
// "remember this device" token (A7) are auth's HttpOnly cookies, out of reach of scripts; the device
// cookie outlives the tab, a restart and a logout (30 days).
import { loggedIn, post, refresh, setAccessToken } from "./api.js";

let listeners = [];

export function onChange(listener) {
  listeners.push(listener);
}

function changed() {
  for (const listener of listeners) listener(loggedIn());
}

/** Tokens from login / OTP: keep the access token in memory. */
export function signedIn(tokens) {
  setAccessToken(tokens.access_token);
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
