"""The auth service's HTTP API (views only: load, call a handler, dump)."""

from flask_smorest import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="アカウント・ログイン (auth)")
