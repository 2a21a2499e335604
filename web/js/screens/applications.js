// 応募 (J8): 志望動機 (≤ 2,000 characters, with a counter) and up to 3 PDFs of ≤ 2 MB each,
// checked here, with the 求職情報 that goes along (住所・電話番号・生年月日 only if ticked; issue 13 item 3),
// shown once more in 応募内容の確認 and only then sent (base64, as the API expects);
// a posting already applied to says so instead of offering the form. 応募状況 with status labels,
// what was sent (志望動機 and the PDFs, downloadable) and 辞退 (confirmed).
import { get, post, saveFile } from "../api.js";
import { append, counter, field, formatDateTime, h, messageBox } from "../dom.js";
import { explain, setFieldError, showMessage } from "../errors.js";
import { form } from "../forms.js";
import { appliedNumbers, appliedTag, establishmentText } from "../jobs-view.js";
import { navigate } from "../router.js";

export const MOTIVATION_MAX = 2000;
export const MAX_FILES = 3;
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/** The problems with the chosen files (empty when they may be sent). */
export function checkFiles(files) {
  const problems = [];
  if (files.length > MAX_FILES) problems.push(`添付できるファイルは${MAX_FILES}つまでです。`);
  for (const file of files) {
    if (!/\.pdf$/i.test(file.name) || (file.type && file.type !== "application/pdf")) {
      problems.push(`「${file.name}」はPDFファイルではありません。`);
    }
    if (file.size > MAX_FILE_BYTES) problems.push(`「${file.name}」は2MBを超えています。`);
    if (file.name.length > 100) problems.push(`「${file.name}」はファイル名が長すぎます（100文字まで）。`);
  }
  return problems;
}

function base64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ""));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function kilobytes(bytes) {
  return `${Math.max(1, Math.ceil(bytes / 1024)).toLocaleString("ja-JP")}KB`;
}

function jobHeader(job) {
  return h("div", { class: "card" }, h("h2", {}, job.title), h("p", {}, establishmentText(job.establishment)),
    h("p", { class: "hint" }, `求人番号：${job.job_number}`));
}

const CONTACT = { address: "住所", phone: "電話番号", birth_date: "生年月日" };

function contactText(part, value) {
  if (!value) return "登録なし";
  if (part === "address") return `〒${value.postal_code} ${value.prefecture}${value.municipality}${value.street || ""}`;
  return String(value);
}

/** Issue 13 item 3: the 求職情報 that always goes with an application, in words. */
function sentParts(sent) {
  const desired = sent.desired || {};
  return [
    `氏名：${sent.name}（${sent.name_kana}）`,
    `職歴：${(sent.work_history || []).length}件`,
    `資格・免許：${(sent.qualifications || []).map((q) => q.name).join("、") || "なし"}`,
    `希望条件：${[...(desired.occupations || []), ...(desired.employment_types || [])].join("、") || "なし"}`,
    `自己PR：${sent.self_pr ? "あり" : "なし"}`,
  ];
}

/** 応募と一緒に送る求職情報: what always goes, and 住所・電話番号・生年月日 only when ticked (none by default). */
function profileFieldset(preview) {
  return h("fieldset", { class: "applicant-profile" },
    h("legend", {}, "応募と一緒に事業所へ送る求職情報"),
    h("ul", {}, sentParts(preview.sent).map((text) => h("li", {}, text))),
    h("p", { class: "hint" }, "次の項目は、チェックしたものだけを送ります。"),
    Object.entries(CONTACT).map(([part, label]) => h("label", { class: "choice" },
      h("input", { type: "checkbox", name: "share_contact", value: part }),
      `${label}を送る（${contactText(part, preview.optional[part])}）`)));
}

/** 応募内容の確認: what will be sent, sent only from here; 修正する goes back with everything kept. */
function confirmStep({ job, motivation, files, preview, share, onBack }) {
  const box = messageBox();
  const send = h("button", { type: "button", class: "primary" }, "この内容で応募する");
  const step = h("section", { class: "apply-confirm", "aria-labelledby": "apply-confirm-title" },
    h("h2", { id: "apply-confirm-title", tabindex: "-1" }, "応募内容の確認"),
    h("p", {}, "次の内容で応募します。応募すると事業所に通知されます（取り消すには「辞退」の手続きが必要です）。"),
    box,
    h("dl", { class: "facts" },
      h("dt", {}, "応募先"), h("dd", {}, `${job.title}（求人番号：${job.job_number}）`),
      h("dt", {}, "志望動機"), h("dd", { class: "prewrap motivation" }, motivation),
      h("dt", {}, "応募書類"), h("dd", {}, files.length
        ? h("ul", { class: "file-list" }, files.map((f) => h("li", {}, `${f.name}（${kilobytes(f.size)}）`)))
        : "なし"),
      h("dt", {}, "送る求職情報"), h("dd", {}, h("ul", {}, [...sentParts(preview.sent),
        ...share.map((part) => `${CONTACT[part]}：${contactText(part, preview.optional[part])}`)]
        .map((text) => h("li", {}, text))))),
    h("div", { class: "actions" }, send, h("button", { type: "button", onclick: onBack }, "修正する")));
  send.addEventListener("click", async () => {
    send.disabled = true;
    try {
      const documents = await Promise.all(files.map(async (file) => ({ filename: file.name, content: await base64(file) })));
      const body = { job_number: job.job_number, motivation, share_contact: share };
      if (documents.length) body.documents = documents;
      await post("/me/applications", body);
      navigate("/applications?applied=1");
    } catch (error) {
      showMessage(box, explain(error));
      box.focus();
      send.disabled = false;
    }
  });
  return step;
}

export async function applyScreen({ params }) {
  const [job, applied, preview] = await Promise.all([
    get(`/jobs/${encodeURIComponent(params.number)}`, { auth: "optional" }), appliedNumbers(),
    get("/me/application-profile")]);
  const root = h("section", {}, h("h1", {}, "求人への応募"), jobHeader(job));
  if (applied && applied.has(job.job_number)) {
    root.append(h("div", { class: "message note", role: "status" },
      h("p", {}, "この求人にはすでに応募しています。"), appliedTag()));
    return root;
  }
  const motivation = field({ label: "志望動機", name: "motivation", type: "textarea", required: true,
    hint: `${MOTIVATION_MAX.toLocaleString("ja-JP")}文字以内`, attrs: { rows: 8, maxlength: MOTIVATION_MAX } });
  const textarea = motivation.querySelector("textarea");
  motivation.insertBefore(counter(textarea, MOTIVATION_MAX), motivation.querySelector(".field-error"));
  const files = field({ label: "応募書類（PDF、任意）", name: "documents", type: "file",
    hint: "PDFファイルを3つまで、1ファイル2MBまで添付できます（履歴書・職務経歴書など）。",
    attrs: { accept: "application/pdf,.pdf", multiple: true } });
  const fileInput = files.querySelector("input");
  const chosen = h("ul", { class: "file-list", "aria-live": "polite" });
  fileInput.addEventListener("change", () => {
    chosen.replaceChildren(...[...fileInput.files].map((f) => h("li", {}, `${f.name}（${kilobytes(f.size)}）`)));
    const problems = checkFiles([...fileInput.files]);
    const slot = files.querySelector(".field-error");
    slot.textContent = problems.join(" ");
    slot.hidden = !problems.length;
    if (problems.length) fileInput.setAttribute("aria-invalid", "true"); else fileInput.removeAttribute("aria-invalid");
  });
  files.append(chosen);
  const f = form({
    label: "応募の入力", submitText: "応募内容を確認する",
    children: [motivation, files, profileFieldset(preview)],
    onSubmit: async (v, formEl, box) => {
      const problems = [];
      if (!textarea.value.trim()) problems.push(["motivation", "志望動機を入力してください。"]);
      if (textarea.value.length > MOTIVATION_MAX) problems.push(["motivation", `志望動機は${MOTIVATION_MAX}文字以内で入力してください。`]);
      const fileProblems = checkFiles([...fileInput.files]);
      if (fileProblems.length) problems.push(["documents", fileProblems.join(" ")]);
      if (problems.length) {
        for (const [name, text] of problems) setFieldError(formEl, name, text);
        showMessage(box, "入力内容を確認してください。");
        formEl.querySelector(`[data-field="${problems[0][0]}"]`).focus();
        return;
      }
      const share = [...formEl.querySelectorAll('input[name="share_contact"]:checked')].map((box) => box.value);
      const step = confirmStep({ job, motivation: textarea.value.trim(), files: [...fileInput.files], preview, share,
        onBack: () => {
          step.remove();
          formEl.hidden = false;
          textarea.focus();
        } });
      formEl.hidden = true;
      formEl.after(step);
      step.querySelector("h2").focus();
    },
  });
  return append(root, [job.online_application ? null : h("p", { class: "message note" },
    "この求人はオンライン自主応募を受け付けていません。ハローワークからのおすすめ求人の場合は、このまま応募できます（オンラインハローワーク紹介）。"),
  f]);
}

/** Save one PDF the seeker sent. */
function download(applicationId, doc) {
  return saveFile(`/me/applications/${encodeURIComponent(applicationId)}/documents/${encodeURIComponent(doc.id)}`,
    doc.filename);
}

/** 応募内容: the 志望動機 and PDFs that were sent, loaded when opened. */
function sentContent(item, box) {
  const body = h("div", { class: "sent" }, h("p", { class: "loading" }, "読み込み中…"));
  const panel = h("details", { class: "sent-content" }, h("summary", {}, "送った応募内容（志望動機・応募書類）"), body);
  let loaded = false;
  panel.addEventListener("toggle", async () => {
    if (!panel.open || loaded) return;
    loaded = true;
    try {
      const detail = await get(`/me/applications/${encodeURIComponent(item.id)}`);
      const docs = detail.documents || [];
      body.replaceChildren(h("dl", { class: "facts" },
        h("dt", {}, "志望動機"), h("dd", { class: "prewrap motivation" }, detail.motivation || "—"),
        h("dt", {}, "応募書類"), h("dd", {}, docs.length ? h("ul", { class: "file-list" }, docs.map((doc) => h("li", {},
          h("button", { type: "button", class: "linklike", onclick: () => download(item.id, doc).catch((error) => showMessage(box, explain(error))) },
            `${doc.filename}（${kilobytes(doc.size)}）`)))) : "なし")));
    } catch (error) {
      loaded = false;
      body.replaceChildren();
      showMessage(box, explain(error));
    }
  });
  return panel;
}

function withdrawControl(item, box) {
  const confirm = h("div", { class: "confirm", hidden: true, role: "group", "aria-label": "辞退の確認" },
    h("p", {}, "この応募を辞退しますか？ 辞退すると事業所に通知され、取り消せません。"),
    h("button", { type: "button", class: "danger", onclick: async (event) => {
      const btn = event.currentTarget;
      btn.disabled = true;
      try {
        await post(`/me/applications/${encodeURIComponent(item.id)}/withdraw`);
        navigate("/applications?withdrawn=1");
      } catch (error) {
        showMessage(box, explain(error));
        btn.disabled = false;
      }
    } }, "辞退する"),
    h("button", { type: "button", onclick: () => { confirm.hidden = true; ask.focus(); } }, "やめる"));
  const ask = h("button", { type: "button", onclick: () => { confirm.hidden = false; confirm.querySelector("button").focus(); } },
    "辞退する…");
  return [ask, confirm];
}

export async function applicationsScreen({ query }) {
  const list = await get("/me/applications");
  const box = messageBox();
  const root = h("section", {}, h("h1", {}, "応募状況"), box,
    list.items.length ? h("ul", { class: "cards" }, list.items.map((item) => h("li", { class: "card", "data-application": item.id },
      h("h2", {}, item.job ? item.job.title : item.job_number),
      h("p", {}, item.job ? establishmentText(item.job.establishment) : ""),
      h("p", {}, h("span", { class: `status app-${item.status}` }, item.status_label || item.status),
        item.route === "recommendation" ? "（オンラインハローワーク紹介）" : "（オンライン自主応募）"),
      h("p", { class: "hint" }, `応募日時：${formatDateTime(item.submitted_at)}　求人番号：${item.job_number}`),
      sentContent(item, box),
      h("div", { class: "card-actions" },
        h("a", { href: `#/jobs/${encodeURIComponent(item.job_number)}` }, "求人票を見る"),
        ["applied", "screening"].includes(item.status) ? withdrawControl(item, box) : null))))
      : h("p", {}, "応募した求人はありません。"));
  if (query.get("applied")) showMessage(box, "応募しました。応募状況はこの画面で確認できます。", "note");
  if (query.get("withdrawn")) showMessage(box, "応募を辞退しました。事業所に通知されます。", "note");
  return root;
}
