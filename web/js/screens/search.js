// 求人検索 (J2): the criteria live in the hash (#/search?q=…&page=2), so a search is a deep link and
// the back button brings the criteria (and, app.js, the scroll position) back. A short form on top
// (free word, place, 職種) with 検索する always in reach; the other criteria in a drawer. The results
// say what was searched (each condition removable), refinement chips with counts (J2b facets), and
// sort, page size and numbered pages beside them. Nothing typed is dropped quietly: a 職種 that is not a code or a listed name, or too many
// places, is an error beside its field. A logged-in seeker can save the criteria (J3, at most 3).
import { get, post, query as toQuery } from "../api.js";
import { CATEGORIES, EMPLOYMENT_TYPES, OCCUPATIONS, PREFECTURES, WAGE_TYPES } from "../codes.js";
import { describe, loadMunicipalities, needsPlaces, PER_PAGE, SORTS } from "../criteria.js";
import { choices, field, h, messageBox, nextId, select } from "../dom.js";
import { clearFieldErrors, explain, reveal, setFieldError, showFormError, showMessage } from "../errors.js";
import { values } from "../forms.js";
import { appliedNumbers, favouriteNumbers, pastTheEnd, resultsList } from "../jobs-view.js";
import { navigate } from "../router.js";
import { loggedIn } from "../session.js";

const ARRAY_KEYS = ["prefecture", "municipality", "occupation", "employment_type", "category", "job_number"];
const SCALAR_KEYS = ["q", "wage_min", "wage_type", "full_time", "hours_start_from", "hours_end_by",
  "two_days_weekly", "annual_holidays_min", "new_within", "sort", "per_page"];
// What the drawer holds (its button counts them); the rest is the short form.
const DRAWER_KEYS = ["employment_type", "category", "full_time", "wage_min", "new_within", "hours_start_from",
  "hours_end_by", "two_days_weekly", "annual_holidays_min", "job_number"];
const MAX_PAGE = 1000; // the API refuses deeper pages
const OCCUPATION_CODE = /^([A-K]|\d{2,3}(-\d{2})?)$/i;

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

/** Entries separated by 「、」 or commas (a 職種 suggestion such as 「361 施設介護員」 has a space). */
function entries(text) {
  return String(text || "").split(/[,、，]+/).map((s) => s.trim()).filter(Boolean);
}

/** A typed 職種 → its code: a code (「361」, 「361 施設介護員」) or exactly a listed name; else null. */
export function occupationCode(entry) {
  const first = entry.split(/\s+/)[0];
  if (OCCUPATION_CODE.test(first)) return first.toUpperCase();
  const named = OCCUPATIONS.filter(([, name]) => name === entry);
  return named.length ? named[named.length - 1][0] : null; // the most specific of equal names
}

/** 「361 施設介護員」: a code as the suggestion list writes it. */
function occupationEntry(code) {
  const hit = OCCUPATIONS.find(([c]) => c === String(code).toUpperCase());
  return hit ? `${hit[0]} ${hit[1]}` : code;
}

function occupationSuggestions(entry) {
  return OCCUPATIONS.filter(([code, name]) => code.length === 3 && name.includes(entry)).slice(0, 4)
    .map(([code, name]) => `「${code} ${name}」`);
}

/** The form's values → criteria, or the problems with them ([field, message]). */
function criteriaFromForm(v) {
  const criteria = { ...v };
  const problems = [];
  criteria.prefecture = v.prefecture ? [v.prefecture] : [];
  criteria.municipality = entries(v.municipality);
  criteria.job_number = entries(v.job_number);
  criteria.occupation = [];
  for (const entry of entries(v.occupation)) {
    const code = occupationCode(entry);
    if (code) { criteria.occupation.push(code); continue; }
    const like = occupationSuggestions(entry);
    problems.push(["occupation", `職種「${entry}」は候補にありません。候補から選ぶか、職業分類コードを入力してください。`
      + (like.length ? `（例：${like.join("、")}）` : "")]);
  }
  for (const [key, label, max] of [["municipality", "市区町村", 3], ["occupation", "職種", 3], ["job_number", "求人番号", 5]]) {
    if (criteria[key].length > max) problems.push([key, `${label}は${max}つまで指定できます（${criteria[key].length}つ入力されています）。`]);
  }
  if (!v.wage_min) delete criteria.wage_type; // the kind of wage means nothing without an amount
  return { criteria, problems };
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

function drawer(criteria, onClose) {
  const titleId = nextId("drawer-title");
  const dialog = h("dialog", { class: "drawer", "aria-labelledby": titleId },
    h("div", { class: "drawer-head" }, h("h2", { id: titleId }, "詳しい条件"),
      h("button", { type: "button", class: "linklike", onclick: () => dialog.close() }, "閉じる")),
    h("div", { class: "drawer-body" },
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
      h("div", { class: "inline-fields" },
        field({ label: "始業（以降）", name: "hours_start_from", type: "time", value: criteria.hours_start_from || "" }),
        field({ label: "終業（以前）", name: "hours_end_by", type: "time", value: criteria.hours_end_by || "" })),
      choices({ legend: "週休二日制", name: "two_days_weekly", type: "radio", values: criteria.two_days_weekly || "",
        options: [["", "指定しない"], ["weekly", "毎週"], ["any", "毎週・隔週など"]] }),
      field({ label: "年間休日数（以上）", name: "annual_holidays_min", type: "number",
        value: criteria.annual_holidays_min || "", attrs: { min: 0, max: 366, inputmode: "numeric" } }),
      field({ label: "求人番号", name: "job_number", value: (criteria.job_number || []).join("、"),
        hint: "5つまで、「、」で区切って入力（例：11040-00012345）" })),
    h("div", { class: "drawer-foot" },
      h("button", { type: "submit", class: "primary" }, "この条件で検索する"),
      h("button", { type: "button", onclick: () => dialog.close() }, "閉じる")));
  dialog.addEventListener("close", onClose);
  return dialog;
}

function searchForm(criteria, searched) {
  const one = (key) => (criteria[key] || [])[0] || "";
  const box = messageBox();
  const set = DRAWER_KEYS.filter((key) => criteria[key] && !(key === "hours_end_by" && criteria.hours_start_from)).length;
  const opener = h("button", { type: "button", class: "drawer-open", "aria-haspopup": "dialog" },
    "詳しい条件", set ? h("span", { class: "count-chip" }, `${set}件指定中`) : null);
  const details = drawer(criteria, () => opener.focus());
  opener.addEventListener("click", () => details.showModal());
  // Once searched the hints step aside (still read out through aria-describedby) so results start higher.
  const form = h("form", { class: `form search-form${searched ? " compact" : ""}`, role: "search",
    "aria-label": "求人検索の条件", novalidate: true },
    box,
    field({ label: "フリーワード", name: "q", type: "search", value: criteria.q || "",
      hint: "例：介護 越谷（スペースで区切るとすべてを含む求人）", attrs: { maxlength: 50, enterkeyhint: "search" } }),
    h("details", { class: "howto" }, h("summary", {}, "フリーワードの書き方"),
      h("p", { class: "hint" }, "50文字まで。スペース区切りで「すべてを含む」（AND）、OR または | で「いずれかを含む」、-語 または NOT 語 で「含まない」（1語まで）。例：介護 OR 看護 越谷 -夜勤")),
    h("div", { class: "inline-fields pair" },
      select({ label: "都道府県", name: "prefecture", value: one("prefecture"),
        options: [["", "指定しない"], ...PREFECTURES.map((p) => [p, p])] }),
      field({ label: "市区町村", name: "municipality", value: (criteria.municipality || []).join("、"),
        hint: "3つまで「、」で区切る（例：越谷市、草加市）" })),
    field({ label: "職種", name: "occupation", value: (criteria.occupation || []).map(occupationEntry).join("、"),
      hint: "候補から選ぶか、職業分類コード（例：361）。3つまで「、」で区切る",
      attrs: { list: "occupation-codes", autocomplete: "off" } }),
    occupationList(),
    details,
    h("input", { type: "hidden", name: "sort", value: criteria.sort || "" }),
    h("input", { type: "hidden", name: "per_page", value: criteria.per_page || "" }),
    h("div", { class: "search-actions" }, opener, h("button", { type: "submit", class: "primary" }, "検索する")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    showMessage(box, null);
    const { criteria: next, problems } = criteriaFromForm(values(form));
    if (problems.length) {
      for (const [name, text] of problems) setFieldError(form, name, text);
      showMessage(box, "入力内容を確認してください。");
      reveal(form.querySelector(`[data-field="${problems[0][0]}"]`));
      return;
    }
    if (details.open) details.close();
    next.page = "1";
    navigate(`/search${toQuery(next)}`);
  });
  form.messageBox = box;
  return form;
}

function saveForm(criteria, box) {
  const nameField = field({ label: "検索条件の名前", name: "name", required: true,
    hint: "50文字まで（例：越谷の介護（正社員））", attrs: { maxlength: 50 } });
  const formBox = messageBox();
  const form = h("form", { class: "form save-search", "aria-label": "検索条件の保存", novalidate: true },
    formBox, nameField, h("div", { class: "actions" }, h("button", { type: "submit" }, "この条件を保存する")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = form.elements.name.value.trim();
    showMessage(formBox, null);
    clearFieldErrors(form);
    if (!name) {
      setFieldError(form, "name", "検索条件の名前を入力してください（50文字まで）。");
      form.elements.name.focus();
      return;
    }
    try {
      await post("/me/saved-searches", { name, criteria: criteriaForSaving(criteria) });
      clearFieldErrors(form);
      showMessage(box, { text: `検索条件「${name}」を保存しました。`, href: "#/saved", linkText: "保存した検索条件を見る" }, "note");
    } catch (error) {
      if (error.status === 409) {
        const message = explain(error); // 「検索条件は3件まで保存できます。」
        message.more = "保存した検索条件から不要なものを削除してから保存してください。";
        message.href = "#/saved";
        message.linkText = "保存した検索条件へ";
        showMessage(formBox, message);
        formBox.focus();
      } else {
        showFormError(form, formBox, error);
      }
    }
  });
  return h("details", { class: "save-panel" }, h("summary", {}, "この検索条件を保存する（3件まで）"), form);
}

const hrefWith = (criteria, changes) => `#/search${toQuery({ ...criteria, ...changes })}`;

/** What was searched, each condition with a link that searches again without it. */
function criteriaSummary(criteria, places) {
  const parts = describe(criteria, { places });
  if (!parts.length) return h("p", { class: "criteria-summary" }, "条件なし（すべての求人）");
  const without = (key) => {
    const rest = { ...criteria, page: "1" };
    const gone = { hours: ["hours_start_from", "hours_end_by"], wage_min: ["wage_min", "wage_type"] }[key] || [key];
    for (const k of gone) delete rest[k];
    return `#/search${toQuery(rest)}`;
  };
  return h("div", { class: "criteria-summary" }, h("p", { class: "visually-hidden" }, "検索条件"),
    h("ul", { class: "chips", "aria-label": "検索条件" }, parts.map((p) => h("li", { class: "chip" },
      h("span", {}, `${p.label}：${p.text}`),
      h("a", { href: without(p.key), class: "chip-remove", "aria-label": `「${p.label}：${p.text}」を外して検索` }, "×")))));
}

/** Sort and page size beside the results: a change searches again from page 1. */
function toolbar(criteria) {
  const change = (key) => (event) => navigate(hrefWith(criteria, { [key]: event.target.value, page: "1" }).slice(1));
  const sortId = nextId("sort");
  const perId = nextId("per-page");
  return h("div", { class: "toolbar" },
    h("div", { class: "tool" }, h("label", { for: sortId }, "並び順"),
      h("select", { id: sortId, onchange: change("sort") }, Object.entries(SORTS).map(([v, t]) =>
        h("option", { value: v, selected: (criteria.sort || "received") === v }, t)))),
    h("div", { class: "tool" }, h("label", { for: perId }, "表示件数"),
      h("select", { id: perId, onchange: change("per_page") }, PER_PAGE.map((v) =>
        h("option", { value: v, selected: (criteria.per_page || "30") === v }, `${v}件`)))));
}

// J2b: what the whole result holds, by facet → the criterion a chip sets (the API takes names or codes).
const FACETS = [["prefecture", "都道府県", "prefecture", "name"], ["occupation_group", "職種（大分類）", "occupation", "code"],
  ["employment_type", "雇用形態", "employment_type", "code"], ["category", "求人区分", "category", "code"]];
const FACET_CHIPS = 8;

/** Refinement chips with counts, for the facets the criteria do not fix yet (a click narrows to one). */
function refinements(criteria, facets) {
  const groups = FACETS.filter(([facet, , key]) => !criteria[key] && (facets[facet] || []).length > 1)
    .map(([facet, label, key, by]) => h("div", { class: "refine-group" }, h("p", { class: "refine-title" }, label),
      h("ul", { class: "chips" }, facets[facet].slice(0, FACET_CHIPS).map((value) => h("li", {},
        // the name begins with what the chip shows (WCAG 2.5.3): 「正社員1,234件（雇用形態で絞り込む）」
        h("a", { class: "chip refine-chip", href: hrefWith(criteria, { [key]: value[by], page: "1" }) },
          value.name, h("span", { class: "chip-count" }, value.count.toLocaleString("ja-JP")),
          h("span", { class: "visually-hidden" }, `件（${label}で絞り込む）`)))))));
  if (!groups.length) return null;
  return h("details", { class: "refine", open: window.matchMedia("(min-width: 1024px)").matches },
    h("summary", {}, "絞り込み（件数つき）"), h("nav", { "aria-label": "絞り込み" }, groups));
}

function emptyHint(criteria) {
  const tips = [];
  if (criteria.q) tips.push("フリーワードを短くするか、言い換えを OR でつないでください（例：介護 OR ヘルパー）。");
  if (criteria.municipality) tips.push("市区町村を外して、都道府県で探してください。");
  if (criteria.occupation) tips.push("職種は上の分類（例：361 → 36）にすると広く探せます。");
  if (DRAWER_KEYS.some((key) => criteria[key])) tips.push("「詳しい条件」で指定した条件を減らしてください。");
  return h("div", { class: "empty-hint" },
    h("p", {}, h("strong", {}, "条件に合う求人はありませんでした。")),
    h("p", {}, "上の検索条件の「×」で条件を1つずつ外せます。"),
    tips.length ? h("ul", {}, tips.map((t) => h("li", {}, t))) : null);
}

export async function searchScreen({ query }) {
  const criteria = criteriaFromQuery(query);
  const searched = query.toString() !== "";
  const box = messageBox();
  const formEl = searchForm(criteria, searched);
  const side = h("div", { class: "search-side" }, formEl); // beside the results on a wide screen
  const root = h("section", { class: `search${searched ? " searched" : ""}` }, h("h1", {}, "求人検索"),
    loggedIn() ? null : h("p", { class: "hint" }, "ログインすると、事業所名が「ログインすると表示されます」となっている求人も確認でき、お気に入りや検索条件を保存できます。"),
    side);
  if (!searched) return root;
  const asked = Math.max(1, Number.parseInt(query.get("page"), 10) || 1);
  const facets = FACETS.map(([facet]) => facet).join(",");
  const search = (page) => get(`/jobs${toQuery({ ...criteria, page, facets })}`, { auth: "optional" });
  let result;
  let favourites;
  let applied;
  let places;
  try {
    [result, favourites, applied, places] = await Promise.all([search(Math.min(asked, MAX_PAGE)), favouriteNumbers(), appliedNumbers(),
      needsPlaces(criteria) ? loadMunicipalities() : {}]);
    const last = pastTheEnd(result);
    if (last) {
      result = await search(last);
      showMessage(box, `${asked.toLocaleString("ja-JP")}ページ目はありません（全${last}ページ）。最後のページを表示しています。`, "note");
    }
  } catch (error) {
    root.onShown = () => showFormError(formEl, formEl.messageBox, error);
    return root;
  }
  const hrefFor = (n) => hrefWith(criteria, { page: n });
  const refine = result.total ? refinements(criteria, result.facets || {}) : null;
  if (refine) side.append(refine);
  root.append(h("section", { class: "results-section", "aria-labelledby": "results-title" },
    h("h2", { id: "results-title" }, "検索結果"),
    criteriaSummary(criteria, places),
    box, loggedIn() ? saveForm(criteria, box) : null,
    resultsList(result, { favourites, applied, box, hrefFor, toolbar: toolbar(criteria), empty: emptyHint(criteria) })));
  return root;
}
