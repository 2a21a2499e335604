// 求職情報 (P2): what the seeker may change (contact, education, work history, qualifications,
// desired conditions, 自己PR) is a form; identity fields kept by Hello Work staff are shown read-only;
// 求職情報公開 (J8a) is its own section (disclosure.js).
import { get, patch } from "../api.js";
import { EMPLOYMENT_TYPES, PREFECTURES, WAGE_TYPES } from "../codes.js";
import { choices, field, formatDate, h, select } from "../dom.js";
import { showMessage } from "../errors.js";
import { form, list } from "../forms.js";
import { readRows, rows } from "../rows.js";
import { disclosureSection } from "./disclosure.js";

const EDUCATION_STATUS = ["卒業", "卒業見込", "修了", "修了見込", "中退", "在学中"];

function readOnly(profile) {
  const reg = profile.registration || {};
  const addr = profile.address || {};
  return h("section", {}, h("h2", {}, "登録内容（変更はハローワークの窓口で行います）"),
    h("dl", { class: "facts" },
      h("dt", {}, "求職番号"), h("dd", {}, profile.seeker_number),
      h("dt", {}, "氏名"), h("dd", {}, profile.name),
      h("dt", {}, "フリガナ"), h("dd", {}, profile.name_kana),
      h("dt", {}, "生年月日"), h("dd", {}, formatDate(profile.birth_date)),
      h("dt", {}, "ログイン用メールアドレス"), h("dd", {}, profile.email),
      h("dt", {}, "利用安定所"), h("dd", {}, profile.office ? profile.office.name : "—"),
      h("dt", {}, "求職登録"), h("dd", {}, reg.status === "valid" ? "有効" : "無効",
        reg.valid_until ? `（有効期限 ${formatDate(reg.valid_until)}）` : ""),
      h("dt", {}, "求職申込日"), h("dd", {}, formatDate(reg.applied_on)),
      h("dt", {}, "現在の住所"), h("dd", {}, [addr.postal_code ? `〒${addr.postal_code} ` : "", addr.prefecture, addr.municipality, addr.street].filter(Boolean).join(""))));
}

export async function profileScreen() {
  const [profile, disclosure] = await Promise.all([get("/me/profile"), disclosureSection()]);
  const addr = profile.address || {};
  const desired = profile.desired || {};
  const f = form({
    label: "求職情報の変更", submitText: "変更を保存する",
    children: [
      h("h2", {}, "連絡先"),
      field({ label: "電話番号", name: "phone", type: "tel", value: profile.phone || "", attrs: { autocomplete: "tel" } }),
      field({ label: "郵便番号", name: "address.postal_code", value: addr.postal_code || "", required: true,
        hint: "例：343-0023", attrs: { autocomplete: "postal-code", inputmode: "numeric" } }),
      select({ label: "都道府県", name: "address.prefecture", value: addr.prefecture || "", required: true,
        options: [["", "選択してください"], ...PREFECTURES.map((p) => [p, p])] }),
      field({ label: "市区町村", name: "address.municipality", value: addr.municipality || "", required: true }),
      field({ label: "番地・建物名", name: "address.street", value: addr.street || "" }),
      h("h2", {}, "希望する条件"),
      field({ label: "希望職種", name: "desired.occupations", value: (desired.occupations || []).join("、"),
        hint: "3つまで、「、」で区切って入力（職種名または職業分類コード）" }),
      choices({ legend: "希望する雇用形態", name: "desired.employment_types", values: desired.employment_types || [],
        options: EMPLOYMENT_TYPES.map((t) => [t, t]) }),
      field({ label: "希望する都道府県", name: "desired.prefectures", value: (desired.prefectures || []).join("、"), hint: "3つまで" }),
      field({ label: "希望する市区町村", name: "desired.municipalities", value: (desired.municipalities || []).join("、"), hint: "3つまで" }),
      h("div", { class: "inline-fields" },
        field({ label: "希望賃金（下限・円）", name: "desired.wage_min", type: "number", value: desired.wage_min ?? "",
          attrs: { min: 0, inputmode: "numeric" } }),
        select({ label: "賃金の種類", name: "desired.wage_type", value: desired.wage_type || "monthly", options: Object.entries(WAGE_TYPES) })),
      h("div", { class: "inline-fields" },
        field({ label: "希望する就業時間", name: "desired.hours", value: desired.hours || "", hint: "例：09:00-17:00" }),
        field({ label: "希望する週の日数", name: "desired.days_per_week", type: "number", value: desired.days_per_week ?? "",
          attrs: { min: 1, max: 7, inputmode: "numeric" } })),
      rows({ group: "work_history", legend: "職歴", addText: "職歴を追加", items: profile.work_history, spec: [
        { key: "company", label: "会社名", required: true },
        { key: "from", label: "入社（年月）", type: "month", required: true },
        { key: "to", label: "退社（年月、在職中は空欄）", type: "month" },
        { key: "description", label: "仕事の内容", type: "textarea", attrs: { rows: 3, maxlength: 1000 } }] }),
      rows({ group: "education", legend: "学歴", addText: "学歴を追加", items: profile.education, spec: [
        { key: "school", label: "学校名", required: true },
        { key: "department", label: "学部・学科" },
        { key: "status", label: "区分", required: true, options: EDUCATION_STATUS.map((s) => [s, s]) },
        { key: "to", label: "卒業・修了（年月）", type: "month" }] }),
      rows({ group: "qualifications", legend: "資格・免許", addText: "資格・免許を追加", items: profile.qualifications, spec: [
        { key: "name", label: "資格・免許の名称", required: true },
        { key: "acquired_on", label: "取得（年月）", type: "month" }] }),
      h("h2", {}, "自己PR"),
      field({ label: "自己PR", name: "self_pr", type: "textarea", value: profile.self_pr || "",
        hint: "2,000文字以内。応募のときに、職歴・資格・希望条件と一緒に事業所へ送られます。",
        attrs: { rows: 6, maxlength: 2000 } }),
    ],
    onSubmit: async (v, formEl, box) => {
      const number = (x) => (x === "" || x === undefined ? null : Number(x));
      const body = {
        phone: v.phone || null,
        address: { postal_code: v["address.postal_code"], prefecture: v["address.prefecture"],
          municipality: v["address.municipality"], street: v["address.street"] || null },
        desired: {
          occupations: list(v["desired.occupations"]), employment_types: v["desired.employment_types"] || [],
          prefectures: list(v["desired.prefectures"]), municipalities: list(v["desired.municipalities"]),
          wage_min: number(v["desired.wage_min"]), wage_type: v["desired.wage_type"],
          hours: v["desired.hours"] || null, days_per_week: number(v["desired.days_per_week"]),
        },
        work_history: readRows(formEl, "work_history", ["description"]),
        education: readRows(formEl, "education"),
        qualifications: readRows(formEl, "qualifications"),
        self_pr: v.self_pr || null,
      };
      await patch("/me/profile", body);
      showMessage(box, "求職情報を保存しました。", "note");
      box.focus();
      disclosure.refresh(); // what employers see follows the saved profile
    },
  });
  return h("div", {}, h("section", {}, h("h1", {}, "求職情報の確認・変更"),
    h("p", {}, "ご自身で変更できるのは、連絡先・希望条件・職歴・学歴・資格・自己PRです。氏名や生年月日などの変更はハローワークの窓口で行ってください。")),
  readOnly(profile), disclosure, h("section", {}, f));
}
