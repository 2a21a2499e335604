"""GET /internal/v1/home: messaging's fragment of the home screen (P5), for gateway/home.py.

A plain Flask blueprint, so it stays out of the public OpenAPI document; the gateway calls it
with the seeker's own bearer token and never routes /internal/ from clients.
"""

from flask import Blueprint, jsonify

from kit.tokens import current_seeker_id
from kit.web import in_uow
from services.messaging import commands, schemas

FRAGMENT_PATH = "/internal/v1/home"

internal = Blueprint("messaging_internal", __name__)


@internal.get(FRAGMENT_PATH)
def home_fragment():
    """P5: `{"counts": {"unread_messages": n, "unread_notices": n, "unread_establishment_messages": n}}`
    for the token's own seeker."""
    fragment = in_uow(commands.home_fragment, current_seeker_id())
    return jsonify(schemas.HomeFragmentSchema().dump(fragment))
