// How a job posting reads in lists and cards: wage, place, the establishment as J2a allows,
// the favourite button (J4) and the pager (10/30/50 per page).
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

/** The seeker's favourites as a set of 求人番号 (null when not logged in or refused, e.g. P4). */
export async function favouriteNumbers() {
  if (!loggedIn()) return null;
  try {
    const list = await get("/me/favourites");
    return new Set(list.items.map((item) => item.job_number));
  } catch {
    return null;
  }
}

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

export function jobCard(job, { favourites, box, extra } = {}) {
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
    h("div", { class: "card-actions" }, favouriteButton(job.job_number, favourites, box), extra || null));
}

/** Page links: the page number lives in the hash (`page=N`) so the back button works. */
export function pager(page, perPage, total, hrefFor) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  return h("nav", { class: "pager", "aria-label": "ページ送り" },
    page > 1 ? h("a", { href: hrefFor(page - 1), rel: "prev" }, "前へ") : h("span", { class: "disabled" }, "前へ"),
    h("span", { "aria-current": "page" }, `${page} / ${pages}ページ`),
    page < pages ? h("a", { href: hrefFor(page + 1), rel: "next" }, "次へ") : h("span", { class: "disabled" }, "次へ"));
}

export function resultsList(pageData, { favourites, box, hrefFor }) {
  const { items, total, page, per_page: perPage } = pageData;
  const start = total ? (page - 1) * perPage + 1 : 0;
  const end = Math.min(total, page * perPage);
  return h("div", { class: "results" },
    h("p", { class: "total", role: "status" }, `検索結果 ${total.toLocaleString("ja-JP")}件`,
      total ? `（${start}〜${end}件目）` : ""),
    items.length ? h("ul", { class: "job-list" }, items.map((job) => jobCard(job, { favourites, box })))
      : h("p", {}, "条件に合う求人はありませんでした。条件を変えて検索してください。"),
    total > perPage ? pager(page, perPage, total, hrefFor) : null);
}
