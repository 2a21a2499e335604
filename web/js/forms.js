// Form plumbing: read values, and run a submit with the button disabled and errors shown in place.
import { h } from "./dom.js";
import { clearFieldErrors, showFormError, showMessage } from "./errors.js";

/** The named controls' values: text as trimmed strings, checkbox groups as arrays, radios as one value. */
export function values(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === "checkbox") {
      const group = form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(el.name)}"]`);
      if (group.length > 1 || el.value !== "on") {
        out[el.name] = out[el.name] || [];
        if (el.checked) out[el.name].push(el.value);
      } else {
        out[el.name] = el.checked;
      }
    } else if (el.type === "radio") {
      if (el.checked) out[el.name] = el.value;
      else if (!(el.name in out)) out[el.name] = "";
    } else if (el.tagName !== "BUTTON" && el.type !== "file") {
      out[el.name] = el.type === "password" ? el.value : el.value.trim();
    }
  }
  return out;
}

/** A <form> with a message box on top and a submit button; onSubmit(values, form) may throw an ApiError. */
export function form({ label, submitText, onSubmit, children, className = "" }) {
  const box = h("div", { class: "message", tabindex: "-1", hidden: true });
  const submit = h("button", { type: "submit", class: "primary" }, submitText);
  const el = h("form", { class: `form ${className}`, novalidate: true, "aria-label": label }, box, children,
    h("div", { class: "actions" }, submit));
  el.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldErrors(el);
    showMessage(box, null);
    submit.disabled = true;
    try {
      await onSubmit(values(el), el, box);
    } catch (error) {
      showFormError(el, box, error);
    } finally {
      submit.disabled = false;
    }
  });
  el.messageBox = box;
  return el;
}

/** An array of non-empty items from a text like "a、b, c" (Japanese or ASCII commas, spaces). */
export function list(text) {
  return String(text || "").split(/[,、，\s]+/).map((s) => s.trim()).filter(Boolean);
}
