// トップ (logged out): what the My Page offers, login and opening.
import { h } from "./dom.js";

/**
 * The footer's links for developers (API docs, the development mailbox) show only in development,
 * where /dev/mail exists: a citizen never sees them.
 */
export function revealDevLinks() {
  fetch("/dev/mail.json", { headers: { Accept: "application/json" } })
    .then((response) => { if (response.ok) document.getElementById("dev-links").hidden = false; })
    .catch(() => {});
}

export function landingScreen({ query }) {
  return h("div", {},
    query.get("withdrawn") ? h("div", { class: "message note", role: "status" },
      h("p", {}, "退会の手続きが完了しました。ご利用ありがとうございました。")) : null,
    h("section", { class: "lead" },
      h("h1", {}, "求職者マイページ"),
      h("p", {}, "ハローワークで求職登録をされた方は、マイページを開設すると、求人の検索や保存、紹介状の確認、事業所とのメッセージのやり取りをオンラインで行えます。"),
      h("ul", { class: "links" },
        h("li", {}, h("a", { class: "button", href: "#/login" }, "ログイン")),
        h("li", {}, h("a", { class: "button secondary", href: "#/open" }, "マイページを開設する")),
        h("li", {}, h("a", { class: "button secondary", href: "#/search" }, "求人を検索する（ログインなし）")))),
    h("section", {},
      h("h2", {}, "マイページでできること"),
      h("ul", { class: "features" },
        h("li", {}, h("strong", {}, "求人検索"), "：フリーワード・地域・職種などで求人を探せます。"),
        h("li", {}, h("strong", {}, "検索条件の保存"), "：よく使う条件を 3 件まで保存できます。"),
        h("li", {}, h("strong", {}, "お気に入り"), "：気になる求人を 300 件まで保存できます。"),
        h("li", {}, h("strong", {}, "紹介状・おすすめ求人"), "：ハローワークからの紹介やおすすめを確認できます。"),
        h("li", {}, h("strong", {}, "オンライン自主応募"), "：対象の求人に、マイページから応募できます。"),
        h("li", {}, h("strong", {}, "メッセージ"), "：応募先の事業所やハローワークからのお知らせを受け取れます。"))));
}
