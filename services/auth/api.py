"""The auth service's HTTP API (views only: load, call a flow, dump)."""

from __future__ import annotations

from flask import Response, after_this_request, current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from kit.problem import Problem
from kit.tokens import STAFF, current_principal, current_seeker_id, require_role
from services.auth import clients, commands, schemas, terms
from services.auth.domain import DEVICE_LIFETIME, SESSION_ABSOLUTE
from services.auth.sessions import Tokens

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="アカウント・ログイン (auth)")

REFRESH_COOKIE = "mypage_refresh"
COOKIE_PATH = "/api/v1/auth"
# A7: a web client's remembered device, sent only to the login (and its OTP step): survives the tab,
# logout and restarts, never readable by scripts; a mobile client keeps it from the body instead.
DEVICE_COOKIE = "mypage_device"
DEVICE_COOKIE_PATH = "/api/v1/auth/login"
OPENING_ACCEPTED = ("ご登録のメールアドレスと生年月日が確認できた場合、"
                    "「パスワード登録申込受付通知」メールを送信します。"
                    "メールに記載の認証キーは、配信から50分間有効です。")
RESET_ACCEPTED = ("ご登録のメールアドレスと生年月日が確認できた場合、"
                  "「パスワード再設定申込受付通知」メールを送信します。"
                  "メールに記載の認証キーは、配信から50分間有効です。")


def _ctx() -> commands.AuthContext:
    return current_app.extensions["auth"]


@blp.after_request
def _no_store(response: Response) -> Response:
    """Answers carrying tokens or account state are never cached."""
    if request.path.startswith(("/api/v1/auth/", "/api/v1/me", "/api/v1/staff/")) and \
            request.path != "/api/v1/auth/jwks":
        response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/terms")
class CurrentTerms(MethodView):
    @blp.response(200, schemas.TermsSchema)
    def get(self):
        """A2: the current 利用規約 and プライバシーポリシー with their versions"""
        current = terms.current()
        return {"terms_version": current.terms.version, "privacy_version": current.privacy_policy.version,
                "terms": current.terms.text, "privacy_policy": current.privacy_policy.text}


@blp.route("/auth/opening")
class Opening(MethodView):
    @blp.arguments(schemas.OpeningSchema)
    @blp.response(202, schemas.AcceptedSchema)
    def post(self, body):
        """A2/A3: ask for the key mail (the same 202 whether or not the email and birth date match, S3)"""
        commands.request_opening(_ctx(), body["email"], body["birth_date"], body["terms_version"],
                              body["privacy_version"])
        return {"message": OPENING_ACCEPTED}


@blp.route("/auth/opening/complete")
class OpeningCompletion(MethodView):
    @blp.arguments(schemas.KeyCompletionSchema)
    @blp.response(201, schemas.OpenedSchema)
    def post(self, body):
        """A5/A6: the emailed key and your own password open the My Page"""
        opened_at = commands.complete_opening(_ctx(), body["email"], body["auth_key"], body["password"])
        return {"opened": True, "opened_at": opened_at}


@blp.route("/auth/login")
class Login(MethodView):
    @blp.arguments(schemas.LoginSchema)
    @blp.response(200, schemas.LoginResultSchema)
    def post(self, body):
        """A7: email + password → a one-time password by mail (or, on a remembered device, the tokens)

        A remembered device skips the one-time password: a browser sends the HttpOnly cookie
        `mypage_device` (path /api/v1/auth/login) that the OTP step set; a mobile app sends the
        `device_token` it was given in the body (`client: mobile`), and gets the refresh token in the
        body too.
        """
        device_token = body["device_token"] or request.cookies.get(DEVICE_COOKIE)
        result = commands.login(_ctx(), body["email"], body["password"], device_token)
        if result.tokens is None:
            return {"otp_required": True, "login_ticket": result.login_ticket}
        return {"otp_required": False, **_tokens(result.tokens, body["client"])}


@blp.route("/auth/login/otp")
class LoginOtp(MethodView):
    @blp.arguments(schemas.OtpSchema)
    @blp.response(200, schemas.TokensSchema)
    def post(self, body):
        """A7: the mailed one-time password completes the login

        `client: web` (the default): the refresh token comes as the HttpOnly cookie `mypage_refresh`
        (path /api/v1/auth, 12 hours) and, with `remember_device`, the device token as `mypage_device`
        (path /api/v1/auth/login, 30 days); neither is in the body. `client: mobile`: no cookie —
        `refresh_token` and, with `remember_device`, `device_token` are in the body for the app to keep
        in its secure storage.
        """
        tokens = commands.verify_otp(_ctx(), body["login_ticket"], body["otp"], body["remember_device"])
        return _tokens(tokens, body["client"])


@blp.route("/auth/refresh")
class Refresh(MethodView):
    @blp.arguments(schemas.RefreshSchema)
    @blp.response(200, schemas.TokensSchema)
    def post(self, body):
        """DESIGN §5: a new access token; the refresh token (cookie or body) is rotated

        A mobile app sends `{"refresh_token": …}` and gets the next one in the body (the one sent is
        spent: sending it again ends the session); a browser sends nothing in the body and the cookie
        `mypage_refresh` is rotated. Refresh within 30 minutes of the last use, at most 12 hours after
        the login.
        """
        from_body = body.get("refresh_token")
        token = from_body or request.cookies.get(REFRESH_COOKIE)
        if not token:
            raise Problem("unauthorized")
        return _tokens(commands.refresh(_ctx(), token), "mobile" if from_body else "web")


@blp.route("/auth/logout")
class Logout(MethodView):
    @blp.response(204)
    def post(self):
        """S5: end this session (its tokens are refused from now on); a remembered device stays remembered"""
        commands.logout(_ctx(), current_principal())
        _clear_cookie()


@blp.route("/auth/devices")
class RememberedDevices(MethodView):
    @blp.response(204)
    def delete(self):
        """A7: forget every remembered device (the one-time password is asked again)"""
        commands.forget_devices(_ctx(), current_seeker_id())


@blp.route("/auth/password-reset")
class PasswordReset(MethodView):
    @blp.arguments(schemas.ResetSchema)
    @blp.response(202, schemas.AcceptedSchema)
    def post(self, body):
        """A8: ask for a reset key by mail (the same 202 for every well-formed request, S3)"""
        commands.request_reset(_ctx(), body["email"], body["birth_date"])
        return {"message": RESET_ACCEPTED}


@blp.route("/auth/password-reset/complete")
class PasswordResetCompletion(MethodView):
    @blp.arguments(schemas.KeyCompletionSchema)
    @blp.response(204)
    def post(self, body):
        """A8/S5: the reset key and a new password; every session ends"""
        commands.complete_reset(_ctx(), body["email"], body["auth_key"], body["password"])


@blp.route("/me/password")
class Password(MethodView):
    @blp.arguments(schemas.ChangePasswordSchema)
    @blp.response(204)
    def put(self, body):
        """A8/S5: change the password (the current one is needed); every session ends"""
        commands.change_password(_ctx(), current_seeker_id(), body["current_password"], body["new_password"])
        _clear_cookie()


@blp.route("/me")
class Me(MethodView):
    @blp.arguments(schemas.WithdrawSchema)
    @blp.response(204)
    def delete(self, body):
        """A9: withdraw (退会) — the My Page is closed at once and its data erased everywhere"""
        commands.withdraw(_ctx(), current_seeker_id(), body["password"])
        _clear_cookie()


@blp.route("/staff/seekers/<seeker_number>/mypage-status")
class MyPageStatus(MethodView):
    @blp.arguments(schemas.MyPageStatusSchema)
    @blp.response(200, schemas.MyPageStatusResultSchema)
    @require_role(STAFF)
    def put(self, body, seeker_number):
        """A10: staff make a My Page 利用不可 (usable false) or lift it"""
        return commands.set_usability(_ctx(), seeker_number, body["usable"])


@blp.route("/auth/token")
class ClientToken(MethodView):
    @blp.arguments(schemas.ClientCredentialsSchema)
    @blp.response(200, schemas.ClientTokenSchema)
    def post(self, body):
        """Client credentials for staff and employer systems → a 5-minute access token (an employer
        client's names its establishments, C2)"""
        token = clients.client_token(_ctx(), body["client_id"], body["client_secret"])
        return {"access_token": token, "token_type": "Bearer", "expires_in": Tokens.expires_in}


@blp.route("/auth/jwks")
class Jwks(MethodView):
    @blp.response(200, schemas.JwksSchema)
    def get(self):
        """DESIGN §5: the public keys that verify access tokens (JWKS)"""
        return _ctx().secrets.public_jwks()


def _tokens(tokens: Tokens, client: str) -> dict:
    """The token answer: the refresh and device tokens in HttpOnly cookies (web) or in the body (mobile)."""
    body = {"access_token": tokens.access_token, "token_type": "Bearer", "expires_in": tokens.expires_in}
    if client == "mobile":
        body["refresh_token"] = tokens.refresh_token
        if tokens.device_token:
            body["device_token"] = tokens.device_token
    else:
        @after_this_request
        def _cookie(response: Response) -> Response:
            response.set_cookie(REFRESH_COOKIE, tokens.refresh_token, max_age=int(SESSION_ABSOLUTE.total_seconds()),
                                path=COOKIE_PATH, secure=True, httponly=True, samesite="Strict")
            if tokens.device_token:
                response.set_cookie(DEVICE_COOKIE, tokens.device_token, max_age=int(DEVICE_LIFETIME.total_seconds()),
                                    path=DEVICE_COOKIE_PATH, secure=True, httponly=True, samesite="Strict")
            return response
    return body


def _clear_cookie() -> None:
    if REFRESH_COOKIE in request.cookies:
        @after_this_request
        def _expire(response: Response) -> Response:
            response.delete_cookie(REFRESH_COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="Strict")
            return response
