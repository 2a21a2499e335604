// 求人票 (J1, J2a): one posting; the establishment hidden as its publication scope says;
// favourite (J4) and 応募 (J8) for a logged-in seeker, or 「応募済み」 once applied.
import { get } from "../api.js";
import { formatDate, h, messageBox } from "../dom.js";
import { appliedNumbers, appliedTag, establishmentText, favouriteButton, favouriteNumbers, placeText, wageText } from "../jobs-view.js";
import { loggedIn } from "../session.js";

function row(label, value) {
  return [h("dt", {}, label), h("dd", {}, value === null || value === undefined || value === "" ? "—" : value)];
}

function holidaysText(holidays) {
  if (!holidays) return "—";
  const parts = [];
  if (holidays.two_days_weekly) parts.push(`週休二日制：${holidays.two_days_weekly}`);
  if (holidays.annual_days) parts.push(`年間休日数：${holidays.annual_days}日`);
  return parts.join("／") || "—";
}

function detailsRows(details) {
  const out = [];
  if (!details) return out;
  if (details.insurance) out.push(row("加入保険", [].concat(details.insurance).join("・")));
  const req = details.requirements || {};
  if (req.experience) out.push(row("必要な経験", req.experience));
  if (req.licenses && req.licenses.length) out.push(row("必要な免許・資格", req.licenses.join("、")));
  if (details.contact) {
    const c = details.contact;
    out.push(row("連絡先", typeof c === "string" ? c : Object.values(c).filter(Boolean).join(" ")));
  }
  return out;
}

export async function jobScreen({ params }) {
  const number = params.number;
  const [job, favourites, applied] = await Promise.all([
    get(`/jobs/${encodeURIComponent(number)}`, { auth: "optional" }), favouriteNumbers(), appliedNumbers()]);
  const box = messageBox();
  const establishment = establishmentText(job.establishment);
  let apply = null;
  if (applied && applied.has(job.job_number)) apply = appliedTag();
  else if (loggedIn() && job.online_application && job.status === "open") {
    apply = h("a", { class: "button", href: `#/apply/${encodeURIComponent(job.job_number)}` }, "この求人に応募する（オンライン自主応募）");
  }
  return h("article", { class: "job-detail" },
    h("p", { class: "breadcrumb" }, h("button", { type: "button", class: "linklike", onclick: () => history.back() }, "← 前の画面に戻る")),
    h("h1", {}, job.title),
    h("p", { class: "establishment" }, establishment),
    job.status !== "open" ? h("p", { class: "tag ng" }, "この求人の募集は終了しています") : null,
    box,
    h("div", { class: "card-actions" }, favouriteButton(job.job_number, favourites, box), apply),
    !loggedIn() && job.establishment && job.establishment.hidden_reason === "login_required"
      ? h("p", { class: "hint" }, h("a", { href: `#/login?next=${encodeURIComponent(`/jobs/${job.job_number}`)}` }, "ログイン"), "すると事業所名が表示されます。") : null,
    h("section", {}, h("h2", {}, "仕事の内容"), h("p", { class: "prewrap" }, job.description || "—")),
    h("section", {}, h("h2", {}, "求人の情報"),
      h("dl", { class: "job-facts wide" },
        row("求人番号", job.job_number),
        row("事業所", establishment),
        row("事業所番号", job.establishment && job.establishment.disclosed ? job.establishment.number : "非公開"),
        row("就業場所", placeText(job.location)),
        row("雇用形態", job.employment_type),
        row("求人区分", `${job.category || ""}${job.full_time === false ? "（パート）" : job.full_time ? "（フルタイム）" : ""}`),
        row("職業分類", job.occupation_code),
        row("賃金", wageText(job.wage)),
        row("就業時間", job.hours),
        row("休日", holidaysText(job.holidays)),
        ...detailsRows(job.details),
        row("オンライン自主応募", job.online_application ? "可" : "不可"),
        row("受付年月日", formatDate(job.received_on)),
        row("紹介期限日", formatDate(job.deadline)))));
}
