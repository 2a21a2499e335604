// ログイン (A7): email + password, then the mailed ワンタイムパスワード with "remember this device".
import { ApiError, post } from "../api.js";
import { clear, field, h } from "../dom.js";
import { setFieldError, showMessage } from "../errors.js";
import { form } from "../forms.js";
import { navigate } from "../router.js";
import { signedIn } from "../session.js";

function nextRoute(query) {
  const next = query.get("next") || "";
  return next.startsWith("/") && !next.startsWith("/login") ? next : "/home";
}

export function loginScreen({ query }) {
  const root = h("section", { class: "login" }, h("h1", {}, "ログイン"));
  const body = h("div", {});
  root.append(body);
  passwordStep(body, query);
  return root;
}

function passwordStep(body, query) {
  clear(body);
  const f = form({
    label: "ログイン", submitText: "ログイン",
    children: [
      field({ label: "メールアドレス", name: "email", type: "email", required: true,
        attrs: { autocomplete: "username", inputmode: "email" } }),
      field({ label: "パスワード", name: "password", type: "password", required: true,
        attrs: { autocomplete: "current-password" } }),
    ],
    onSubmit: async (v) => {
      // a remembered device (A7) is auth's HttpOnly cookie, sent by the browser to this path only
      const answer = await post("/auth/login", { email: v.email, password: v.password }, { auth: "none" });
      if (answer.otp_required) otpStep(body, query, answer.login_ticket, v.email);
      else { signedIn(answer); navigate(nextRoute(query)); }
    },
  });
  body.append(f, h("ul", { class: "links-inline" },
    h("li", {}, h("a", { href: "#/reset" }, "パスワードを忘れた方")),
    h("li", {}, h("a", { href: "#/open" }, "マイページを開設する"))));
  if (query.get("expired")) showMessage(f.messageBox, "ログインの有効期限が切れました。もう一度ログインしてください。");
  else if (query.get("logged_out")) showMessage(f.messageBox, "ログアウトしました。", "note");
  else if (query.get("changed")) showMessage(f.messageBox, "パスワードを変更しました。新しいパスワードでログインしてください。", "note");
}

const OTP_TRIES = 5; // A7: the ticket is void after 5 wrong entries …
const OTP_VALID_MS = 10 * 60 * 1000; // … or 10 minutes after the mail

/**
 * A refused OTP in words that fit what this tab knows: a retry works until 5 tries or 10 minutes
 * (auth's own text always says to log in again). Other errors go to the form as usual.
 */
function otpRefusal(error, tries, startedAt) {
  if (!(error instanceof ApiError) || !String(error.problem.type || "").endsWith("/otp-invalid")) return null;
  if (tries >= OTP_TRIES || Date.now() - startedAt >= OTP_VALID_MS) {
    return { restart: true, text: "このワンタイムパスワードは使えなくなりました（10分を過ぎたか、5回間違えたため）。お手数ですが、メールアドレスの入力からやり直してください。" };
  }
  return { restart: false, text: `ワンタイムパスワードが正しくありません。メールに記載の6桁の数字を確かめて、もう一度入力してください（${OTP_TRIES}回まで、メールの送信から10分間有効）。` };
}

function otpStep(body, query, ticket, email) {
  clear(body);
  const startedAt = Date.now();
  let tries = 0;
  const restart = h("p", {}, h("a", { href: "#/login", onclick: (e) => { e.preventDefault(); passwordStep(body, query); } },
    "メールアドレスの入力からやり直す"));
  const f = form({
    label: "ワンタイムパスワードの入力", submitText: "認証する",
    children: [
      h("p", {}, `${email} にワンタイムパスワードを送信しました（10分間有効）。メールに記載の6桁の数字を入力してください。`),
      field({ label: "ワンタイムパスワード", name: "otp", required: true,
        attrs: { inputmode: "numeric", autocomplete: "one-time-code", maxlength: 6, pattern: "[0-9]{6}" } }),
      h("div", { class: "consent" },
        h("input", { type: "checkbox", id: "remember-device", name: "remember_device" }),
        h("label", { for: "remember-device" }, "この端末を記憶する（30日間、ワンタイムパスワードの入力を省略します）")),
    ],
    onSubmit: async (v, formEl, box) => {
      let tokens;
      try {
        tokens = await post("/auth/login/otp", { login_ticket: ticket, otp: v.otp,
          remember_device: Boolean(v.remember_device) }, { auth: "none" });
      } catch (error) {
        const refusal = otpRefusal(error, ++tries, startedAt);
        if (!refusal) throw error;
        if (refusal.restart) {
          showMessage(box, { text: refusal.text });
          restart.querySelector("a").focus();
        } else {
          setFieldError(formEl, "otp", refusal.text);
          showMessage(box, "ワンタイムパスワードを確認してください。");
          formEl.querySelector("[name=otp]").select();
          formEl.querySelector("[name=otp]").focus();
        }
        return;
      }
      signedIn(tokens);
      navigate(nextRoute(query));
    },
  });
  body.append(f, restart);
  f.querySelector("[name=otp]").focus();
}
