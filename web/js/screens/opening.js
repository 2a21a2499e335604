// マイページ開設 (A2–A6): terms + privacy consent, email + birth date → the same "mail sent"
// screen for any input (A4) → 認証キー + password (A5 rule explained, the server's messages by the fields).
import { get, post } from "../api.js";
import { clear, field, h } from "../dom.js";
import { showMessage } from "../errors.js";
import { form } from "../forms.js";
import { markdown } from "../markdown.js";

export const PASSWORD_RULE = [
  "8文字以上32文字以内",
  "半角の数字・英字・記号をそれぞれ1文字以上含める",
  "使用できる記号：@#$%&()*+-./:;<=>?（全角文字・空白・その他の記号は使えません）",
  "例：@abcd1234",
];

export function passwordRule() {
  return h("div", { class: "rule", id: "password-rule" },
    h("p", {}, "パスワードの決まり"), h("ul", {}, PASSWORD_RULE.map((t) => h("li", {}, t))));
}

export function newPasswordFields(name = "password", label = "パスワード") {
  const rule = passwordRule();
  const main = field({ label, name, type: "password", required: true,
    attrs: { autocomplete: "new-password", maxlength: 64 } });
  main.querySelector("input").setAttribute("aria-describedby",
    `password-rule ${main.querySelector("input").getAttribute("aria-describedby")}`);
  const confirm = field({ label: `${label}（確認のためもう一度）`, name: `${name}_confirm`, type: "password",
    required: true, attrs: { autocomplete: "new-password", maxlength: 64 } });
  return [rule, main, confirm];
}

/** The two password entries must match (checked here, the rule itself is the server's). */
export function confirmMismatch(formEl, name = "password") {
  const a = formEl.querySelector(`[name="${name}"]`).value;
  const b = formEl.querySelector(`[name="${name}_confirm"]`).value;
  return a !== b;
}

export async function openingScreen() {
  const root = h("section", { class: "opening" }, h("h1", {}, "マイページ開設"));
  const body = h("div", {});
  root.append(h("ol", { class: "steps", "aria-label": "開設の手順" },
    h("li", {}, "規約への同意・メールアドレスと生年月日の入力"), h("li", {}, "メールの認証キーとパスワードの入力"),
    h("li", {}, "開設完了")), body);
  await termsStep(body);
  return root;
}

async function termsStep(body, note) {
  const terms = await get("/terms", { auth: "none" });
  clear(body);
  const termsBox = h("div", { class: "terms-text", tabindex: "0", role: "region", "aria-label": "利用規約の本文" },
    markdown(terms.terms));
  const privacyBox = h("div", { class: "terms-text", tabindex: "0", role: "region",
    "aria-label": "プライバシーポリシーの本文" }, markdown(terms.privacy_policy));
  const f = form({
    label: "マイページ開設の申込み", submitText: "認証キーを送信する",
    children: [
      h("h2", {}, `利用規約（${terms.terms_version}版）`), termsBox,
      h("h2", {}, `プライバシーポリシー（${terms.privacy_version}版）`), privacyBox,
      h("div", { class: "consent" },
        h("input", { type: "checkbox", id: "agree-terms", name: "agree_terms", "data-field": "terms_version" }),
        h("label", { for: "agree-terms" }, "利用規約に同意します"),
        h("p", { class: "field-error", "data-error-for": "terms_version", hidden: true })),
      h("div", { class: "consent" },
        h("input", { type: "checkbox", id: "agree-privacy", name: "agree_privacy", "data-field": "privacy_version" }),
        h("label", { for: "agree-privacy" }, "プライバシーポリシーに同意します"),
        h("p", { class: "field-error", "data-error-for": "privacy_version", hidden: true })),
      h("h2", {}, "ご登録の情報"),
      h("p", { class: "hint" }, "ハローワークの窓口で登録したメールアドレスと、生年月日（西暦）を入力してください。system@mail.hellowork.mhlw.go.jp からのメールを受信できるようにしてください。"),
      field({ label: "メールアドレス", name: "email", type: "email", required: true,
        attrs: { autocomplete: "email", inputmode: "email" } }),
      field({ label: "生年月日（西暦）", name: "birth_date", type: "date", required: true,
        hint: "例：1990-04-01", attrs: { autocomplete: "bday", min: "1900-01-01" } }),
    ],
    onSubmit: async (v, formEl, box) => {
      if (!v.agree_terms || !v.agree_privacy) {
        showMessage(box, "利用規約とプライバシーポリシーの両方に同意してください。");
        box.focus();
        return;
      }
      try {
        const answer = await post("/auth/opening", { email: v.email, birth_date: v.birth_date,
          terms_version: terms.terms_version, privacy_version: terms.privacy_version }, { auth: "none" });
        keyStep(body, v.email, answer.message);
      } catch (error) {
        if (error.status === 409) { // terms-outdated: show the current ones again
          await termsStep(body, error.problem.detail || error.problem.title);
          return;
        }
        throw error;
      }
    },
  });
  body.append(f);
  if (note) showMessage(f.messageBox, note);
}

function keyStep(body, email, message) {
  clear(body);
  const f = form({
    label: "認証キーとパスワードの入力", submitText: "マイページを開設する",
    children: [
      field({ label: "メールアドレス", name: "email", type: "email", value: email, required: true,
        attrs: { autocomplete: "email" } }),
      field({ label: "認証キー", name: "auth_key", required: true,
        hint: "「パスワード登録申込受付通知」メールに記載の認証キー（メール配信から50分以内有効）",
        attrs: { autocomplete: "one-time-code", autocapitalize: "characters", spellcheck: "false" } }),
      ...newPasswordFields(),
    ],
    onSubmit: async (v, formEl, box) => {
      if (confirmMismatch(formEl)) {
        showMessage(box, "確認のために入力したパスワードが一致しません。");
        box.focus();
        return;
      }
      await post("/auth/opening/complete", { email: v.email, auth_key: v.auth_key, password: v.password },
        { auth: "none" });
      doneStep(body);
    },
  });
  body.append(h("div", { class: "message note", role: "status" },
    h("h2", {}, "メールを送信しました"), h("p", {}, message),
    h("p", {}, "メールが届かない場合は、迷惑メールの設定をご確認のうえ、しばらくしてから最初からやり直してください。")), f);
  f.querySelector("[name=auth_key]").focus();
}

function doneStep(body) {
  clear(body);
  const done = h("div", { class: "message note", role: "status", tabindex: "-1" },
    h("h2", {}, "マイページの開設が完了しました"),
    h("p", {}, "登録したメールアドレスとパスワードでログインしてください。"),
    h("p", {}, h("a", { class: "button", href: "#/login" }, "ログインへ")));
  body.append(done);
  done.focus();
}
