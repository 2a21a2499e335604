// The one-click stop of a saved search's digest mail (J3 alerts): the mail links #/alert-stop?token=…; the
// screen posts the token as it opens (no login) — a mail scanner fetching the link runs no script, so it
// stops nothing — and says what happened.
import { post } from "../api.js";
import { h, messageBox } from "../dom.js";
import { explain, showMessage } from "../errors.js";

export async function alertStopScreen({ query }) {
  const box = messageBox();
  try {
    await post("/saved-search-alerts/stop", { token: query.get("token") || "" }, { auth: "none" });
    showMessage(box, "保存した検索条件の新着求人メールを停止しました。", "note");
  } catch (error) {
    showMessage(box, explain(error));
  }
  return h("section", {}, h("h1", {}, "新着求人メールの配信停止"), box,
    h("p", {}, "マイページの", h("a", { href: "#/saved" }, "保存した検索条件"), "から、いつでも設定し直せます。"));
}
