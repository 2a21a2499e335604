"""Saved-search alerts over HTTP (J3, 「新着求人をメールで受け取る」; commands/alerts.py).

- `PUT /api/v1/me/saved-searches/{id}/alert` turns the daily digest mail on, `DELETE` turns it off
  (My Page's one-click stop); both idempotent, the seeker's own searches only.
- `POST /api/v1/saved-search-alerts/stop {token}`: the one-click stop of a digest mail, without a login.
  The token is auth's (an EdDSA JWT for kit.tokens.ALERT_STOP_AUDIENCE, never an access token) naming the
  seeker (`sub`) and the saved search (`search`); jobs verifies it with the JWKS it checks access tokens
  with. A search already stopped or deleted answers 204 as well: the link did what it says.
- `POST /api/v1/saved-search-alerts/one-click?token=…`: the same stop as the mail's `List-Unsubscribe`
  header with `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), which mail programs offer as
  their own unsubscribe button; the body (`List-Unsubscribe=One-Click`, a form) is not read.
"""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from kit.problem import Problem
from kit.tokens import ALERT_STOP_AUDIENCE, InvalidToken, current_seeker_id, require_seeker
from kit.web import committed
from services.jobs.commands import alerts
from services.jobs.schemas.criteria import AlertStopSchema

blp = Blueprint("jobs_alerts", __name__, url_prefix="/api/v1", description="保存した検索条件の新着求人メール (jobs)")


@blp.route("/me/saved-searches/<search_id>/alert")
class SavedSearchAlert(MethodView):
    @require_seeker
    @blp.response(204)
    def put(self, search_id):
        """J3: 新着求人をメールで受け取る — a daily mail of the new postings this saved search finds."""
        committed(alerts.set_alert, current_seeker_id(), search_id, True)

    @require_seeker
    @blp.response(204)
    def delete(self, search_id):
        """J3: stop the saved search's mail (allowed whatever the registration's state)."""
        committed(alerts.set_alert, current_seeker_id(), search_id, False)


@blp.route("/saved-search-alerts/stop")
class AlertStop(MethodView):
    @blp.arguments(AlertStopSchema)
    @blp.response(204)
    def post(self, data):
        """J3: the one-click stop link of a digest mail (no login): its token names the seeker and the search."""
        _stop(data["token"])


@blp.route("/saved-search-alerts/one-click")
class AlertOneClick(MethodView):
    @blp.arguments(AlertStopSchema, location="query")
    @blp.response(204)
    def post(self, data):
        """J3: RFC 8058 one-click unsubscribe — the mail program POSTs `List-Unsubscribe=One-Click` to the
        digest's `List-Unsubscribe` address, the token in its query (the body says nothing more)."""
        _stop(data["token"])


def _stop(token: str) -> None:
    verifier = current_app.extensions.get("token_verifier")
    try:
        if verifier is None:
            raise InvalidToken("no verifier")
        claims = verifier.claims(token, audience=ALERT_STOP_AUDIENCE)
        seeker_id, search_id = claims["sub"], claims["search"]
        if not (isinstance(seeker_id, str) and isinstance(search_id, str)):
            raise InvalidToken("bad claims")
    except (InvalidToken, KeyError) as error:
        raise Problem("validation-failed",
                      detail_ja="配信停止のリンクが正しくないか、有効期限が切れています。"
                                "マイページの「保存した検索条件」から停止してください。",
                      detail_en="The stop link is not valid or has expired; stop the mail from the saved "
                                "searches on your My Page.") from error
    committed(alerts.stop_alert, seeker_id, search_id)
