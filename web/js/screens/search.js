// 求人検索 (J2): the criteria live in the hash (#/search?q=…&page=2), so a search is a deep link;
// the results page 10/30/50, sorted by received date or deadline; a logged-in seeker can save the
// criteria (J3, at most 3) and keep postings as favourites (J4).
import { get, post, query as toQuery } from "../api.js";
import { CATEGORIES, EMPLOYMENT_TYPES, OCCUPATIONS, PREFECTURES, WAGE_TYPES } from "../codes.js";
import { choices, field, h, messageBox, select } from "../dom.js";
import { explain, showFormError, showMessage } from "../errors.js";
import { list, values } from "../forms.js";
import { favouriteNumbers, resultsList } from "../jobs-view.js";
import { navigate } from "../router.js";
import { loggedIn } from "../session.js";

const ARRAY_KEYS = ["prefecture", "municipality", "occupation", "employment_type", "category", "job_number"];
const SCALAR_KEYS = ["q", "wage_min", "wage_type", "full_time", "hours_start_from", "hours_end_by",
  "two_days_weekly", "annual_holidays_min", "new_within", "sort", "per_page"];

/** The criteria in the hash → the API's query object. */
export function criteriaFromQuery(query) {
  const criteria = {};
  for (const key of ARRAY_KEYS) {
    const all = query.getAll(key).filter(Boolean);
    if (all.length) criteria[key] = all;
  }
  for (const key of SCALAR_KEYS) {
    const value = query.get(key);
    if (value) criteria[key] = value;
  }
  return criteria;
}

/** The form's values → criteria (codes picked from "361 施設介護員"-style entries). */
function criteriaFromForm(v) {
  const criteria = { ...v };
  criteria.prefecture = v.prefecture ? [v.prefecture] : [];
  criteria.municipality = list(v.municipality).slice(0, 3);
  criteria.occupation = list(v.occupation).filter((t) => /^([A-K]|\d{2,3}(-\d{2})?)$/i.test(t)).slice(0, 3);
  criteria.job_number = list(v.job_number).slice(0, 5);
  return criteria;
}

/** Saved criteria for the API (numbers as numbers, booleans as booleans, no empty values). */
export function criteriaForSaving(criteria) {
  const out = {};
  for (const [key, value] of Object.entries(criteria)) {
    if (value === "" || (Array.isArray(value) && !value.length) || key === "page") continue;
    if (["wage_min", "annual_holidays_min", "per_page"].includes(key)) out[key] = Number(value);
    else if (key === "full_time") out[key] = value === "true" || value === true;
    else out[key] = value;
  }
  return out;
}

function occupationList() {
  return h("datalist", { id: "occupation-codes" }, OCCUPATIONS.map(([code, name]) => h("option", { value: `${code} ${name}` })));
}

function searchForm(criteria) {
  const one = (key) => (criteria[key] || [])[0] || "";
  const occupations = (criteria.occupation || []).map((code) => {
    const hit = OCCUPATIONS.find(([c]) => c === code);
    return hit ? `${hit[0]}` : code;
  }).join("、");
  const form = h("form", { class: "form search-form", role: "search", "aria-label": "求人検索の条件", novalidate: true },
    field({ label: "フリーワード", name: "q", type: "search", value: criteria.q || "",
      hint: "50文字まで。スペース区切りで「すべてを含む」（AND）、OR または | で「いずれかを含む」、-語 または NOT 語 で「含まない」（1語まで）。例：介護 OR 看護 越谷 -夜勤",
      attrs: { maxlength: 50, enterkeyhint: "search" } }),
    select({ label: "都道府県", name: "prefecture", value: one("prefecture"),
      options: [["", "指定しない"], ...PREFECTURES.map((p) => [p, p])] }),
    field({ label: "市区町村", name: "municipality", value: (criteria.municipality || []).join("、"),
      hint: "3つまで、「、」で区切って入力（例：越谷市、草加市）" }),
    field({ label: "職種（職業分類）", name: "occupation", value: occupations,
      hint: "3つまで。候補から選ぶか、分類コード（例：361-01、361、36、C）を「、」で区切って入力",
      attrs: { list: "occupation-codes", autocomplete: "off" } }),
    occupationList(),
    choices({ legend: "雇用形態", name: "employment_type", values: criteria.employment_type,
      options: EMPLOYMENT_TYPES.map((t) => [t, t]) }),
    choices({ legend: "求人区分", name: "category", values: criteria.category, options: CATEGORIES.map((t) => [t, t]) }),
    choices({ legend: "就業形態", name: "full_time", type: "radio", values: criteria.full_time || "",
      options: [["", "指定しない"], ["true", "フルタイム"], ["false", "パート"]] }),
    h("div", { class: "inline-fields" },
      field({ label: "賃金（下限・円）", name: "wage_min", type: "number", value: criteria.wage_min || "",
        attrs: { min: 0, step: 1000, inputmode: "numeric" } }),
      select({ label: "賃金の種類", name: "wage_type", value: criteria.wage_type || "monthly",
        options: Object.entries(WAGE_TYPES) })),
    choices({ legend: "新着", name: "new_within", type: "radio", values: criteria.new_within || "",
      options: [["", "指定しない"], ["day", "1日以内"], ["week", "1週間以内"]] }),
    h("details", { class: "more-criteria" }, h("summary", {}, "詳しい条件（就業時間・休日・求人番号）"),
      h("div", { class: "inline-fields" },
        field({ label: "始業（以降）", name: "hours_start_from", type: "time", value: criteria.hours_start_from || "" }),
        field({ label: "終業（以前）", name: "hours_end_by", type: "time", value: criteria.hours_end_by || "" })),
      choices({ legend: "週休二日制", name: "two_days_weekly", type: "radio", values: criteria.two_days_weekly || "",
        options: [["", "指定しない"], ["weekly", "毎週"], ["any", "毎週・隔週など"]] }),
      field({ label: "年間休日数（以上）", name: "annual_holidays_min", type: "number",
        value: criteria.annual_holidays_min || "", attrs: { min: 0, max: 366, inputmode: "numeric" } }),
      field({ label: "求人番号", name: "job_number", value: (criteria.job_number || []).join("、"),
        hint: "5つまで（例：11040-00012345）" })),
    h("div", { class: "inline-fields" },
      select({ label: "並び順", name: "sort", value: criteria.sort || "received",
        options: [["received", "受付日の新しい順"], ["deadline", "紹介期限日の近い順"]] }),
      select({ label: "表示件数", name: "per_page", value: criteria.per_page || "30",
        options: [["10", "10件"], ["30", "30件"], ["50", "50件"]] })),
    h("div", { class: "actions" }, h("button", { type: "submit", class: "primary" }, "検索する")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const next = criteriaFromForm(values(form));
    next.page = "1";
    navigate(`/search${toQuery(next)}`);
  });
  return form;
}

function saveForm(criteria, box) {
  const nameField = field({ label: "検索条件の名前", name: "name", required: true,
    hint: "50文字まで（例：越谷の介護（正社員））", attrs: { maxlength: 50 } });
  const form = h("form", { class: "form save-search", "aria-label": "検索条件の保存", novalidate: true },
    nameField, h("div", { class: "actions" }, h("button", { type: "submit" }, "この条件を保存する")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    try {
      await post("/me/saved-searches", { name, criteria: criteriaForSaving(criteria) });
      showMessage(box, { text: `検索条件「${name}」を保存しました。`, href: "#/saved", linkText: "保存した検索条件を見る" }, "note");
    } catch (error) {
      const message = explain(error);
      if (error.status === 409) message.more = "検索条件は3件まで保存できます。保存した検索条件から不要なものを削除してください。";
      if (error.status === 409) { message.href = "#/saved"; message.linkText = "保存した検索条件へ"; }
      showMessage(box, message);
    }
  });
  return h("details", { class: "save-panel" }, h("summary", {}, "この検索条件を保存する（3件まで）"), form);
}

export async function searchScreen({ query }) {
  const criteria = criteriaFromQuery(query);
  const searched = query.toString() !== "";
  const box = messageBox();
  const formEl = searchForm(criteria);
  const root = h("section", { class: "search" }, h("h1", {}, "求人検索"),
    loggedIn() ? null : h("p", { class: "hint" }, "ログインすると、事業所名が「ログインすると表示されます」となっている求人も確認でき、お気に入りや検索条件を保存できます。"),
    h("details", { class: "criteria-panel", open: !searched },
      h("summary", {}, searched ? "検索条件を変更する" : "検索条件"), formEl));
  if (!searched) return root;
  const page = Number(query.get("page") || 1);
  let result;
  let favourites;
  try {
    [result, favourites] = await Promise.all([
      get(`/jobs${toQuery({ ...criteria, page })}`, { auth: "optional" }),
      favouriteNumbers(),
    ]);
  } catch (error) {
    formEl.parentElement.open = true;
    formEl.prepend(box);
    showFormError(formEl, box, error);
    return root;
  }
  const hrefFor = (n) => `#/search${toQuery({ ...criteria, page: n })}`;
  root.append(h("section", { class: "results-section", "aria-label": "検索結果" },
    h("h2", {}, "検索結果"), box, loggedIn() ? saveForm(criteria, box) : null,
    resultsList(result, { favourites, box, hrefFor })));
  return root;
}

export { searchForm };
