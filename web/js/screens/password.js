// パスワード再設定 (A8: email + birth date → key mail → new password) and パスワード変更 (logged in).
import { post, put } from "../api.js";
import { clear, field, h } from "../dom.js";
import { showMessage } from "../errors.js";
import { form } from "../forms.js";
import { navigate } from "../router.js";
import { forget } from "../session.js";
import { confirmMismatch, newPasswordFields } from "./opening.js";

export function passwordResetScreen() {
  const root = h("section", {}, h("h1", {}, "パスワードの再設定"));
  const body = h("div", {});
  root.append(body);
  const f = form({
    label: "パスワード再設定の申込み", submitText: "認証キーを送信する",
    children: [
      h("p", {}, "登録したメールアドレスと生年月日（西暦）を入力してください。確認できた場合、認証キーをメールでお送りします。"),
      field({ label: "メールアドレス", name: "email", type: "email", required: true, attrs: { autocomplete: "email" } }),
      field({ label: "生年月日（西暦）", name: "birth_date", type: "date", required: true, hint: "例：1990-04-01" }),
    ],
    onSubmit: async (v) => {
      const answer = await post("/auth/password-reset", { email: v.email, birth_date: v.birth_date }, { auth: "none" });
      resetKeyStep(body, v.email, answer.message);
    },
  });
  body.append(f);
  return root;
}

function resetKeyStep(body, email, message) {
  clear(body);
  const f = form({
    label: "認証キーと新しいパスワードの入力", submitText: "パスワードを再設定する",
    children: [
      field({ label: "メールアドレス", name: "email", type: "email", value: email, required: true }),
      field({ label: "認証キー", name: "auth_key", required: true,
        hint: "「パスワード再設定申込受付通知」メールに記載の認証キー（メール配信から50分以内有効）",
        attrs: { autocomplete: "one-time-code" } }),
      ...newPasswordFields(),
    ],
    onSubmit: async (v, formEl, box) => {
      if (confirmMismatch(formEl)) { showMessage(box, "確認のために入力したパスワードが一致しません。"); box.focus(); return; }
      await post("/auth/password-reset/complete", { email: v.email, auth_key: v.auth_key, password: v.password },
        { auth: "none" });
      clear(body);
      const done = h("div", { class: "message note", role: "status", tabindex: "-1" },
        h("h2", {}, "パスワードを再設定しました"), h("p", {}, h("a", { class: "button", href: "#/login" }, "ログインへ")));
      body.append(done);
      done.focus();
    },
  });
  body.append(h("div", { class: "message note", role: "status" }, h("h2", {}, "メールを送信しました"), h("p", {}, message)), f);
}

export function passwordChangeScreen() {
  return h("section", {}, h("h1", {}, "パスワード変更"),
    h("p", {}, "変更すると、この端末を含むすべての端末でログアウトします。新しいパスワードで再度ログインしてください。"),
    form({
      label: "パスワード変更", submitText: "変更する",
      children: [
        field({ label: "現在のパスワード", name: "current_password", type: "password", required: true,
          attrs: { autocomplete: "current-password" } }),
        ...newPasswordFields("new_password", "新しいパスワード"),
      ],
      onSubmit: async (v, formEl, box) => {
        if (confirmMismatch(formEl, "new_password")) {
          showMessage(box, "確認のために入力したパスワードが一致しません。"); box.focus(); return;
        }
        await put("/me/password", { current_password: v.current_password, new_password: v.new_password });
        forget();
        navigate("/login?changed=1");
      },
    }));
}
