// ホーム (P5): 「求職 太郎様」, 利用安定所, registration status and validity, restrictions, counts with links
// (未読メッセージ from the establishments and 未読のお知らせ apart, as the menu's badges count them).
import { get } from "../api.js";
import { formatDate, h } from "../dom.js";
import { refreshBadges } from "../nav.js";

const COUNTS = [
  ["unread_messages", "未読メッセージ", "#/messages"],
  ["unread_notices", "未読のお知らせ", "#/notices"],
  ["favourites", "お気に入り", "#/favourites"],
  ["saved_searches", "保存した検索条件", "#/saved"],
  ["referrals", "紹介状", "#/referrals"],
  ["recommendations", "おすすめ求人", "#/recommendations"],
];

let lastHome = null;
/** The last home summary (the printable 紹介状 shows the seeker's name from it). */
export function cachedHome() {
  return lastHome;
}

export async function homeScreen() {
  const [home, unread] = await Promise.all([get("/me"), refreshBadges()]);
  lastHome = home;
  const registration = home.registration || {};
  const restriction = home.restriction || {};
  const valid = registration.status === "valid";
  const notices = [];
  if (restriction.registration_invalid || registration.status === "invalid") {
    notices.push(h("div", { class: "message warning", role: "note" },
      h("h2", {}, "求職登録が無効です"),
      h("p", {}, "求職登録が無効の間は、マイページ内での求人検索、検索条件やお気に入り求人の保存、紹介状の確認、メッセージ機能、オンラインハローワーク紹介が利用できません。"),
      h("p", {}, "ログインしない求人検索（公開求人）、求職情報の確認、パスワード変更、退会はご利用いただけます。"),
      h("p", {}, h("a", { href: "#/registration" }, "求職登録を有効にする"), "（有効期限内の場合）か、ハローワークで再求職申込みを行ってください。")));
  }
  if (restriction.no_show) {
    notices.push(h("div", { class: "message warning", role: "note" },
      h("h2", {}, "一部の機能が制限されています"),
      h("p", {}, "面接不参加が3か月で5件以上となったため、オンライン自主応募などの機能が制限されています。解除にはハローワークへの来所が必要です。")));
  }
  if (restriction.online_registrant || registration.kind === "online") {
    notices.push(h("div", { class: "message note", role: "note" },
      h("p", {}, "オンライン登録者のため、おすすめ求人（オンラインハローワーク紹介）は利用できません。ハローワークの窓口で本人確認を行うとご利用いただけます。")));
  }
  // The home API's unread_messages counts お知らせ too (messaging's P5 fragment); the screen shows the
  // two apart, with the numbers the menu badges show.
  const counts = { ...(home.counts || {}), unread_messages: unread.messages, unread_notices: unread.notices };
  return h("div", { class: "home" },
    h("section", { class: "welcome" },
      h("h1", {}, home.greeting || `${home.name || ""}様`),
      h("p", {}, "利用安定所名：", home.office ? home.office.name : "—"),
      h("dl", { class: "facts" },
        h("dt", {}, "求職番号"), h("dd", {}, home.seeker_number || "—"),
        h("dt", {}, "求職登録"), h("dd", {}, h("span", { class: `status ${valid ? "ok" : "ng"}` }, valid ? "有効" : "無効")),
        h("dt", {}, "有効期限"), h("dd", {}, registration.valid_until ? `${formatDate(registration.valid_until)}まで` : "—"),
        h("dt", {}, "登録区分"), h("dd", {}, registration.kind === "online" ? "オンライン登録者" : "利用登録者"))),
    notices,
    h("section", {},
      h("h2", {}, "マイページの情報"),
      h("ul", { class: "counts" }, COUNTS.map(([key, label, href]) => h("li", {},
        h("a", { href, "data-count": key }, h("span", { class: "count-label" }, label),
          h("span", { class: "count-value" }, counts[key] === null || counts[key] === undefined ? "—" : `${counts[key]}件`))))),
      Object.values(counts).some((v) => v === null)
        ? h("p", { class: "hint" }, "一部の件数を取得できませんでした。しばらくしてから再度表示してください。") : null),
    h("section", {},
      h("h2", {}, "メニュー"),
      h("ul", { class: "links" },
        h("li", {}, h("a", { class: "button", href: "#/search" }, "求人を検索する")),
        h("li", {}, h("a", { class: "button secondary", href: "#/matching" }, "希望条件に合う新着求人")),
        h("li", {}, h("a", { class: "button secondary", href: "#/applications" }, "応募状況")),
        h("li", {}, h("a", { class: "button secondary", href: "#/notices" }, "お知らせ")),
        h("li", {}, h("a", { class: "button secondary", href: "#/profile" }, "求職情報の確認・変更")))));
}
