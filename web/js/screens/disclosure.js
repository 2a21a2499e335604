// 求職情報公開 (J8a), a section of the 求職情報 screen: what disclosing means, the toggle (with a confirm
// step) and, while disclosed, exactly what employers see (never the name, contact, birth date, address
// or company names).
import { get, put } from "../api.js";
import { WAGE_TYPES } from "../codes.js";
import { append, clear, formatDateTime, formatYen, h, messageBox } from "../dom.js";
import { explain, showMessage } from "../errors.js";

/** 「2015-04」 → 「2015年4月」. */
function formatMonth(value) {
  if (!value) return "";
  const [y, m] = String(value).split("-");
  return m ? `${y}年${Number(m)}月` : y;
}

function listText(items) {
  return items && items.length ? items.join("、") : "—";
}

function desiredText(desired = {}) {
  const wage = desired.wage_min ? `${WAGE_TYPES[desired.wage_type] || ""} ${formatYen(desired.wage_min)}以上` : "";
  return [
    ["希望職種", listText(desired.occupations)],
    ["雇用形態", listText(desired.employment_types)],
    ["希望する勤務地", listText([...(desired.prefectures || []), ...(desired.municipalities || [])])],
    ["希望賃金", wage.trim() || "—"],
    ["就業時間", desired.hours || "—"],
    ["週の日数", desired.days_per_week ? `${desired.days_per_week}日` : "—"],
  ];
}

/** What employers see, laid out as they read it (the same fields, nothing more). */
function preview(shown) {
  const desired = desiredText(shown.desired || {});
  const work = shown.work_history || [];
  return h("div", { class: "card disclosure-preview", role: "region", "aria-label": "事業所に表示される内容" },
    h("h3", {}, "事業所に表示される内容"),
    h("dl", { class: "facts" },
      h("dt", {}, "年代"), h("dd", {}, shown.age || "—"),
      h("dt", {}, "お住まいの都道府県"), h("dd", {}, shown.prefecture || "—"),
      desired.map(([label, text]) => [h("dt", {}, label), h("dd", {}, text)]),
      h("dt", {}, "資格・免許"), h("dd", {}, listText(shown.qualifications)),
      h("dt", {}, "学歴"), h("dd", {}, listText(shown.education)),
      h("dt", {}, "公開日時"), h("dd", {}, formatDateTime(shown.disclosed_at))),
    h("h4", {}, "職歴（会社名は表示されません）"),
    work.length ? h("ul", { class: "work-periods" }, work.map((item) => h("li", {},
      h("p", { class: "hint" }, `${formatMonth(item.from)}〜${item.to ? formatMonth(item.to) : "在職中"}`),
      h("p", { class: "prewrap" }, item.description || "（仕事の内容の記入なし）"))))
      : h("p", {}, "職歴の登録はありません。"),
    h("p", { class: "hint" }, "この内容は、このページで保存した希望条件・職歴・学歴・資格から作られます。"));
}

function toggle(state, box, render) {
  const on = state.public;
  const confirm = h("div", { class: "confirm", hidden: true, role: "group", "aria-label": on ? "公開停止の確認" : "公開の確認" },
    h("p", {}, on
      ? "求職情報の公開を停止しますか？ 停止すると事業所からは見えなくなり、新しい直接リクエストは届かなくなります（届いた直接リクエストは引き続き確認できます）。"
      : "求職情報を公開しますか？ 事業所が匿名の求職情報を見て、求人の直接リクエストを送れるようになります。氏名・連絡先・生年月日・住所・会社名は表示されません。"),
    h("button", { type: "button", class: on ? "danger" : "primary", onclick: async (event) => {
      const btn = event.currentTarget;
      btn.disabled = true;
      try {
        const next = await put("/me/disclosure", { public: !on });
        render(next);
        showMessage(box, next.public ? "求職情報を公開しました。事業所に表示される内容を確認できます。" : "求職情報の公開を停止しました。", "note");
        box.focus();
      } catch (error) {
        const message = explain(error);
        if (error.problem && error.problem.reason === "registration_invalid") {
          Object.assign(message, { href: "#/registration", linkText: "求職登録の有効／無効へ" });
        }
        showMessage(box, message);
        btn.disabled = false;
      }
    } }, on ? "公開を停止する" : "公開する"),
    h("button", { type: "button", onclick: () => { confirm.hidden = true; ask.focus(); } }, "やめる"));
  const ask = h("button", { type: "button", class: on ? "" : "primary",
    onclick: () => { confirm.hidden = false; confirm.querySelector("button").focus(); } },
  on ? "公開を停止する…" : "求職情報を公開する…");
  return [h("div", { class: "card-actions" }, ask), confirm];
}

/** The section; `section.refresh()` reads the disclosure again (after the profile was saved). */
export async function disclosureSection() {
  const box = messageBox();
  const body = h("div", {});
  const section = h("section", { class: "disclosure", id: "disclosure", "aria-labelledby": "disclosure-title" },
    h("h2", { id: "disclosure-title" }, "求職情報の公開"),
    h("p", {}, "求職情報を公開すると、事業所が匿名の求職情報（年代、お住まいの都道府県、希望条件、資格・免許、学歴、職歴の期間と仕事の内容）を見て、求人の「直接リクエスト」を送れるようになります。"),
    h("p", {}, h("strong", {}, "氏名・連絡先（電話番号・メールアドレス）・生年月日・住所・会社名は表示されません。"),
      "直接リクエストを受けた求人には、オンライン自主応募で応募できます。公開はいつでも停止できます。"),
    box, body,
    h("p", {}, h("a", { href: "#/direct-requests" }, "届いた直接リクエストを見る")));
  const render = (state) => {
    append(clear(body), [
      h("dl", { class: "facts" },
        h("dt", {}, "現在の状態"), h("dd", {}, h("span", { class: state.public ? "status ok" : "status" }, state.public ? "公開中" : "非公開")),
        state.public ? [h("dt", {}, "公開日時"), h("dd", {}, formatDateTime(state.disclosed_at))] : null),
      toggle(state, box, render),
      state.public && state.shown_to_employers ? preview(state.shown_to_employers) : null]);
  };
  section.refresh = async () => {
    try {
      render(await get("/me/disclosure"));
    } catch (error) {
      clear(body);
      showMessage(box, explain(error));
    }
  };
  await section.refresh();
  return section;
}
