// 希望条件に合う新着求人 (J6): new postings that matched the desired conditions registered at Hello Work.
import { get, query as toQuery } from "../api.js";
import { formatDateTime, h, messageBox } from "../dom.js";
import { favouriteNumbers, jobCard, pager } from "../jobs-view.js";

const PER_PAGE = 30;

export async function matchingScreen({ query }) {
  const page = Number(query.get("page") || 1);
  const [list, favourites] = await Promise.all([
    get(`/me/matching-jobs${toQuery({ page, per_page: PER_PAGE })}`), favouriteNumbers()]);
  const box = messageBox();
  return h("section", {}, h("h1", {}, "希望条件に合う新着求人"),
    h("p", {}, "ハローワークに登録した希望条件（職種・雇用形態・地域・賃金など）に合う新しい求人です。",
      h("a", { href: "#/profile" }, "希望条件の確認・変更")),
    box,
    list.items.length ? h("ul", { class: "job-list" }, list.items.map((job) => jobCard(job, {
      favourites, box, extra: job.matched_at ? h("p", { class: "hint" }, `届いた日時：${formatDateTime(job.matched_at)}`) : null,
    }))) : h("p", {}, "希望条件に合う新着求人はまだありません。"),
    list.total > PER_PAGE ? pager(page, PER_PAGE, list.total, (n) => `#/matching?page=${n}`) : null);
}
