// お気に入り (J4): the kept postings (closed ones stay readable), at most 300; removing one takes it
// off the list and the count at once (the message says what happened, focus stays on the list).
import { get } from "../api.js";
import { h, messageBox } from "../dom.js";
import { jobCard } from "../jobs-view.js";

export async function favouritesScreen() {
  const list = await get("/me/favourites");
  const favourites = new Set(list.items.map((item) => item.job_number));
  const limit = list.limit || 300;
  const box = messageBox();
  const count = h("p", { class: "favourite-count" });
  const empty = h("p", {}, "お気に入りはまだありません。", h("a", { href: "#/search" }, "求人を検索する"));
  const cards = h("ul", { class: "job-list" });
  const update = () => {
    count.textContent = `${favourites.size}件 / ${limit}件まで保存できます`;
    empty.hidden = favourites.size > 0;
    cards.hidden = favourites.size === 0;
  };
  for (const job of list.items) {
    const card = jobCard(job, { favourites, box, onFavourite: () => {
      if (favourites.has(job.job_number)) return;
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      update();
      (next ? next.querySelector("h3 a") : box).focus();
    } });
    cards.append(card);
  }
  update();
  return h("section", {}, h("h1", {}, "お気に入り"), count, box, cards, empty);
}
