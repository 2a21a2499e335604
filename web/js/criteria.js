// The search criteria in words (J2, J3): names instead of codes (a saved search keeps codes: 都道府県
// 11, 市区町村 11222, 職業分類 361), in the order of the search form. Municipality names come from
// /data/municipalities.json (kit/codes/data, flattened), loaded once when a code needs one.
import { OCCUPATIONS, PREFECTURES, WAGE_TYPES } from "./codes.js";
import { formatYen } from "./dom.js";

export const SORTS = { received: "受付日の新しい順", deadline: "紹介期限日の近い順" };
export const PER_PAGE = ["10", "30", "50"];
export const NEW_WITHIN = { day: "1日以内", week: "1週間以内" };
export const TWO_DAYS_WEEKLY = { weekly: "毎週", any: "毎週・隔週など" };
export const FULL_TIME = { true: "フルタイム", false: "パート" };

let municipalities = null;

/** The municipality names by code (fetched on first use; without them codes stay codes). */
export async function loadMunicipalities() {
  if (!municipalities) {
    municipalities = fetch("/data/municipalities.json").then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  }
  return municipalities;
}

function many(value) {
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== "" && v !== null && v !== undefined);
}

export function prefectureName(value) {
  return /^\d{1,2}$/.test(String(value)) ? PREFECTURES[Number(value) - 1] || value : value;
}

/** 「施設介護員（361）」 for 361; a 細分類 like 361-01 is named by its 小分類. */
export function occupationName(value) {
  const code = String(value).split(" ")[0].toUpperCase();
  const hit = OCCUPATIONS.find(([c]) => c === code) || OCCUPATIONS.find(([c]) => c === code.split("-")[0]);
  return hit ? `${hit[1]}（${code}）` : String(value);
}

/**
 * [{key, label, text}] in the form's order; `places` (from loadMunicipalities) names municipality
 * codes; `display` adds 並び順 and 表示件数 (a saved search keeps them too).
 */
export function describe(criteria, { places = {}, display = false } = {}) {
  const c = criteria || {};
  const out = [];
  const add = (key, label, text) => { if (text) out.push({ key, label, text }); };
  add("q", "フリーワード", c.q);
  add("prefecture", "都道府県", many(c.prefecture).map(prefectureName).join("、"));
  add("municipality", "市区町村", many(c.municipality).map((m) => places[m] || m).join("、"));
  add("occupation", "職種", many(c.occupation).map(occupationName).join("、"));
  for (const [key, label] of [["employment_type", "雇用形態"], ["category", "求人区分"]]) {
    add(key, label, many(c[key]).join("、"));
  }
  if (c.full_time !== undefined && c.full_time !== "") add("full_time", "就業形態", FULL_TIME[String(c.full_time)]);
  if (c.wage_min !== undefined && c.wage_min !== "") {
    add("wage_min", "賃金", `${WAGE_TYPES[c.wage_type || "monthly"] || ""} ${formatYen(c.wage_min)}以上`);
  }
  const hours = [c.hours_start_from ? `${c.hours_start_from}以降に始業` : "", c.hours_end_by ? `${c.hours_end_by}までに終業` : ""];
  add("hours", "就業時間", hours.filter(Boolean).join("・"));
  add("two_days_weekly", "週休二日制", TWO_DAYS_WEEKLY[c.two_days_weekly]);
  if (c.annual_holidays_min !== undefined && c.annual_holidays_min !== "") {
    add("annual_holidays_min", "年間休日数", `${c.annual_holidays_min}日以上`);
  }
  add("new_within", "新着", NEW_WITHIN[c.new_within]);
  add("job_number", "求人番号", many(c.job_number).join("、"));
  if (display) {
    add("sort", "並び順", SORTS[c.sort]);
    add("per_page", "表示件数", c.per_page ? `${c.per_page}件` : "");
  }
  return out;
}

/** One line: 「フリーワード：介護 ／ 都道府県：埼玉県」 (「条件なし」 when nothing is set). */
export function summaryText(parts) {
  return parts.map((p) => `${p.label}：${p.text}`).join(" ／ ") || "条件なし（すべての求人）";
}

/** The criteria use municipality codes that need names. */
export function needsPlaces(criteria) {
  return many((criteria || {}).municipality).some((m) => /^\d{5}$/.test(String(m)));
}
