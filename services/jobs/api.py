"""The jobs service's HTTP API (views only: load, call a handler, dump)."""

from flask_smorest import Blueprint

blp = Blueprint("jobs", __name__, url_prefix="/api/v1", description="求人検索・お気に入り・応募 (jobs)")
