// Showing the API's problem+json in place: `detail` in the form's message box, each `errors[]`
// entry next to its field, and the right explanation for 401/403 `reason`/429 `Retry-After`.
import { ApiError } from "./api.js";
import { append, clear, h } from "./dom.js";

// 403 `reason` (jobs, messaging) → what the seeker can do next.
const REASONS = {
  registration_invalid: ["求職登録が無効のため、この機能は利用できません。",
    "求人検索（公開求人）はログインしなくても利用できます。求職登録を有効にするには「求職登録の有効／無効」から設定するか、ハローワークで再求職申込みを行ってください。",
    "#/registration", "求職登録の有効／無効へ"],
  unusable: ["このマイページは現在ご利用いただけません。", "ご利用のハローワークにお問い合わせください。"],
  withdrawn: ["退会済みのため、この機能は利用できません。", ""],
  unknown: ["求職登録の情報を確認できないため、この機能は利用できません。",
    "しばらくしてから再度お試しいただくか、ハローワークにお問い合わせください。"],
  online_registrant: ["オンライン登録者は、おすすめ求人（オンラインハローワーク紹介）を利用できません。",
    "ハローワークの窓口で本人確認を行い、利用登録者になるとご利用いただけます。"],
  no_show_restricted: ["面接不参加が3か月で5件以上となったため、オンライン自主応募が制限されています。",
    "解除にはハローワークへの来所が必要です。"],
  online_application_not_accepted: ["この求人はオンライン自主応募を受け付けていません。",
    "応募を希望する場合はハローワークの窓口で紹介を受けてください。"],
  already_applied: ["この求人にはすでに応募しています。", "", "#/applications", "応募状況を見る"],
};

/** The lines to show for an error (any thrown value). */
export function explain(error) {
  if (!(error instanceof ApiError)) {
    return { text: "通信できませんでした。電波の良い場所で再度お試しください。", more: "" };
  }
  const problem = error.problem || {};
  if (error.status === 429) {
    const wait = error.retryAfter ? `（約${formatWait(error.retryAfter)}後）` : "";
    return { text: `しばらく時間をおいてから再度お試しください${wait}。`, more: problem.detail || "" };
  }
  if (error.status === 403 && REASONS[problem.reason]) {
    const [text, more, href, linkText] = REASONS[problem.reason];
    return { text: problem.detail || text, more: problem.detail && problem.detail.includes(more) ? "" : more,
      href, linkText };
  }
  if (error.status === 401) {
    return { text: problem.detail || problem.title || "ログインが必要です。", more: "" };
  }
  if (error.status >= 500) {
    return { text: problem.detail || problem.title || "ただいまサービスを利用できません。",
      more: "しばらくしてから再度お試しください。" };
  }
  return { text: problem.detail || problem.title || "エラーが発生しました。", more: "" };
}

function formatWait(seconds) {
  return seconds >= 60 ? `${Math.ceil(seconds / 60)}分` : `${seconds}秒`;
}

/** Show a message in a box (role=alert for errors, role=status for notes). */
export function showMessage(box, message, kind = "error") {
  clear(box);
  box.hidden = !message;
  box.className = `message ${kind}`;
  box.setAttribute("role", kind === "error" ? "alert" : "status");
  if (!message) return;
  if (typeof message === "string") {
    box.append(h("p", {}, message));
    return;
  }
  append(box, [h("p", {}, message.text), message.more ? h("p", {}, message.more) : null,
    message.href ? h("p", {}, h("a", { href: message.href }, message.linkText)) : null]);
}

/** Clear every field error of a form. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll("[data-error-for]")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** Put a message next to a field (by API field name); false when the form has no such field. */
export function setFieldError(form, name, message) {
  const slot = form.querySelector(`[data-error-for="${CSS.escape(name)}"]`);
  if (!slot) return false;
  slot.textContent = message;
  slot.hidden = false;
  const input = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
  if (input) input.setAttribute("aria-invalid", "true");
  return true;
}

/**
 * Show an API error on a form: `detail` in `box`, per-field `errors` beside their fields
 * (a field the form does not show goes into the box). Focus moves to the first bad field.
 */
export function showFormError(form, box, error) {
  clearFieldErrors(form);
  const message = explain(error);
  const problem = error instanceof ApiError ? error.problem : {};
  const orphans = [];
  let first = null;
  for (const entry of problem.errors || []) {
    const text = (entry.messages || []).join(" ");
    const parent = String(entry.field).split(".")[0]; // documents.0.content → documents
    const placed = setFieldError(form, entry.field, text) ? entry.field
      : setFieldError(form, parent, text) ? parent : null;
    if (placed) {
      first = first || form.querySelector(`[data-field="${CSS.escape(placed)}"]`);
    } else {
      orphans.push(`${entry.field}: ${text}`);
    }
  }
  if (orphans.length) message.more = [message.more, ...orphans].filter(Boolean).join(" / ");
  showMessage(box, message);
  if (first && typeof first.focus === "function") reveal(first);
  else box.focus?.();
}

/** Focus a control, first opening the collapsed <details> or closed <dialog> (drawer) it sits in. */
export function reveal(control) {
  if (!control) return;
  for (let el = control.parentElement; el; el = el.parentElement) {
    if (el.tagName === "DETAILS" && !el.open) el.open = true;
    if (el.tagName === "DIALOG" && !el.open && el.isConnected) el.showModal();
  }
  control.focus();
}
