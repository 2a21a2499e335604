"""Saved-search digests (J3 alerts): jobs says what is new for a saved search (`jobs.saved_search.digest.v1`:
the seeker's opaque id, the search's id and name, a count, the newest 5); auth owns the login email, so auth
mails it — through its mail outbox like every mail (S3), rendered at sending time by mail.py.

The mail links the search (`<site>/#/saved/<id>`) and a one-click stop (`<site>/#/alert-stop?token=…`:
the web client posts the token to `POST /api/v1/saved-search-alerts/stop`, which jobs answers) and carries
RFC 8058's `List-Unsubscribe` / `List-Unsubscribe-Post` headers for the mail program's own button. The token is
minted here when the mail is sent — an EdDSA JWT of auth's signing key for kit.tokens.ALERT_STOP_AUDIENCE
(never an access token), 30 days — so no event and no outbox row ever carries it (DESIGN §3). `<site>` is
MYPAGE_AUTH_PUBLIC_URL (default http://127.0.0.1:8080, `make run`'s address; production requires an
https address).

No mail to a seeker without an open My Page (never opened, withdrawn, 利用不可) or without a login email.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta

import jwt

from kit.events import Event
from kit.settings import Settings
from kit.tokens import ALERT_STOP_AUDIENCE, ALGORITHM, ISSUER
from kit.uow import UnitOfWork
from services.auth.config import AuthSecrets
from services.auth.models import Account, Mail

log = logging.getLogger("mypage.auth.mail")

SAVED_SEARCH_DIGEST = "saved_search_digest"  # the mail template (mail.py renders it)
SAVED_SEARCH_DIGEST_EVENT = "jobs.saved_search.digest.v1"
STOP_LINK_LIFETIME = timedelta(days=30)
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8080"


def on_saved_search_digest(event: Event, uow: UnitOfWork) -> None:
    """J3 alerts: queue the digest mail to the seeker's login email (sent after commit by the dispatcher)."""
    data = event.data
    account = uow.session.get(Account, data.get("seeker_id")) if isinstance(data.get("seeker_id"), str) else None
    if account is None or not account.email or account.opened_at is None or account.withdrawn_at is not None \
            or not account.usable:
        log.info("%s %s: no open My Page with a login email; not mailed", event.type, event.id)
        return
    params = {key: data[key] for key in ("saved_search_id", "search_name", "count", "postings", "since", "until")}
    uow.session.add(Mail(template=SAVED_SEARCH_DIGEST, recipient=account.email, attempts=0,
                         params=params | {"seeker_id": account.seeker_id}, created_at=uow.clock.now()))


def public_url(settings: Settings) -> str:
    """The My Page's public address in mail links. C4: production refuses the development default and
    anything but https (a stop link must not send the seeker's token in clear)."""
    configured = (settings.options.get("public_url") or "").strip().rstrip("/")
    if settings.production and not configured.startswith("https://"):
        raise settings.refusal("MYPAGE_AUTH_PUBLIC_URL must be the My Page's public https address (mail links)")
    return configured or DEFAULT_PUBLIC_URL


def stop_token(secrets: AuthSecrets, now: datetime, seeker_id: str, search_id: str) -> str:
    """The one-click stop link's token: the seeker and the saved search, signed for ALERT_STOP_AUDIENCE only."""
    issued = int(now.timestamp())
    claims = {"sub": seeker_id, "search": search_id, "iss": ISSUER, "aud": ALERT_STOP_AUDIENCE, "iat": issued,
              "exp": issued + int(STOP_LINK_LIFETIME.total_seconds()), "jti": uuid.uuid4().hex}
    return jwt.encode(claims, secrets.signing_key, algorithm=ALGORITHM, headers={"kid": secrets.kid})


def one_click_headers(params: dict) -> dict[str, str]:
    """RFC 8058: the mail program's own unsubscribe button POSTs `List-Unsubscribe=One-Click` to this address
    (`POST /api/v1/saved-search-alerts/one-click?token=…`, answered by jobs)."""
    url = f"{params['site']}/api/v1/saved-search-alerts/one-click?token={params['stop_token']}"
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def render_digest(params: dict, since: str, until: str) -> tuple[str, str]:
    """The digest's subject and body (without the common footer); `params` carry `site` and `stop_token`,
    `since` and `until` are the times as the mails show them."""
    site, name, count = params["site"], params["search_name"], params["count"]
    lines = [f"保存した検索条件「{name}」に合う新着求人が{count}件あります。",
             f"（{since}から{until}まで（日本時間）に受け付けた求人）", ""]
    for posting in params["postings"]:
        lines += [f"・{posting['job_number']} {posting['title']}", f"  {site}/#/jobs/{posting['job_number']}"]
    if count > len(params["postings"]):
        lines.append(f"ほか{count - len(params['postings'])}件")
    lines += ["", f"検索結果を見る：{site}/#/saved/{params['saved_search_id']}", "",
              "このメールの配信を停止する（ログイン不要）：", f"{site}/#/alert-stop?token={params['stop_token']}",
              "マイページの「保存した検索条件」からも停止できます。", ""]
    return f"【ハローワーク】保存した検索条件「{name}」の新着求人のお知らせ", "\n".join(lines)
