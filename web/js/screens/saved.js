// 保存した検索条件 (J3): list, run (the saved criteria through the search), rename, delete; at most 3.
import { del, get, put, query as toQuery } from "../api.js";
import { field, h, messageBox } from "../dom.js";
import { explain, showFormError, showMessage } from "../errors.js";
import { favouriteNumbers, resultsList } from "../jobs-view.js";
import { reload } from "../router.js";

const LABELS = { q: "フリーワード", prefecture: "都道府県", municipality: "市区町村", occupation: "職種",
  employment_type: "雇用形態", category: "求人区分", wage_min: "賃金下限", new_within: "新着", sort: "並び順",
  full_time: "就業形態", per_page: "表示件数", job_number: "求人番号" };

function summary(criteria) {
  const parts = Object.entries(criteria || {})
    .filter(([key, value]) => LABELS[key] && value !== null && value !== "" && !(Array.isArray(value) && !value.length))
    .map(([key, value]) => `${LABELS[key]}：${Array.isArray(value) ? value.join("、") : value}`);
  return parts.join(" ／ ") || "条件なし";
}

function renameForm(item, box) {
  const form = h("form", { class: "form inline", "aria-label": `「${item.name}」の名前を変更`, novalidate: true },
    field({ label: "新しい名前", name: "name", value: item.name, required: true, attrs: { maxlength: 50 } }),
    h("div", { class: "actions" }, h("button", { type: "submit" }, "名前を変更する")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await put(`/me/saved-searches/${encodeURIComponent(item.id)}`,
        { name: form.elements.name.value.trim(), criteria: item.criteria });
      await reload();
    } catch (error) {
      showFormError(form, box, error);
    }
  });
  return h("details", {}, h("summary", {}, "名前を変更"), form);
}

function deleteControl(item, box) {
  const confirm = h("div", { class: "confirm", hidden: true, role: "group", "aria-label": "削除の確認" },
    h("p", {}, `「${item.name}」を削除しますか？`),
    h("button", { type: "button", class: "danger", onclick: async () => {
      try { await del(`/me/saved-searches/${encodeURIComponent(item.id)}`); await reload(); }
      catch (error) { showMessage(box, explain(error)); }
    } }, "削除する"),
    h("button", { type: "button", onclick: () => { confirm.hidden = true; ask.focus(); } }, "やめる"));
  const ask = h("button", { type: "button", onclick: () => { confirm.hidden = false; confirm.querySelector("button").focus(); } }, "削除");
  return [ask, confirm];
}

export async function savedSearchesScreen() {
  const list = await get("/me/saved-searches");
  const box = messageBox();
  return h("section", {}, h("h1", {}, "保存した検索条件"),
    h("p", {}, `${list.total}件 / ${list.limit || 3}件まで保存できます。求人検索の結果画面から保存できます。`),
    box,
    list.items.length ? h("ul", { class: "cards" }, list.items.map((item) => h("li", { class: "card" },
      h("h2", {}, item.name),
      h("p", { class: "hint" }, summary(item.criteria)),
      h("div", { class: "card-actions" },
        h("a", { class: "button", href: `#/saved/${encodeURIComponent(item.id)}` }, "この条件で検索"),
        ...deleteControl(item, box)),
      renameForm(item, box))))
      : h("p", {}, "保存した検索条件はありません。", h("a", { href: "#/search" }, "求人を検索する")));
}

export async function savedRunScreen({ params, query }) {
  const id = params.id;
  const page = Number(query.get("page") || 1);
  const perPage = query.get("per_page") || "";
  const list = await get("/me/saved-searches");
  const item = list.items.find((s) => s.id === id);
  const [result, favourites] = await Promise.all([
    get(`/me/saved-searches/${encodeURIComponent(id)}/jobs${toQuery({ page, per_page: perPage })}`), favouriteNumbers()]);
  const box = messageBox();
  const hrefFor = (n) => `#/saved/${encodeURIComponent(id)}${toQuery({ page: n, per_page: perPage })}`;
  return h("section", {}, h("h1", {}, `検索結果：${item ? item.name : "保存した検索条件"}`),
    item ? h("p", { class: "hint" }, summary(item.criteria)) : null,
    h("p", {}, h("a", { href: "#/saved" }, "保存した検索条件の一覧へ")),
    box, resultsList(result, { favourites, box, hrefFor }));
}
