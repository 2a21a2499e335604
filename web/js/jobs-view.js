// How a job posting reads in lists and cards: wage, place, the establishment as J2a allows,
// the favourite button (J4), 「応募済み」 (J8) and the numbered pager (10/30/50 per page).
import { del, get, put } from "./api.js";
import { formatDate, formatYen, h } from "./dom.js";
import { explain, showMessage } from "./errors.js";
import { WAGE_TYPES } from "./codes.js";
import { loggedIn } from "./session.js";

export function wageText(wage) {
  if (!wage) return "—";
  const kind = WAGE_TYPES[wage.type] || "";
  return wage.max ? `${kind} ${formatYen(wage.min)}〜${formatYen(wage.max)}` : `${kind} ${formatYen(wage.min)}〜`;
}

export function placeText(location) {
  if (!location) return "—";
  return [location.prefecture, location.municipality, location.station ? `（${location.station}）` : ""].join("");
}

/** J2a: 公開範囲2 → 「ログインすると表示されます」, 3 → 「非公開」. */
export function establishmentText(establishment) {
  if (!establishment) return "—";
  if (establishment.disclosed && establishment.name) return establishment.name;
  if (establishment.hidden_reason === "login_required") {
    return loggedIn() ? "事業所名は表示できません" : "ログインすると表示されます";
  }
  return "非公開";
}

/** The 求人番号 of a seeker's list as a set (null when not logged in or refused, e.g. P4). */
async function jobNumbers(path) {
  if (!loggedIn()) return null;
  try {
    const list = await get(path);
    return new Set(list.items.map((item) => item.job_number));
  } catch {
    return null;
  }
}

/** The seeker's favourites (J4). */
export const favouriteNumbers = () => jobNumbers("/me/favourites");

/** The postings the seeker has applied to (J8: one application per posting, a withdrawn one included). */
export const appliedNumbers = () => jobNumbers("/me/applications");

/** A toggle for one posting; errors (the 300 limit, P4) go to `box`. */
export function favouriteButton(jobNumber, favourites, box, onChange) {
  if (!favourites) return null;
  const btn = h("button", { type: "button", class: "fav", "aria-pressed": String(favourites.has(jobNumber)) });
  const label = () => {
    const on = favourites.has(jobNumber);
    btn.textContent = on ? "★ お気に入り解除" : "☆ お気に入りに追加";
    btn.setAttribute("aria-pressed", String(on));
  };
  label();
  btn.addEventListener("click", async () => {
    btn.disabled = true;
    try {
      const path = `/me/favourites/${encodeURIComponent(jobNumber)}`;
      if (favourites.has(jobNumber)) { await del(path); favourites.delete(jobNumber); }
      else { await put(path); favourites.add(jobNumber); }
      label();
      showMessage(box, favourites.has(jobNumber) ? "お気に入りに追加しました。" : "お気に入りから外しました。", "note");
      if (onChange) onChange();
    } catch (error) {
      const message = explain(error);
      if (error.status === 409) message.more = "お気に入りは300件まで保存できます。不要なお気に入りを外してから追加してください。";
      showMessage(box, message);
    } finally {
      btn.disabled = false;
    }
  });
  return btn;
}

/** 「応募済み」 with the way to 応募状況 (instead of 応募する). */
export function appliedTag() {
  return h("p", { class: "applied" }, h("span", { class: "tag ok" }, "応募済み"), " ",
    h("a", { href: "#/applications" }, "応募状況を見る"));
}

/** A card's 応募する, or 「応募済み」 once applied; nothing for a closed posting (the card says so). */
export function applyControl(job, applied) {
  if (applied) return appliedTag();
  if (job.status && job.status !== "open") return null;
  return h("a", { class: "button", href: `#/apply/${encodeURIComponent(job.job_number)}` }, "応募する");
}

export function jobCard(job, { favourites, box, extra, applied, onFavourite } = {}) {
  const closed = job.status && job.status !== "open";
  return h("li", { class: "job-card", "data-job": job.job_number },
    h("h3", {}, h("a", { href: `#/jobs/${encodeURIComponent(job.job_number)}` }, job.title || job.job_number)),
    h("p", { class: "establishment" }, establishmentText(job.establishment)),
    h("dl", { class: "job-facts" },
      h("dt", {}, "就業場所"), h("dd", {}, placeText(job.location)),
      h("dt", {}, "賃金"), h("dd", {}, wageText(job.wage)),
      h("dt", {}, "雇用形態"), h("dd", {}, job.employment_type || "—"),
      h("dt", {}, "求人番号"), h("dd", {}, job.job_number),
      h("dt", {}, "受付日"), h("dd", {}, formatDate(job.received_on)),
      h("dt", {}, "紹介期限日"), h("dd", {}, formatDate(job.deadline))),
    closed ? h("p", { class: "tag ng" }, job.status === "closed" ? "募集終了" : "紹介期限切れ") : null,
    job.online_application ? h("p", { class: "tag" }, "オンライン自主応募可") : null,
    applied && applied.has(job.job_number) ? appliedTag() : null,
    h("div", { class: "card-actions" }, favouriteButton(job.job_number, favourites, box, onFavourite), extra || null));
}

/** The page numbers to link: the first, the last, and two either side of the current (gaps as null). */
export function pageNumbers(page, pages) {
  const shown = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, pages])]
    .filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  return shown.flatMap((n, i) => (i && n - shown[i - 1] > 1 ? [null, n] : [n]));
}

/** Page links: the page number lives in the hash (`page=N`) so the back button works. */
export function pager(page, perPage, total, hrefFor) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const current = Math.min(page, pages);
  return h("nav", { class: "pager", "aria-label": `ページ送り（全${pages}ページ）` },
    current > 1 ? h("a", { href: hrefFor(current - 1), rel: "prev" }, "前へ") : h("span", { class: "disabled" }, "前へ"),
    h("ol", { class: "pages" }, pageNumbers(current, pages).map((n) => h("li", {}, n === null
      ? h("span", { class: "gap", "aria-hidden": "true" }, "…")
      : n === current
        ? h("span", { class: "current", "aria-current": "page", "aria-label": `${n}ページ目（表示中）` }, String(n))
        : h("a", { href: hrefFor(n), "aria-label": `${n}ページ目` }, String(n))))),
    current < pages ? h("a", { href: hrefFor(current + 1), rel: "next" }, "次へ") : h("span", { class: "disabled" }, "次へ"));
}

/** 「検索結果 1,234件（1〜30件目）」 */
export function totalText({ total, page, per_page: perPage }) {
  const start = (page - 1) * perPage + 1;
  const end = Math.min(total, page * perPage);
  return `検索結果 ${total.toLocaleString("ja-JP")}件${total ? `（${start.toLocaleString("ja-JP")}〜${end.toLocaleString("ja-JP")}件目）` : ""}`;
}

/** The last page of a result whose page is past the end (null when the page is within it). */
export function pastTheEnd({ total, page, per_page: perPage }) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return page > pages ? pages : null;
}

export function resultsList(pageData, { favourites, applied, box, hrefFor, toolbar, empty }) {
  const { items, total, page, per_page: perPage } = pageData;
  return h("div", { class: "results" },
    h("div", { class: "results-head" }, h("p", { class: "total", role: "status" }, totalText(pageData)), toolbar || null),
    items.length ? h("ul", { class: "job-list" }, items.map((job) => jobCard(job, { favourites, applied, box })))
      : empty || h("p", {}, "条件に合う求人はありませんでした。条件を変えて検索してください。"),
    total > perPage ? pager(page, perPage, total, hrefFor) : null);
}
