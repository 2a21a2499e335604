// The menu: short links for phones, the rest grouped in a disclosure (ログアウト first, 退会 last);
// on a wide screen all of it as a side navigation. Unread badges for messages and notices (M2).
import { get } from "./api.js";
import { clear, h } from "./dom.js";
import { navigate } from "./router.js";
import { loggedIn, logout } from "./session.js";

const badges = { messages: null, notices: null };
const WIDE = window.matchMedia("(min-width: 1024px)");

function badge(name) {
  return h("span", { class: "badge", "data-badge": name, hidden: true });
}

function link(href, text, badgeName) {
  return h("li", {}, h("a", { href }, text, badgeName ? badge(badgeName) : null));
}

function group(title, links) {
  const id = `nav-group-${title}`;
  return h("div", { class: "nav-group" }, h("p", { class: "nav-group-title", id }, title),
    h("ul", { "aria-labelledby": id }, links));
}

export function renderNav(nav) {
  WIDE.onchange = () => renderNav(nav);
  clear(nav);
  if (!loggedIn()) {
    nav.append(h("ul", { class: "nav-main" },
      link("#/search", "求人検索"), link("#/login", "ログイン"), link("#/open", "マイページ開設")));
    return;
  }
  // ログアウト first and 退会 last, far apart: one is tapped daily, the other erases everything.
  const menu = h("details", { class: "nav-more" }, h("summary", {}, "メニュー"),
    h("div", { class: "nav-panel" },
      h("button", { type: "button", class: "logout", onclick: onLogout }, "ログアウト"),
      group("求人", [link("#/saved", "保存した検索条件"), link("#/favourites", "お気に入り"),
        link("#/recommendations", "おすすめ求人"), link("#/matching", "希望条件に合う新着求人"),
        link("#/direct-requests", "直接リクエスト")]),
      group("紹介・応募", [link("#/referrals", "紹介状"), link("#/applications", "応募状況")]),
      group("登録情報・設定", [link("#/profile", "求職情報"), link("#/registration", "求職登録の有効／無効"),
        link("#/password", "パスワード変更"), link("#/withdraw", "退会")])));
  menu.open = WIDE.matches; // the side navigation of a wide screen shows everything
  menu.addEventListener("click", (event) => {
    if (event.target.closest("a") && !WIDE.matches) menu.open = false;
  });
  nav.append(h("ul", { class: "nav-main" },
    link("#/home", "ホーム"), link("#/search", "求人検索"),
    link("#/messages", "メッセージ", "messages"), link("#/notices", "お知らせ", "notices")), menu);
  markCurrent(nav);
  refreshBadges();
}

/** aria-current="page" on the menu links of the screen shown. */
export function markCurrent(nav) {
  const path = (window.location.hash || "#/").split("?")[0];
  for (const a of nav.querySelectorAll("a")) {
    if (a.getAttribute("href") === path) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function onLogout() {
  try {
    await logout();
  } finally {
    navigate("/login?logged_out=1");
  }
}

function setBadge(name, count) {
  badges[name] = count;
  for (const el of document.querySelectorAll(`[data-badge="${name}"]`)) {
    el.hidden = !count;
    el.replaceChildren(h("span", { "aria-hidden": "true" }, count > 99 ? "99+" : String(count || 0)),
      h("span", { class: "visually-hidden" }, `（未読 ${count || 0}件）`));
  }
}

/**
 * Ask messaging for the unread counts again (after a screen read something); returns them
 * (`{messages, notices}`, null for one that could not be had) so home shows the same numbers.
 */
export async function refreshBadges() {
  if (!loggedIn()) return { messages: null, notices: null };
  const [messages, notices] = await Promise.allSettled([
    get("/me/messages?per_page=1"), get("/me/notices?per_page=1")]);
  if (messages.status === "fulfilled") setBadge("messages", messages.value.unread);
  if (notices.status === "fulfilled") setBadge("notices", notices.value.unread);
  return { messages: messages.status === "fulfilled" ? messages.value.unread : null,
    notices: notices.status === "fulfilled" ? notices.value.unread : null };
}
