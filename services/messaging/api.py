"""The messaging service's HTTP API (views only: load, call a handler, dump)."""

from flask_smorest import Blueprint

blp = Blueprint("messaging", __name__, url_prefix="/api/v1", description="メッセージ・お知らせ (messaging)")
