// お知らせ (M2): notices from Hello Work, recommendations (J7), matching postings (J6) and direct requests
// (J8a), unread marked.
import { get, post, query as toQuery } from "../api.js";
import { formatDateTime, h } from "../dom.js";
import { pager } from "../jobs-view.js";
import { refreshBadges } from "../nav.js";

const PER_PAGE = 20;
const KINDS = { notice: "お知らせ", recommendation: "おすすめ求人", matching: "条件に合う求人", direct_request: "直接リクエスト" };

export async function noticesScreen({ query }) {
  const page = Number(query.get("page") || 1);
  const list = await get(`/me/notices${toQuery({ page, per_page: PER_PAGE })}`);
  refreshBadges();
  return h("section", {}, h("h1", {}, "お知らせ"),
    h("p", {}, `未読 ${list.unread || 0}件`),
    list.items.length ? h("ul", { class: "cards" }, list.items.map((n) => h("li", { class: `card${n.read ? "" : " unread"}` },
      h("p", { class: "kind" }, KINDS[n.kind] || "お知らせ", n.read ? "" : h("span", { class: "tag new" }, "未読")),
      h("h2", {}, h("a", { href: `#/notices/${encodeURIComponent(n.id)}` }, n.title)),
      h("p", { class: "hint" }, formatDateTime(n.sent_at)))))
      : h("p", {}, "お知らせはありません。"),
    list.total > PER_PAGE ? pager(page, PER_PAGE, list.total, (n) => `#/notices?page=${n}`) : null);
}

export async function noticeScreen({ params }) {
  const id = encodeURIComponent(params.id);
  let notice = await get(`/me/notices/${id}`);
  if (!notice.read) notice = await post(`/me/notices/${id}/read`).catch(() => notice);
  refreshBadges();
  return h("article", {}, h("p", {}, h("a", { href: "#/notices" }, "← お知らせ一覧へ")),
    h("p", { class: "kind" }, KINDS[notice.kind] || "お知らせ"),
    h("h1", {}, notice.title),
    h("p", { class: "hint" }, formatDateTime(notice.sent_at)),
    h("p", { class: "prewrap" }, notice.body),
    notice.job_number ? h("p", {}, h("a", { class: "button", href: `#/jobs/${encodeURIComponent(notice.job_number)}` }, "求人票を見る")) : null,
    notice.kind === "recommendation" ? h("p", {}, h("a", { href: "#/recommendations" }, "おすすめ求人の一覧へ")) : null,
    notice.kind === "matching" ? h("p", {}, h("a", { href: "#/matching" }, "希望条件に合う新着求人の一覧へ")) : null,
    notice.kind === "direct_request" ? h("p", {}, h("a", { href: "#/direct-requests" }, "直接リクエストの一覧へ")) : null,
    h("p", { class: "hint" }, `このお知らせは ${formatDateTime(notice.auto_delete_at)} に自動で削除されます。`));
}
