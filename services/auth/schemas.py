"""Request and response schemas of the auth API (they also make its OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from kit.fields import TypedDate
from kit.problem import msg
from services.auth.domain import normalise_email

CLIENTS = ("web", "mobile")
_EMAIL = validate.Email(error=msg("メールアドレスの形式が正しくありません。", "Not a valid email address."))


class LoginEmail(fields.String):
    """The login email, normalised as stored (full-width folded, trimmed, lower case) and checked."""

    def _deserialize(self, value, attr, data, **kwargs):
        email = normalise_email(super()._deserialize(value, attr, data, **kwargs))
        if len(email) > 254:
            raise ValidationError(msg("メールアドレスが長すぎます。", "The email address is too long."))
        _EMAIL(email)
        return email


def _secret(**kwargs) -> fields.String:
    """A password/key/OTP field: never echoed back, length-capped only to keep requests sane."""
    return fields.String(required=True, validate=validate.Length(max=1024), load_only=True, **kwargs)


class TermsSchema(Schema):
    terms_version = fields.String(required=True, metadata={"description": "利用規約の版"})
    privacy_version = fields.String(required=True, metadata={"description": "プライバシーポリシーの版"})
    terms = fields.String(required=True, metadata={"description": "利用規約 (Markdown)"})
    privacy_policy = fields.String(required=True, metadata={"description": "プライバシーポリシー (Markdown)"})


class OpeningSchema(Schema):
    email = LoginEmail(required=True, metadata={"example": "taro@example.jp"})
    birth_date = TypedDate(required=True, metadata={"description": "生年月日（西暦）YYYY-MM-DD"})
    terms_version = fields.String(required=True, validate=validate.Length(max=20))
    privacy_version = fields.String(required=True, validate=validate.Length(max=20))


class AcceptedSchema(Schema):
    message = fields.String(required=True)


class KeyCompletionSchema(Schema):
    email = LoginEmail(required=True)
    auth_key = _secret(metadata={"description": "メールで届いた認証キー"})
    password = _secret(metadata={"description": "8〜32文字、半角の数字・英字・記号 @#$%&()*+-./:;<=>? を各1文字以上"})


class OpenedSchema(Schema):
    opened = fields.Boolean(required=True)
    opened_at = fields.AwareDateTime(required=True)


class LoginSchema(Schema):
    email = LoginEmail(required=True)
    password = _secret()
    device_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                                 load_only=True, metadata={"description": "「この端末を記憶する」で受け取ったトークン"
                                                                         "（mobile; web はCookie mypage_device）"})
    client = fields.String(load_default="web", validate=validate.OneOf(CLIENTS),
                           metadata={"description": "web: refresh token in an HttpOnly cookie; mobile: in the body"})


class TokensSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(metadata={"description": "mobile clients only (web: HttpOnly cookie)"})
    device_token = fields.String(metadata={"description": "mobile clients, when remember_device was chosen "
                                                          "(30 days; web: HttpOnly cookie mypage_device)"})


class LoginResultSchema(TokensSchema):
    otp_required = fields.Boolean(required=True)
    login_ticket = fields.String()
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()


class OtpSchema(Schema):
    login_ticket = fields.String(required=True, validate=validate.Length(max=200), load_only=True)
    otp = _secret(metadata={"description": "メールで届いた6桁のワンタイムパスワード"})
    remember_device = fields.Boolean(load_default=False)
    client = fields.String(load_default="web", validate=validate.OneOf(CLIENTS))


class RefreshSchema(Schema):
    refresh_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200),
                                  load_only=True, metadata={"description": "mobile; web sends the cookie"})


class ResetSchema(Schema):
    email = LoginEmail(required=True)
    birth_date = TypedDate(required=True, metadata={"description": "生年月日（西暦）YYYY-MM-DD"})


class ChangePasswordSchema(Schema):
    current_password = _secret()
    new_password = _secret()


class WithdrawSchema(Schema):
    password = _secret()


class MyPageStatusSchema(Schema):
    usable = fields.Boolean(required=True, metadata={"description": "false: 利用不可"})


class MyPageStatusResultSchema(Schema):
    seeker_number = fields.String(required=True)
    usable = fields.Boolean(required=True)


class ClientCredentialsSchema(Schema):
    grant_type = fields.String(required=True, validate=validate.OneOf(
        ["client_credentials"], error=msg("grant_type は client_credentials のみです。",
                                          "grant_type must be client_credentials.")))
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    client_secret = _secret()


class ClientTokenSchema(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)


class JwksSchema(Schema):
    keys = fields.List(fields.Dict(), required=True)
