// The web client's entry: routes, the guard for screens that need a login, and the screen frame
// (the screen's h1 gets focus and the page title; errors while loading are shown in place).
import { onSessionLost } from "./api.js";
import { clear, h } from "./dom.js";
import { explain, showMessage } from "./errors.js";
import { landingScreen, revealDevLinks } from "./landing.js";
import { markCurrent, renderNav } from "./nav.js";
import { current, guard, navigate, otherwise, route, start } from "./router.js";
import { loggedIn, onChange, resume } from "./session.js";
import { alertStopScreen } from "./screens/alert-stop.js";
import { applicationsScreen, applyScreen } from "./screens/applications.js";
import { directRequestsScreen } from "./screens/direct-requests.js";
import { favouritesScreen } from "./screens/favourites.js";
import { homeScreen } from "./screens/home.js";
import { jobScreen } from "./screens/job.js";
import { loginScreen } from "./screens/login.js";
import { matchingScreen } from "./screens/matching.js";
import { messagesScreen, threadScreen } from "./screens/messages.js";
import { noticeScreen, noticesScreen } from "./screens/notices.js";
import { openingScreen } from "./screens/opening.js";
import { passwordChangeScreen, passwordResetScreen } from "./screens/password.js";
import { profileScreen } from "./screens/profile.js";
import { recommendationsScreen } from "./screens/recommendations.js";
import { referralsScreen, referralLetterScreen } from "./screens/referrals.js";
import { registrationScreen, withdrawScreen } from "./screens/account.js";
import { savedRunScreen, savedSearchesScreen } from "./screens/saved.js";
import { searchScreen } from "./screens/search.js";

const main = document.getElementById("main");
const seeker = { auth: true };

route("/", landingScreen);
route("/open", openingScreen);
route("/login", loginScreen);
route("/reset", passwordResetScreen);
route("/alert-stop", alertStopScreen);
route("/search", searchScreen);
route("/jobs/:number", jobScreen);
route("/home", homeScreen, seeker);
route("/saved", savedSearchesScreen, seeker);
route("/saved/:id", savedRunScreen, seeker);
route("/favourites", favouritesScreen, seeker);
route("/referrals", referralsScreen, seeker);
route("/referrals/:id", referralLetterScreen, seeker);
route("/recommendations", recommendationsScreen, seeker);
route("/matching", matchingScreen, seeker);
route("/direct-requests", directRequestsScreen, seeker);
route("/apply/:number", applyScreen, seeker);
route("/applications", applicationsScreen, seeker);
route("/messages", messagesScreen, seeker);
route("/messages/:id", threadScreen, seeker);
route("/notices", noticesScreen, seeker);
route("/notices/:id", noticeScreen, seeker);
route("/profile", profileScreen, seeker);
route("/registration", registrationScreen, seeker);
route("/password", passwordChangeScreen, seeker);
route("/withdraw", withdrawScreen, seeker);
otherwise(() => h("section", {}, h("h1", {}, "ページが見つかりません"),
  h("p", {}, h("a", { href: "#/" }, "トップへ戻る"))));

guard(async (match) => {
  if (match.options.auth && !loggedIn()) {
    navigate(`/login?next=${encodeURIComponent(current().raw)}`);
    return false;
  }
  if (match.path === "/" && loggedIn()) {
    navigate("/home");
    return false;
  }
  return true;
});

// Scroll positions by history entry (memory only): going back to a list lands where the seeker left
// it; a new entry (a link followed) starts at the top.
history.scrollRestoration = "manual";
const scrolls = new Map();
let entry = null; // the entry whose scrolling is being recorded (null while a screen is loading)
let entries = 0;

function entryKey() {
  if (!history.state || !history.state.entry) {
    history.replaceState({ ...(history.state || {}), entry: `${Date.now()}-${++entries}` }, "");
  }
  return history.state.entry;
}

window.addEventListener("scroll", () => { if (entry) scrolls.set(entry, window.scrollY); }, { passive: true });

let shown = 0;
async function show(match) {
  const ticket = ++shown;
  const route = current().raw;
  entry = null;
  const key = entryKey();
  main.setAttribute("aria-busy", "true");
  clear(main).append(h("p", { class: "loading", role: "status" }, "読み込み中…"));
  let view;
  try {
    view = await match.render({ params: match.params, query: match.query });
  } catch (error) {
    const box = h("div", { class: "message" });
    showMessage(box, explain(error));
    view = h("section", {}, h("h1", {}, "表示できませんでした"), box,
      h("p", {}, h("a", { href: loggedIn() ? "#/home" : "#/" }, "ホームへ戻る")));
  }
  if (ticket !== shown) return; // a newer navigation won
  clear(main).append(view);
  main.dataset.route = route; // which screen is shown (tests wait for it)
  main.setAttribute("aria-busy", "false");
  const heading = main.querySelector("h1");
  document.title = heading ? `${heading.textContent} | 求職者マイページ` : "求職者マイページ";
  markCurrent(document.getElementById("nav"));
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }
  window.scrollTo(0, scrolls.get(key) || 0);
  entry = key;
  if (view.onShown) view.onShown(); // e.g. an error to show beside a field, with focus there
}

onSessionLost(() => {
  const { raw, path } = current();
  if (path === "/login") return;
  navigate(`/login?expired=1&next=${encodeURIComponent(raw)}`);
});

document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  (main.querySelector("h1") || main).focus();
});

onChange(() => renderNav(document.getElementById("nav")));

/** The app shell (sw.js): static files when offline, an offline page for navigation; never the API. */
function installShell() {
  if (!("serviceWorker" in navigator)) return; // e.g. plain http on another host than this machine
  navigator.serviceWorker.register("/sw.js").catch((error) => console.warn("service worker:", error));
}

async function boot() {
  installShell();
  await resume(); // a reload keeps the session through the refresh cookie
  renderNav(document.getElementById("nav"));
  revealDevLinks();
  await start(show);
}

boot();
