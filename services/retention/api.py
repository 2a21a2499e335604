"""The retention service's HTTP API (views only: load, call a command, dump).

Staff and operator systems (role staff): GET /staff/erasures/{erasure_id} — where an erasure
stands (R3): which services confirmed, which are pending, the rows erased. No seeker id is shown.
"""

from flask.views import MethodView
from flask_smorest import Blueprint

from kit.problem import Problem
from kit.tokens import STAFF, require_role
from kit.web import in_uow
from services.retention import commands, schemas

blp = Blueprint("retention", __name__, url_prefix="/api/v1", description="保存期間の管理と消去 (retention)")


@blp.route("/staff/erasures/<erasure_id>")
class StaffErasure(MethodView):
    @require_role(STAFF)
    @blp.response(200, schemas.ErasureStatusSchema)
    def get(self, erasure_id):
        """R3 消去の状況: the erasure's status and the services that confirmed it (404 when unknown)."""
        view = in_uow(commands.erasure_view, erasure_id)
        if view is None:
            raise Problem("not-found", detail_ja="指定された消去の記録は見つかりません。",
                          detail_en="No erasure with this id was found.")
        return view
