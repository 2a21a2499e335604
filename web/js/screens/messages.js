// メッセージ (M1): threads with the establishments applied or referred to; a thread with its
// messages (marked read on opening) and a reply (≤ 2,000 characters).
import { get, post, query as toQuery } from "../api.js";
import { counter, field, formatDateTime, h } from "../dom.js";
import { form } from "../forms.js";
import { refreshBadges } from "../nav.js";
import { pager } from "../jobs-view.js";
import { reload } from "../router.js";

const STATUS = { applied: "応募中", screening: "選考中", hired: "採用", rejected: "不採用", withdrawn: "辞退" };
const PER_PAGE = 20;

function threadName(thread) {
  const est = thread.establishment || {};
  return est.name || "事業所（非公開）"; // J2a: a hidden establishment is neither named nor numbered
}

export async function messagesScreen({ query }) {
  const page = Number(query.get("page") || 1);
  const list = await get(`/me/messages${toQuery({ page, per_page: PER_PAGE })}`);
  refreshBadges();
  return h("section", {}, h("h1", {}, "メッセージ"),
    h("p", { class: "hint" }, "応募した、または紹介を受けた事業所とメッセージをやり取りできます。メッセージは送受信から1年後に自動で削除されます。"),
    h("p", {}, `未読 ${list.unread || 0}件`),
    list.items.length ? h("ul", { class: "cards" }, list.items.map((thread) => h("li", { class: `card${thread.unread ? " unread" : ""}` },
      h("h2", {}, h("a", { href: `#/messages/${encodeURIComponent(thread.id)}` }, threadName(thread)),
        thread.unread ? h("span", { class: "badge" }, String(thread.unread), h("span", { class: "visually-hidden" }, "件の未読")) : null),
      h("p", { class: "hint" },
        thread.referral_id ? "ハローワークの紹介　" : "",
        thread.job_number ? `求人番号：${thread.job_number}　` : "",
        thread.application_status ? `応募状況：${STATUS[thread.application_status] || thread.application_status}　` : "",
        thread.last_message_at ? `最終：${formatDateTime(thread.last_message_at)}` : ""))))
      : h("p", {}, "メッセージはありません。"),
    list.total > PER_PAGE ? pager(page, PER_PAGE, list.total, (n) => `#/messages?page=${n}`) : null);
}

export async function threadScreen({ params, query }) {
  const id = encodeURIComponent(params.id);
  const page = Number(query.get("page") || 1);
  const data = await get(`/me/messages/${id}${toQuery({ page, per_page: 100 })}`);
  if (data.thread && data.thread.unread) {
    await post(`/me/messages/${id}/read`).catch(() => null);
  }
  refreshBadges();
  const reply = field({ label: "返信", name: "body", type: "textarea", required: true,
    hint: "2,000文字以内", attrs: { rows: 5, maxlength: 2000 } });
  const textarea = reply.querySelector("textarea");
  reply.insertBefore(counter(textarea, 2000), reply.querySelector(".field-error"));
  return h("section", {}, h("h1", {}, threadName(data.thread || {})),
    h("p", {}, h("a", { href: "#/messages" }, "← メッセージ一覧へ")),
    data.thread && data.thread.job_number ? h("p", { class: "hint" }, `求人番号：${data.thread.job_number}`) : null,
    h("ol", { class: "messages" }, data.items.map((m) => h("li", { class: `msg ${m.sender === "seeker" ? "mine" : "theirs"}` },
      h("p", { class: "msg-meta" }, m.sender === "seeker" ? "あなた" : "事業所", "・", formatDateTime(m.sent_at)),
      h("p", { class: "prewrap" }, m.body)))),
    form({
      label: "メッセージの返信", submitText: "送信する", children: [reply],
      onSubmit: async (v) => {
        await post(`/me/messages/${id}`, { body: textarea.value });
        await reload();
      },
    }));
}
