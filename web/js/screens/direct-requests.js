// 直接リクエスト (J8a): postings employers sent the seeker after seeing the disclosed profile
// (求職情報公開); applying to one is an online self-application through the usual 応募 screen.
import { get } from "../api.js";
import { formatDateTime, h, messageBox } from "../dom.js";
import { applyControl, favouriteNumbers, jobCard } from "../jobs-view.js";

export async function directRequestsScreen() {
  const [list, favourites] = await Promise.all([get("/me/direct-requests"), favouriteNumbers()]);
  const box = messageBox();
  return h("section", {}, h("h1", {}, "直接リクエスト"),
    h("p", {}, "求職情報を公開している方に、事業所から届いた求人です。オンラインで応募できます（オンライン自主応募）。",
      h("a", { href: "#/profile" }, "求職情報の公開の確認・変更")),
    box,
    list.items.length ? h("ul", { class: "job-list" }, list.items.map((job) => jobCard(job, {
      favourites, box,
      extra: [
        job.message ? h("p", { class: "comment prewrap" }, `事業所からのメッセージ：${job.message}`) : null,
        h("p", { class: "hint" }, `届いた日時：${formatDateTime(job.sent_at)}`),
        applyControl(job, job.applied),
      ],
    }))) : h("p", {}, "直接リクエストはまだありません。求職情報を公開すると、事業所から届くことがあります。"));
}
