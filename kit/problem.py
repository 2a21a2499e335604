"""application/problem+json errors (RFC 9457), in Japanese by default, English on request.

A rule that refuses something raises `Problem`; the web layer turns it (and validation
errors, 404s, database outages) into a problem document. Nothing else reaches the client:
never a stack trace, never a 500 page from Flask.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

TYPE_BASE = "https://mypage.hellowork.example/problems/"

# key -> (status, Japanese title, English title)
CATALOGUE: dict[str, tuple[int, str, str]] = {
    "validation-failed": (422, "入力内容に誤りがあります", "The request has invalid fields"),
    "bad-request": (400, "リクエストの形式が正しくありません", "The request is malformed"),
    "unauthorized": (401, "ログインが必要です", "Authentication is required"),
    "forbidden": (403, "この操作は許可されていません", "This operation is not allowed"),
    "not-found": (404, "お探しの情報は見つかりません", "The resource was not found"),
    "method-not-allowed": (405, "この操作はできません", "The method is not allowed here"),
    "conflict": (409, "現在の状態ではこの操作はできません", "The request conflicts with the current state"),
    "limit-reached": (409, "登録できる上限に達しています", "The limit has been reached"),
    "payload-too-large": (413, "送信できるデータの大きさを超えています", "The request body is too large"),
    "unsupported-media-type": (415, "JSON 形式で送信してください", "Send the request body as JSON"),
    "terms-outdated": (409, "利用規約またはプライバシーポリシーが改定されています",
                       "The terms of use or the privacy policy have been revised"),
    "login-failed": (401, "メールアドレスまたはパスワードが正しくありません",
                     "The email address or password is incorrect"),
    "code-invalid": (400, "認証キーが正しくないか、有効期限が切れています", "The key is incorrect or has expired"),
    "otp-invalid": (401, "ワンタイムパスワードが正しくないか、有効期限が切れています",
                    "The one-time password is incorrect or has expired"),
    "mypage-unavailable": (403, "このマイページは現在ご利用いただけません。ハローワークにお問い合わせください",
                           "This My Page cannot be used; please contact Hello Work"),
    "too-many-requests": (429, "しばらく時間をおいてから再度お試しください", "Too many requests; try again later"),
    "internal-error": (500, "システムエラーが発生しました", "An internal error occurred"),
    "service-unavailable": (503, "ただいまサービスを利用できません。しばらくしてから再度お試しください",
                            "The service is temporarily unavailable; try again later"),
}

# marshmallow's default messages, in Japanese (English passes through unchanged).
FIELD_MESSAGES_JA: dict[str, str] = {
    "Missing data for required field.": "必須項目です。",
    "Field may not be null.": "必須項目です。",
    "Unknown field.": "この項目は指定できません。",
    "Not a valid string.": "文字列で入力してください。",
    "Not a valid integer.": "整数で入力してください。",
    "Not a valid number.": "数値で入力してください。",
    "Not a valid boolean.": "true または false で入力してください。",
    "Not a valid date.": "日付は YYYY-MM-DD の形式で入力してください。",
    "Not a valid datetime.": "日時の形式が正しくありません。",
    "Not a valid email address.": "メールアドレスの形式が正しくありません。",
    "Not a valid list.": "配列で入力してください。",
    "Not a valid mapping type.": "オブジェクトで入力してください。",
    "Invalid input type.": "入力の型が正しくありません。",
    "Invalid value.": "値が正しくありません。",
    "String does not match expected pattern.": "形式が正しくありません。",
}


def prefers_english(accept_language: str | None) -> bool:
    """True when the client ranks English above Japanese in Accept-Language."""
    if not accept_language:
        return False
    best_lang, best_q = "ja", -1.0
    for part in accept_language.split(","):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = lang.strip().lower().split("-")[0]
        if primary in ("ja", "en") and q > best_q:
            best_lang, best_q = primary, q
    return best_lang == "en"


@dataclass
class Problem(Exception):
    """A refusal the client should understand. `detail_ja`/`detail_en` say what to do next."""

    key: str
    detail_ja: str | None = None
    detail_en: str | None = None
    fields: Mapping[str, list[str]] | None = None
    extra: dict = field(default_factory=dict)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # e.g. Retry-After on a 429

    def __post_init__(self) -> None:
        if self.key not in CATALOGUE:
            raise ValueError(f"unknown problem {self.key!r}")
        super().__init__(self.key)

    def to_dict(self, english: bool = False, instance: str | None = None) -> dict:
        status, title_ja, title_en = CATALOGUE[self.key]
        body = {
            "type": TYPE_BASE + self.key,
            "title": title_en if english else title_ja,
            "status": self.status or status,
        }
        detail = (self.detail_en or self.detail_ja) if english else (self.detail_ja or self.detail_en)
        if detail:
            body["detail"] = detail
        if instance:
            body["instance"] = instance
        if self.fields:
            body["errors"] = [
                {"field": name, "messages": [translate_field_message(m, english) for m in messages]}
                for name, messages in sorted(self.fields.items())
            ]
        body.update(self.extra)
        return body

    @property
    def http_status(self) -> int:
        return self.status or CATALOGUE[self.key][0]


def translate_field_message(message: str, english: bool) -> str:
    """A field message is either marshmallow's English default or a 'ja|en' pair we wrote."""
    if "|" in message:
        ja, _, en = message.partition("|")
        return en if english else ja
    return message if english else FIELD_MESSAGES_JA.get(message, message)


def flatten_errors(errors: Mapping, prefix: str = "") -> dict[str, list[str]]:
    """Turn marshmallow's nested error dict into {"address.postal_code": [messages]}."""
    flat: dict[str, list[str]] = {}
    for key, value in errors.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            flat.update(flatten_errors(value, name))
        elif isinstance(value, list | tuple):
            messages = [m for m in value if isinstance(m, str)]
            for item in value:
                if isinstance(item, Mapping):
                    flat.update(flatten_errors(item, name))
            if messages:
                flat[name] = messages
        else:
            flat[name] = [str(value)]
    return flat


def msg(ja: str, en: str) -> str:
    """A bilingual field message for a marshmallow ValidationError: msg("8文字以上…", "at least 8…")."""
    return f"{ja}|{en}"
