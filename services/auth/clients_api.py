"""The staff API of employer clients (C1): register, read, change establishments, rotate the secret,
revoke — views and their schemas (role staff; answers are never cached: a secret is in two of them)."""

from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, post_load, validate

from kit.fields import NumberText
from kit.problem import msg
from kit.tokens import STAFF, current_principal, require_role
from services.auth import clients

blp = Blueprint("employer_clients", __name__, url_prefix="/api/v1/staff/employer-clients",
                description="事業所クライアントの登録・変更・失効 (auth, C1)")


@blp.after_request
def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


class EstablishmentsSchema(Schema):
    establishments = fields.List(
        NumberText(clients.ESTABLISHMENT_NUMBER, msg("事業所番号は「1104-123456-7」の形式で入力してください。",
                                                     "Enter the establishment number as 1104-123456-7.")),
        required=True,
        validate=validate.Length(min=1, max=clients.MAX_ESTABLISHMENTS, error=msg(
            f"事業所番号は1〜{clients.MAX_ESTABLISHMENTS}件指定してください。",
            f"Give 1 to {clients.MAX_ESTABLISHMENTS} establishment numbers.")),
        metadata={"description": "the 事業所番号 the client acts for (C2)", "example": ["1104-123456-7"]})

    @post_load
    def _once_each(self, data, **kwargs):
        return data | {"establishments": list(dict.fromkeys(data["establishments"]))}


class RegistrationSchema(EstablishmentsSchema):
    name = fields.String(required=True, validate=[
        validate.Length(max=clients.NAME_MAX, error=msg(f"名称は{clients.NAME_MAX}文字以内で入力してください。",
                                                        f"Enter a name of at most {clients.NAME_MAX} characters.")),
        validate.Regexp(r"^[^\x00-\x1f\x7f]*$", error=msg("名称は1行で入力してください。",
                                                          "The name must be one line."))],
        metadata={"description": "what the integration is (e.g. the establishment's system)",
                  "example": "株式会社越谷ケア 採用システム"})

    @post_load
    def _trimmed(self, data, **kwargs):
        name = data["name"].strip()
        if not name:
            raise ValidationError(msg("名称を入力してください。", "Enter a name."), "name")
        return data | {"name": name}


class EmployerClientSchema(Schema):
    client_id = fields.String(required=True, metadata={"example": "ec-5f0c3a9e4b7d4c1e8a6b5d4c"})
    name = fields.String(required=True)
    establishments = fields.List(fields.String(), required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
    revoked_at = fields.AwareDateTime(allow_none=True, metadata={"description": "set once revoked (DELETE)"})


class EmployerClientWithSecretSchema(EmployerClientSchema):
    client_secret = fields.String(required=True, metadata={"description": "shown only in this answer"})


def _ctx():
    return current_app.extensions["auth"]


@blp.route("")
class EmployerClients(MethodView):
    @require_role(STAFF)
    @blp.arguments(RegistrationSchema)
    @blp.response(201, EmployerClientWithSecretSchema)
    def post(self, body):
        """C1: register an employer-side integration for its establishments; the secret is shown only now"""
        return clients.register(_ctx(), current_principal().subject, body["name"], body["establishments"])


@blp.route("/<client_id>")
class EmployerClient(MethodView):
    @require_role(STAFF)
    @blp.response(200, EmployerClientSchema)
    def get(self, client_id):
        """C1: an employer client (never its secret)"""
        return clients.read(_ctx(), client_id)

    @require_role(STAFF)
    @blp.response(204)
    def delete(self, client_id):
        """C1: revoke — no new tokens, and the tokens it holds are refused within seconds (again: 204)"""
        clients.revoke(_ctx(), client_id)


@blp.route("/<client_id>/establishments")
class EmployerClientEstablishments(MethodView):
    @require_role(STAFF)
    @blp.arguments(EstablishmentsSchema)
    @blp.response(200, EmployerClientSchema)
    def put(self, body, client_id):
        """C1/C2: the establishments the client acts for from now on; its current tokens are refused
        (it asks for a new one); revoked: 409"""
        return clients.set_establishments(_ctx(), client_id, body["establishments"])


@blp.route("/<client_id>/secret")
class EmployerClientSecret(MethodView):
    @require_role(STAFF)
    @blp.response(200, EmployerClientWithSecretSchema)
    def post(self, client_id):
        """C1: rotate — a new secret, shown only now; the old one and its tokens are refused; revoked: 409"""
        return clients.rotate_secret(_ctx(), client_id)
