// A tiny DOM helper: build elements without innerHTML (user and server text is always textContent).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export function nextId(prefix = "f") {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form control. `name` is the API field name (used to place the server's field errors). */
export function field({ label, name, type = "text", value = "", hint, required, attrs = {}, control }) {
  const id = nextId(name.replace(/[^a-z0-9]/gi, "-"));
  const errorId = `${id}-error`;
  const hintId = hint ? `${id}-hint` : null;
  const input = control || h(type === "textarea" ? "textarea" : "input", {
    type: type === "textarea" ? null : type, value: type === "textarea" ? null : value,
    required, ...attrs,
  });
  if (type === "textarea") input.value = value || "";
  input.id = id;
  input.name = name;
  input.dataset.field = name;
  input.setAttribute("aria-describedby", [hintId, errorId].filter(Boolean).join(" "));
  return h("div", { class: "field" },
    h("div", { class: "label-row" }, h("label", { for: id }, label),
      required ? h("span", { class: "req", "aria-hidden": "true", text: "必須" }) : null),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    input,
    h("p", { class: "field-error", id: errorId, "data-error-for": name, hidden: true }));
}

/** A labelled <select>; options are [value, text] pairs. */
export function select({ label, name, options, value = "", hint, required }) {
  const control = h("select", { required },
    options.map(([v, t]) => h("option", { value: v, selected: String(v) === String(value) }, t)));
  return field({ label, name, hint, required, control });
}

/** A fieldset of checkboxes (or radios) all named `name`. */
export function choices({ legend, name, options, values = [], type = "checkbox" }) {
  const chosen = new Set((Array.isArray(values) ? values : [values]).map(String));
  return h("fieldset", { class: "choices", "data-field": name },
    h("legend", {}, legend),
    options.map(([v, t]) => {
      const id = nextId(name);
      return h("div", { class: "choice" },
        h("input", { type, id, name, value: v, checked: chosen.has(String(v)) }),
        h("label", { for: id }, t));
    }),
    h("p", { class: "field-error", "data-error-for": name, hidden: true }));
}

export function button(text, attrs = {}) {
  return h("button", { type: "button", ...attrs }, text);
}

/** A live message box for a form or screen (errors: role=alert; notes: role=status). */
export function messageBox() {
  return h("div", { class: "message", role: "alert", tabindex: "-1", hidden: true });
}

export function formatYen(n) {
  return n === null || n === undefined ? "" : `${Number(n).toLocaleString("ja-JP")}円`;
}

export function formatDate(iso) {
  if (!iso) return "";
  const [y, m, d] = iso.slice(0, 10).split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

const JAPAN_TIME = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", year: "numeric", month: "numeric",
  day: "numeric", hour: "numeric", minute: "2-digit", hourCycle: "h23" });

/** 「2026年12月8日 1:18」 in Japan time: the same style as formatDate, with the time. */
export function formatDateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const part = Object.fromEntries(JAPAN_TIME.formatToParts(date).map(({ type, value }) => [type, value]));
  return `${part.year}年${part.month}月${part.day}日 ${part.hour}:${part.minute}`;
}

/** A character counter for a textarea with a maximum (announced politely to screen readers). */
export function counter(textarea, max) {
  const out = h("p", { class: "counter", "aria-live": "polite" });
  const update = () => {
    const n = textarea.value.length;
    out.textContent = `${n} / ${max.toLocaleString("ja-JP")}文字`;
    out.classList.toggle("over", n > max);
  };
  textarea.addEventListener("input", update);
  update();
  return out;
}
