// お気に入り (J4): the kept postings (closed ones stay readable), at most 300; remove one.
import { get } from "../api.js";
import { h, messageBox } from "../dom.js";
import { jobCard } from "../jobs-view.js";

export async function favouritesScreen() {
  const list = await get("/me/favourites");
  const favourites = new Set(list.items.map((item) => item.job_number));
  const box = messageBox();
  return h("section", {}, h("h1", {}, "お気に入り"),
    h("p", {}, `${list.total}件 / ${list.limit || 300}件まで保存できます`),
    box,
    list.items.length
      ? h("ul", { class: "job-list" }, list.items.map((job) => jobCard(job, { favourites, box })))
      : h("p", {}, "お気に入りはまだありません。", h("a", { href: "#/search" }, "求人を検索する")));
}
