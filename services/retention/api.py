"""The retention service's HTTP API (views only: load, call a handler, dump)."""

from flask_smorest import Blueprint

blp = Blueprint("retention", __name__, url_prefix="/api/v1", description="保存期間の管理と消去 (retention)")
