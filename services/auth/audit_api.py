"""The audit trail's two doors (C3): `GET /api/v1/staff/audit` for staff (their office's writes), and
`POST /internal/v1/staff-audit`, where the gateway records a staff write before forwarding it (not
under /api/v1, so no client can reach it; plain Flask, so not in the public OpenAPI document)."""

from __future__ import annotations

from flask import Blueprint as FlaskBlueprint
from flask import current_app, g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from kit.problem import Problem, msg
from kit.tokens import STAFF, current_principal, require_role
from services.auth import audit

blp = Blueprint("staff_audit", __name__, url_prefix="/api/v1/staff/audit",
                description="職員操作の監査記録 (auth, C3)")
internal = FlaskBlueprint("staff_audit_internal", __name__, url_prefix="/internal/v1")


class AuditQuerySchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000, error=msg(
        "ページは1から10000までです。", "The page is between 1 and 10000.")))
    per_page = fields.Integer(load_default=30, validate=validate.Range(
        min=1, max=audit.MAX_PER_PAGE, error=msg(f"表示件数は1から{audit.MAX_PER_PAGE}までです。",
                                                 f"Show 1 to {audit.MAX_PER_PAGE} per page.")))


class AuditEntrySchema(Schema):
    at = fields.AwareDateTime(required=True)
    client_id = fields.String(required=True, metadata={"description": "the staff client that wrote"})
    office = fields.String(allow_none=True, metadata={"description": "its office (安定所 code)"})
    action = fields.String(required=True, metadata={"example": "PUT /api/v1/staff/seekers/*/mypage-status"})
    service = fields.String(required=True, metadata={"example": "auth"})
    request_id = fields.String(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class _RecordSchema(Schema):
    method = fields.String(required=True, validate=validate.OneOf(["POST", "PUT", "PATCH", "DELETE"]))
    path = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    service = fields.String(required=True, validate=validate.Length(min=1, max=20))


@blp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("")
class StaffAuditTrail(MethodView):
    @require_role(STAFF)
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """C3: the staff writes of the caller's office, newest first (who, office, what, when, request id)"""
        return audit.trail(current_app.extensions["auth"], current_principal().office, page=query["page"],
                           per_page=query["per_page"])


@internal.post("/staff-audit")
def record():
    """C3: the gateway records a staff write before forwarding it → 201; the caller is not staff → 204
    (nothing to record: the service refuses the write itself)."""
    principal = current_principal()
    if not principal.has(STAFF):
        return "", 204
    try:
        body = _RecordSchema().load(request.get_json(silent=True) or {})
    except ValidationError as error:
        raise Problem("validation-failed", fields=error.messages) from error
    audit.record(current_app.extensions["auth"], principal, audit.action(body["method"], body["path"]),
                 body["service"], g.request_id)
    return "", 201
