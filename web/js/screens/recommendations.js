// おすすめ求人 (J7 オンラインハローワーク紹介): postings Hello Work recommended; apply online to one
// (「応募済み」 once applied).
import { get } from "../api.js";
import { formatDateTime, h, messageBox } from "../dom.js";
import { appliedNumbers, applyControl, favouriteNumbers, jobCard } from "../jobs-view.js";

export async function recommendationsScreen() {
  const [list, favourites, applied] = await Promise.all([get("/me/recommendations"), favouriteNumbers(), appliedNumbers()]);
  const box = messageBox();
  return h("section", {}, h("h1", {}, "おすすめ求人"),
    h("p", {}, "ハローワークがおすすめする求人です。オンラインで応募できます（オンラインハローワーク紹介）。"),
    box,
    list.items.length ? h("ul", { class: "job-list" }, list.items.map((job) => jobCard(job, {
      favourites, box,
      extra: [
        job.comment ? h("p", { class: "comment" }, `ハローワークから：${job.comment}`) : null,
        h("p", { class: "hint" }, `おすすめ日時：${formatDateTime(job.recommended_at)}`),
        applyControl(job, applied && applied.has(job.job_number)),
      ],
    }))) : h("p", {}, "おすすめ求人はまだありません。"));
}
