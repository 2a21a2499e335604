"""/api/docs: Swagger UI served offline from the pinned swagger-ui-bundle, and the merged
OpenAPI document of every service at /api/docs/openapi.json (OpenAPI 3.1).

The bundled Swagger UI is 4.x, which renders OpenAPI 3.0 only; the page therefore reads
/api/docs/openapi-3.0.json, a mechanical 3.0 rendering of the same document.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path

from flask import Blueprint, Response, current_app, g, render_template, send_from_directory
from swagger_ui_bundle import swagger_ui_path

from gateway.backends import Backend, BackendUnavailable
from gateway.openapi import downgrade_to_30, merge_documents
from kit.problem import Problem
from kit.web import REQUEST_ID_HEADER

log = logging.getLogger("mypage.gateway.docs")

TITLE = "ハローワーク 求職者マイページ API"
VERSION = "1.0.0"
DESCRIPTION = (
    "求職者マイページの公開 API（ゲートウェイ経由）。エラーは application/problem+json（RFC 9457）で、"
    "title/detail は日本語（Accept-Language: en で英語）。\n\n"
    "The public API of the Hello Work job-seeker My Page, through the gateway. Errors are "
    "application/problem+json (RFC 9457), Japanese by default, English with Accept-Language: en."
)
SWAGGER_UI_DIR = Path(str(swagger_ui_path))
SWAGGER_UI_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js",
                               "favicon-16x16.png", "favicon-32x32.png"})
STATIC_DIR = Path(__file__).parent / "static"


class MergedDocument:
    """The merged document, built from the services' /openapi.json and kept once all answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._complete: dict | None = None

    def get(self, backends: dict[str, Backend]) -> dict:
        with self._lock:
            if self._complete is not None:
                return self._complete
        documents, missing = {}, []
        for name, backend in backends.items():
            try:
                answer = backend.send("GET", "/openapi.json", headers=[(REQUEST_ID_HEADER, g.request_id)])
                if answer.status != 200:
                    raise BackendUnavailable(name, f"status {answer.status}")
                documents[name] = json.loads(answer.body)
            except (BackendUnavailable, ValueError) as error:
                log.warning("no OpenAPI document from %s: %s", name, error)
                missing.append(name)
        merged = merge_documents(documents, title=TITLE, version=VERSION, description=DESCRIPTION)
        if missing:
            # Served, but not kept: the next request asks the missing services again.
            merged["x-unavailable-services"] = sorted(missing)
            return merged
        with self._lock:
            self._complete = merged
        return merged


def create_docs_blueprint() -> Blueprint:
    blueprint = Blueprint("api_docs", __name__, url_prefix="/api/docs")
    document = MergedDocument()

    def _merged() -> dict:
        return document.get(current_app.extensions["backends"])

    @blueprint.get("", strict_slashes=False)
    def swagger_ui() -> str:
        return render_template("api_docs.html", title=TITLE)

    @blueprint.get("/openapi.json")
    def openapi() -> Response:
        return _json(_merged())

    @blueprint.get("/openapi-3.0.json")
    def openapi_30() -> Response:
        return _json(downgrade_to_30(_merged()))

    @blueprint.get("/init.js")
    def initializer() -> Response:
        return send_from_directory(STATIC_DIR, "api-docs-init.js", max_age=300)

    @blueprint.get("/page.css")
    def page_style() -> Response:
        return send_from_directory(STATIC_DIR, "api-docs.css", max_age=300)

    @blueprint.get("/<asset>")
    def asset(asset: str) -> Response:
        if asset not in SWAGGER_UI_ASSETS:
            raise Problem("not-found")
        return send_from_directory(SWAGGER_UI_DIR, asset, max_age=86400)

    return blueprint


def _json(document: dict) -> Response:
    return Response(json.dumps(document, ensure_ascii=False, indent=1), mimetype="application/json")
