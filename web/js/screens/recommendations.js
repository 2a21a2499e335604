// おすすめ求人 (J7 オンラインハローワーク紹介): postings Hello Work recommended; apply online to one.
import { get } from "../api.js";
import { formatDateTime, h, messageBox } from "../dom.js";
import { favouriteNumbers, jobCard } from "../jobs-view.js";

export async function recommendationsScreen() {
  const [list, favourites] = await Promise.all([get("/me/recommendations"), favouriteNumbers()]);
  const box = messageBox();
  return h("section", {}, h("h1", {}, "おすすめ求人"),
    h("p", {}, "ハローワークがおすすめする求人です。オンラインで応募できます（オンラインハローワーク紹介）。"),
    box,
    list.items.length ? h("ul", { class: "job-list" }, list.items.map((job) => jobCard(job, {
      favourites, box,
      extra: [
        job.comment ? h("p", { class: "comment" }, `ハローワークから：${job.comment}`) : null,
        h("p", { class: "hint" }, `おすすめ日時：${formatDateTime(job.recommended_at)}`),
        job.status === "open" ? h("a", { class: "button", href: `#/apply/${encodeURIComponent(job.job_number)}` }, "応募する") : null,
      ],
    }))) : h("p", {}, "おすすめ求人はまだありません。"));
}
