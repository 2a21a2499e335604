// 求職登録の有効／無効 (P3, with a confirm step) and 退会 (A9: password, a clear warning that
// everything is erased).
import { del, get, put } from "../api.js";
import { field, formatDate, h, messageBox } from "../dom.js";
import { explain, showMessage } from "../errors.js";
import { form } from "../forms.js";
import { navigate, reload } from "../router.js";
import { forget } from "../session.js";

export async function registrationScreen() {
  const profile = await get("/me/profile");
  const reg = profile.registration || {};
  const valid = reg.status === "valid";
  const target = valid ? "invalid" : "valid";
  const box = messageBox();
  const confirm = h("div", { class: "confirm", hidden: true, role: "group", "aria-label": "変更の確認" },
    h("p", {}, valid
      ? "求職登録を無効にしますか？ 無効の間は、マイページ内での求人検索、検索条件やお気に入りの保存、紹介状の確認、メッセージ、オンラインハローワーク紹介が利用できません。"
      : "求職登録を有効にしますか？（有効期限内に限り有効にできます）"),
    h("button", { type: "button", class: valid ? "danger" : "primary", onclick: async () => {
      try {
        await put("/me/registration", { status: target });
        await reload();
      } catch (error) {
        showMessage(box, explain(error));
      }
    } }, valid ? "無効にする" : "有効にする"),
    h("button", { type: "button", onclick: () => { confirm.hidden = true; ask.focus(); } }, "やめる"));
  const ask = h("button", { type: "button", class: valid ? "" : "primary",
    onclick: () => { confirm.hidden = false; confirm.querySelector("button").focus(); } },
  valid ? "求職登録を無効にする…" : "求職登録を有効にする…");
  return h("section", {}, h("h1", {}, "求職登録の有効／無効"), box,
    h("dl", { class: "facts" },
      h("dt", {}, "現在の状態"), h("dd", {}, h("span", { class: `status ${valid ? "ok" : "ng"}` }, valid ? "有効" : "無効")),
      h("dt", {}, "有効期限"), h("dd", {}, reg.valid_until ? `${formatDate(reg.valid_until)}まで` : "—"),
      reg.invalidated_on ? [h("dt", {}, "無効になった日"), h("dd", {}, formatDate(reg.invalidated_on))] : null),
    h("p", { class: "hint" }, "有効期限は求職申込みの月の翌々月末までです。最終月にハローワークで職業相談・紹介を受けるか、オンライン自主応募を行うと1か月延長されます。期限を過ぎると自動で無効になります。無効の日から5年以内に再求職申込みがない場合、マイページ（登録情報を含む）は自動的に消去されます。"),
    h("div", { class: "card-actions" }, ask), confirm);
}

export function withdrawScreen() {
  const f = form({
    label: "退会の手続き", submitText: "退会する", className: "danger-form",
    children: [
      h("div", { class: "consent" },
        h("input", { type: "checkbox", id: "withdraw-understood", name: "understood", "data-field": "understood" }),
        h("label", { for: "withdraw-understood" }, "すべての情報が消去され、元に戻せないことを理解しました"),
        h("p", { class: "field-error", "data-error-for": "understood", hidden: true })),
      field({ label: "パスワード", name: "password", type: "password", required: true,
        attrs: { autocomplete: "current-password" } }),
    ],
    onSubmit: async (v, formEl, box) => {
      if (!v.understood) {
        showMessage(box, "内容を確認し、チェックを入れてください。");
        box.focus();
        return;
      }
      await del("/me", { password: v.password });
      forget();
      navigate("/?withdrawn=1");
    },
  });
  return h("section", {}, h("h1", {}, "退会"),
    h("div", { class: "message warning", role: "note" },
      h("h2", {}, "退会すると、すべての情報が消去されます"),
      h("ul", {},
        h("li", {}, "マイページのアカウントと登録情報、保存した検索条件、お気に入り、応募状況、紹介状、メッセージ、お知らせがすべて消去されます。"),
        h("li", {}, "消去した情報は元に戻せません。ログインもできなくなります。"),
        h("li", {}, "再びマイページを利用するには、ハローワークの窓口での手続きが必要です。"))),
    f);
}
