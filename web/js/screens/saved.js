// 保存した検索条件 (J3): list, run (the saved criteria through the search), rename, delete; at most 3; each
// with 新着求人をメールで受け取る (a daily digest mail, opt-in).
import { del, get, put, query as toQuery } from "../api.js";
import { field, h, messageBox } from "../dom.js";
import { explain, showFormError, showMessage } from "../errors.js";
import { describe, loadMunicipalities, needsPlaces, summaryText } from "../criteria.js";
import { appliedNumbers, favouriteNumbers, pastTheEnd, resultsList } from "../jobs-view.js";
import { reload } from "../router.js";

/** The saved criteria in words: names instead of codes, in the order of the search form. */
function summary(criteria, places) {
  return h("p", { class: "hint criteria-text" }, summaryText(describe(criteria, { places, display: true })));
}

async function placesFor(items) {
  return items.some((item) => needsPlaces(item.criteria)) ? loadMunicipalities() : {};
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

/** J3 alerts: 新着求人をメールで受け取る — on (PUT) or off (DELETE) at once, the state read back on failure. */
function alertControl(item, box) {
  const input = h("input", { type: "checkbox", checked: item.email_alert });
  input.addEventListener("change", async () => {
    try {
      await (input.checked ? put : del)(`/me/saved-searches/${encodeURIComponent(item.id)}/alert`);
      showMessage(box, input.checked ? `「${item.name}」の新着求人を毎朝メールでお知らせします。`
        : `「${item.name}」の新着求人メールを停止しました。`, "note");
    } catch (error) {
      input.checked = !input.checked;
      showMessage(box, explain(error));
    }
  });
  return h("label", { class: "choice" }, input, "新着求人をメールで受け取る");
}

export async function savedSearchesScreen() {
  const list = await get("/me/saved-searches");
  const places = await placesFor(list.items);
  const box = messageBox();
  return h("section", {}, h("h1", {}, "保存した検索条件"),
    h("p", {}, `${list.total}件 / ${list.limit || 3}件まで保存できます。求人検索の結果画面から保存できます。`),
    box,
    list.items.length ? h("ul", { class: "cards" }, list.items.map((item) => h("li", { class: "card" },
      h("h2", {}, item.name),
      summary(item.criteria, places),
      alertControl(item, box),
      h("div", { class: "card-actions" },
        h("a", { class: "button", href: `#/saved/${encodeURIComponent(item.id)}` }, "この条件で検索"),
        ...deleteControl(item, box)),
      renameForm(item, box))))
      : h("p", {}, "保存した検索条件はありません。", h("a", { href: "#/search" }, "求人を検索する")));
}

export async function savedRunScreen({ params, query }) {
  const id = params.id;
  const asked = Math.max(1, Number.parseInt(query.get("page"), 10) || 1);
  const perPage = query.get("per_page") || "";
  const run = (page) => get(`/me/saved-searches/${encodeURIComponent(id)}/jobs${toQuery({ page, per_page: perPage })}`);
  const list = await get("/me/saved-searches");
  const item = list.items.find((s) => s.id === id);
  let [result, favourites, applied, places] = await Promise.all([run(asked), favouriteNumbers(), appliedNumbers(),
    placesFor(item ? [item] : [])]);
  const box = messageBox();
  const last = pastTheEnd(result);
  if (last) {
    result = await run(last);
    showMessage(box, `${asked.toLocaleString("ja-JP")}ページ目はありません（全${last}ページ）。最後のページを表示しています。`, "note");
  }
  const hrefFor = (n) => `#/saved/${encodeURIComponent(id)}${toQuery({ page: n, per_page: perPage })}`;
  return h("section", {}, h("h1", {}, `検索結果：${item ? item.name : "保存した検索条件"}`),
    item ? summary(item.criteria, places) : null,
    h("p", {}, h("a", { href: "#/saved" }, "保存した検索条件の一覧へ")),
    box, resultsList(result, { favourites, applied, box, hrefFor }));
}
