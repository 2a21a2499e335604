"""The profile service's HTTP API (views only: load, call a handler, dump)."""

from flask_smorest import Blueprint

blp = Blueprint("profile", __name__, url_prefix="/api/v1", description="求職者情報・求職登録 (profile)")
