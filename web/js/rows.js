// Repeatable rows in a form (職歴, 学歴, 資格): add, remove, and read back as an array. Inputs are
// named `<group>.<index>.<key>` so the server's field errors (e.g. work_history.0.company) land beside them.
import { field, h, select } from "./dom.js";

/** spec: [{key, label, type?, options?, required?, hint?}] */
export function rows({ group, legend, spec, items, addText }) {
  const list = h("ol", { class: "rows" });
  const fieldset = h("fieldset", { class: "row-group", "data-group": group }, h("legend", {}, legend), list);
  const renumber = () => {
    [...list.children].forEach((li, index) => {
      li.querySelector(".row-title").textContent = `${legend} ${index + 1}`;
      for (const el of li.querySelectorAll("[data-key]")) {
        const name = `${group}.${index}.${el.dataset.key}`;
        el.name = name;
        el.dataset.field = name;
        const err = el.closest(".field").querySelector("[data-error-for]");
        if (err) err.dataset.errorFor = name;
      }
    });
  };
  const addRow = (item = {}) => {
    const controls = spec.map((s) => {
      const name = `${group}.0.${s.key}`;
      const value = item[s.key] === null || item[s.key] === undefined ? "" : item[s.key];
      const wrap = s.options
        ? select({ label: s.label, name, value, options: s.options, required: s.required })
        : field({ label: s.label, name, type: s.type || "text", value, required: s.required, hint: s.hint, attrs: s.attrs });
      wrap.querySelector("input, select, textarea").dataset.key = s.key;
      return wrap;
    });
    const li = h("li", { class: "row" }, h("p", { class: "row-title" }), controls,
      h("button", { type: "button", class: "linklike", onclick: () => { li.remove(); renumber(); addButton.focus(); } }, "この行を削除"));
    list.append(li);
    renumber();
    return li;
  };
  const addButton = h("button", { type: "button", onclick: () => addRow().querySelector("input, select").focus() }, addText);
  for (const item of items || []) addRow(item);
  fieldset.append(addButton);
  return fieldset;
}

/** The rows of a group as objects; empty strings become null (or are left out when `keepEmpty` lists them). */
export function readRows(formEl, group, keepEmpty = []) {
  const fieldset = formEl.querySelector(`[data-group="${group}"]`);
  return [...fieldset.querySelectorAll(".row")].map((li) => {
    const out = {};
    for (const el of li.querySelectorAll("[data-key]")) {
      const value = el.value.trim();
      out[el.dataset.key] = value === "" && !keepEmpty.includes(el.dataset.key) ? null : value;
    }
    return out;
  });
}

