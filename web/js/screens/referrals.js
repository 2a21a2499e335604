// 紹介状 (J5): the referrals Hello Work made, and one letter as a printable page (print CSS).
import { get, saveFile } from "../api.js";
import { formatDate, h, messageBox } from "../dom.js";
import { explain, showMessage } from "../errors.js";
import { establishmentText, placeText } from "../jobs-view.js";
import { cachedHome } from "./home.js";

export async function referralsScreen() {
  const list = await get("/me/referrals");
  return h("section", {}, h("h1", {}, "紹介状"),
    h("p", {}, "ハローワークから紹介を受けた求人と紹介状を確認・印刷できます。"),
    list.items.length ? h("ul", { class: "cards" }, list.items.map((item) => h("li", { class: "card" },
      h("h2", {}, item.job ? item.job.title : item.job_number),
      h("p", {}, item.job ? establishmentText(item.job.establishment) : ""),
      h("p", { class: "hint" }, `紹介日：${formatDate(item.referred_on)}　求人番号：${item.job_number}`),
      h("div", { class: "card-actions" },
        h("a", { class: "button", href: `#/referrals/${encodeURIComponent(item.id)}` }, "紹介状を表示・印刷"),
        h("a", { href: `#/jobs/${encodeURIComponent(item.job_number)}` }, "求人票を見る")))))
      : h("p", {}, "紹介を受けた求人はありません。"));
}

export async function referralLetterScreen({ params }) {
  const referral = await get(`/me/referrals/${encodeURIComponent(params.id)}`);
  let home = cachedHome();
  if (!home) home = await get("/me").catch(() => null);
  const letter = referral.letter || {};
  const est = letter.establishment || {};
  const job = letter.job || {};
  const interview = letter.interview || {};
  const box = messageBox();
  const pdf = () => saveFile(`/me/referrals/${encodeURIComponent(referral.id)}/letter.pdf`,
    `紹介状_${referral.job_number}.pdf`).catch((error) => showMessage(box, explain(error)));
  return h("article", { class: "letter" },
    h("div", { class: "no-print card-actions" },
      h("a", { href: "#/referrals" }, "← 紹介状の一覧へ"),
      h("button", { type: "button", class: "primary", onclick: () => window.print() }, "印刷する"),
      h("button", { type: "button", onclick: pdf }, "PDFで保存")),
    h("div", { class: "no-print" }, box),
    h("h1", {}, "紹介状"),
    h("p", { class: "letter-date" }, `紹介日：${formatDate(letter.referred_on || referral.referred_on)}`),
    h("p", { class: "letter-to" }, `${est.name || "（事業所名）"}　御中`),
    h("p", {}, "下記の者を紹介いたしますので、よろしくお取り計らいください。"),
    h("p", { class: "letter-from" }, letter.office || ""),
    h("dl", { class: "letter-facts" },
      h("dt", {}, "紹介者氏名"), h("dd", {}, letter.seeker_name || (home ? (home.name || home.greeting || "") : "")),
      h("dt", {}, "求職番号"), h("dd", {}, home ? home.seeker_number || "" : ""),
      h("dt", {}, "求人番号"), h("dd", {}, job.job_number || referral.job_number),
      h("dt", {}, "職種"), h("dd", {}, job.title || ""),
      h("dt", {}, "雇用形態"), h("dd", {}, job.employment_type || ""),
      h("dt", {}, "事業所"), h("dd", {}, [est.name, est.number ? `（事業所番号 ${est.number}）` : ""].join("")),
      h("dt", {}, "所在地"), h("dd", {}, placeText({ prefecture: est.prefecture, municipality: est.municipality })),
      h("dt", {}, "面接日"), h("dd", {}, interview.date ? formatDate(interview.date) : "事業所からの連絡によります"),
      h("dt", {}, "面接場所"), h("dd", {}, interview.place || "—"),
      h("dt", {}, "備考"), h("dd", { class: "prewrap" }, letter.note || "—")),
    h("p", { class: "hint no-print" }, "面接の際は、この紹介状を印刷して持参してください。"));
}
