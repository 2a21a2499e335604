"""The auth service's rules (SPEC A1–A10, DESIGN §5, S1–S5) — no Flask, no SQLAlchemy session.

Durations and limits read like the flyer; the one-time values (認証キー, ワンタイムパスワード,
tokens) are drawn from `secrets` and only ever stored as an HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

# -- 認証キー (A3, S1) ------------------------------------------------------------------------
KEY_LIFETIME = timedelta(minutes=50)  # A3: valid 50 minutes from sending (メール配信から50分以内有効)
MAX_WRONG_ENTRIES = 5  # S1: 5 wrong entries void a key (and an OTP, A7)
MAX_KEYS_PER_DAY = 5  # S1: at most 5 keys mailed per account per 24 h (S2: keys never mailed do not count)
KEY_WINDOW = timedelta(hours=24)
# 32 symbols without look-alikes (no 0/O, 1/I): 5 bits a character, 10 characters = 50 bits ≥ 40 (S1).
KEY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
KEY_LENGTH = 10

# -- login (A7, S2) ----------------------------------------------------------------------------
OTP_DIGITS = 6
OTP_LIFETIME = timedelta(minutes=10)
DEVICE_LIFETIME = timedelta(days=30)  # A7: "skip the OTP on this device" for 30 days
# S2: counted apart per login email (every unknown device), per remembered device, and per account for OTPs
DELAY_FROM_FAILURE = 5  # S2: a growing delay from the 5th consecutive failure
LOCK_AT_FAILURE = 10  # S2: a 30-minute lock at the 10th
LOCK_DURATION = timedelta(minutes=30)
FIRST_DELAY = timedelta(seconds=2)

# -- sessions (DESIGN §5) ----------------------------------------------------------------------
ACCESS_TOKEN_LIFETIME = timedelta(minutes=5)
SESSION_IDLE = timedelta(minutes=30)
SESSION_ABSOLUTE = timedelta(hours=12)
TOKEN_BYTES = 32  # refresh, device and login-ticket tokens: 256 bits (≥128, DESIGN §5)

# -- password (A5, S4) -------------------------------------------------------------------------
PASSWORD_MIN, PASSWORD_MAX = 8, 32
PASSWORD_SYMBOLS = "@#$%&()*+-./:;<=>?"  # A5: 使用できる記号
_DIGITS = frozenset(string.digits)
_LETTERS = frozenset(string.ascii_letters)
_SYMBOLS = frozenset(PASSWORD_SYMBOLS)
_BLOCKLIST_FILE = Path(__file__).parent / "data" / "common-passwords.txt"


# -- email ---------------------------------------------------------------------------------------

def normalise_email(email: str) -> str:
    """The login email as stored and compared: NFKC (full-width ＠ → @), trimmed, lower case."""
    return unicodedata.normalize("NFKC", email).strip().lower()


# -- one-time values and their digests -------------------------------------------------------------

def new_auth_key() -> str:
    """S1: a 認証キー of 10 characters from a 32-symbol alphabet (50 bits from `secrets`)."""
    return "".join(secrets.choice(KEY_ALPHABET) for _ in range(KEY_LENGTH))


def normalise_auth_key(entered: str) -> str:
    """What the user typed, as the key was issued: full-width folded, spaces/hyphens dropped, upper case."""
    return re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", entered)).upper()


def new_otp() -> str:
    """A7: a six-digit ワンタイムパスワード from `secrets`."""
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def new_token() -> str:
    """An opaque bearer value (refresh, device, login ticket): 256 bits, URL-safe."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(secret: bytes, purpose: str, value: str) -> str:
    """S1: the only form in which a key, OTP or token is stored: HMAC-SHA256 keyed by the server secret.

    `purpose` separates the kinds, so a digest of one can never be replayed as another.
    """
    return hmac.new(secret, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def same_digest(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a, b)


# -- keys and codes --------------------------------------------------------------------------------

@dataclass(frozen=True)
class CodeState:
    """What a key or OTP row says about itself (the view the rules need)."""

    sent_at: datetime | None
    expires_at: datetime | None
    wrong_entries: int
    used_at: datetime | None
    voided_at: datetime | None


def code_usable(code: CodeState, now: datetime) -> bool:
    """S1/A7: sent, not yet expired (valid at 49:59, refused at 50:00), unused, not voided, tries left."""
    return (code.sent_at is not None and code.expires_at is not None and now < code.expires_at
            and code.used_at is None and code.voided_at is None and code.wrong_entries < MAX_WRONG_ENTRIES)


def may_issue_key(keys_mailed_in_window: int) -> bool:
    """S1/S2: once 5 keys were mailed within 24 hours, a request sends nothing (keys replaced before
    their mail went out were never mailed and do not count)."""
    return keys_mailed_in_window < MAX_KEYS_PER_DAY


# -- the password rule (A5, S4) ----------------------------------------------------------------------

@dataclass(frozen=True)
class PasswordRule:
    """One part of A5 that a password can fail, with its message in Japanese and English."""

    code: str
    ja: str
    en: str


RULE_LENGTH = PasswordRule("length", f"パスワードは{PASSWORD_MIN}文字以上{PASSWORD_MAX}文字以内で入力してください。",
                           f"The password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long.")
RULE_FULL_WIDTH = PasswordRule("full_width", "全角文字は使用できません。半角の数字・英字・記号で入力してください。",
                               "Full-width characters cannot be used; use half-width digits, letters and symbols.")
RULE_SPACE = PasswordRule("space", "空白（スペース）は使用できません。", "Spaces cannot be used.")
RULE_CHARACTERS = PasswordRule("characters",
                               f"使用できない文字が含まれています。使用できる記号は {PASSWORD_SYMBOLS} です。",
                               f"The password contains a character that is not allowed; the symbols allowed are "
                               f"{PASSWORD_SYMBOLS}")
RULE_DIGIT = PasswordRule("digit", "半角の数字を1文字以上含めてください。", "Include at least one half-width digit.")
RULE_LETTER = PasswordRule("letter", "半角の英字を1文字以上含めてください。", "Include at least one half-width letter.")
RULE_SYMBOL = PasswordRule("symbol", f"半角の記号（{PASSWORD_SYMBOLS}）を1文字以上含めてください。",
                           f"Include at least one half-width symbol ({PASSWORD_SYMBOLS}).")
RULE_COMMON = PasswordRule("common", "よく使われていて推測されやすいパスワードです。別のパスワードにしてください。",
                           "This password is too common and easy to guess; choose another.")


def password_failures(password: str, blocklist: frozenset[str] | None = None) -> list[PasswordRule]:
    """A5/S4: every part of the rule `password` fails (empty list = acceptable). Never truncated.

    8 to 32 characters; only half-width digits, letters and `@#$%&()*+-./:;<=>?`; at least one
    of each of the three kinds; not a common password.
    """
    failures: list[PasswordRule] = []
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        failures.append(RULE_LENGTH)
    others = [c for c in password if c not in _DIGITS and c not in _LETTERS and c not in _SYMBOLS]
    if any(_full_width(c) for c in others):
        failures.append(RULE_FULL_WIDTH)
    if any(c.isspace() for c in others):
        failures.append(RULE_SPACE)
    if any(not _full_width(c) and not c.isspace() for c in others):
        failures.append(RULE_CHARACTERS)
    if not any(c in _DIGITS for c in password):
        failures.append(RULE_DIGIT)
    if not any(c in _LETTERS for c in password):
        failures.append(RULE_LETTER)
    if not any(c in _SYMBOLS for c in password):
        failures.append(RULE_SYMBOL)
    if not failures and password.lower() in (common_passwords() if blocklist is None else blocklist):
        failures.append(RULE_COMMON)
    return failures


def _full_width(char: str) -> bool:
    """Full-width (全角) letters, digits, symbols, kana and kanji; emoji are 'characters not allowed'."""
    return unicodedata.east_asian_width(char) in ("F", "W") and not _emoji(char)


def _emoji(char: str) -> bool:
    return ord(char) >= 0x1F000 or 0x2600 <= ord(char) <= 0x27BF


_COMMON: frozenset[str] | None = None


def common_passwords() -> frozenset[str]:
    """S4: the common-password blocklist (lower case), loaded once from data/common-passwords.txt."""
    global _COMMON
    if _COMMON is None:
        lines = _BLOCKLIST_FILE.read_text(encoding="utf-8").splitlines()
        _COMMON = frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))
    return _COMMON


# -- login throttling (S2) ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Throttle:
    """S2: the consecutive failures of one counter — a login email (every unknown device), one
    remembered device, or an account's OTPs — and what they allow now."""

    failures: int
    last_failed_at: datetime | None
    locked_until: datetime | None


def login_wait(throttle: Throttle, now: datetime) -> timedelta:
    """S2: how long the next attempt must wait (zero = try now).

    Locked (10 failures): until the lock ends. From the 5th consecutive failure: 2 s, then
    doubling (4, 8, 16, 32 s) after each further failure.
    """
    if throttle.locked_until is not None and now < throttle.locked_until:
        return throttle.locked_until - now
    if throttle.failures >= DELAY_FROM_FAILURE and throttle.last_failed_at is not None:
        delay = FIRST_DELAY * 2 ** (throttle.failures - DELAY_FROM_FAILURE)
        ready = throttle.last_failed_at + delay
        if now < ready:
            return ready - now
    return timedelta(0)


def after_failure(throttle: Throttle, now: datetime) -> Throttle:
    """S2: one more consecutive failure; the 10th locks for 30 minutes. A failure after a lock ended counts from 1."""
    failures = 1 if throttle.locked_until is not None and now >= throttle.locked_until else throttle.failures + 1
    locked_until = now + LOCK_DURATION if failures >= LOCK_AT_FAILURE else None
    return Throttle(failures, now, locked_until)


# -- sessions (DESIGN §5) -------------------------------------------------------------------------------

def session_alive(created_at: datetime, last_used_at: datetime, revoked_at: datetime | None, now: datetime) -> bool:
    """DESIGN §5: not revoked, used within the last 30 minutes, and younger than 12 hours."""
    return revoked_at is None and now < last_used_at + SESSION_IDLE and now < created_at + SESSION_ABSOLUTE
