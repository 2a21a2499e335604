"""`make run` in-process: the embedded system on a free port, over real HTTP and real SMTP.

The system gets a temporary MYPAGE_VAR_DIR, so var/ is never touched; nothing sleeps — waits
are on conditions with a deadline.
"""

from __future__ import annotations

import json
import socket

import pytest

from gateway.embedded import EmbeddedSystem
from kit.mail import send_mail
from kit.settings import SERVICES
from kit.testing.embedded import isolated_environ
from kit.testing.plugin import eventually

EMBEDDED_ONLY = ("it checks the embedded mode's own wiring (its SQLite files, its in-process mail sink, threads and "
                 "stop()); tests/integration/test_make_up.py checks the stack's")

SUBJECT = "【ハローワーク】パスワード登録申込受付通知"


def test_the_system_runs_on_its_own_var_dir_and_a_free_port(system, tmp_path_factory):
    assert system.port not in (0, 8080)
    assert str(system.settings.var_dir).startswith(str(tmp_path_factory.getbasetemp()))
    for name in system.services:
        assert (system.settings.var_dir / f"{name}.db").is_file()


def test_healthz_and_readyz(system, call):
    health = call("GET", "/healthz")
    assert health.status == 200 and health.json() == {"status": "ok"}
    ready = call("GET", "/readyz")
    assert ready.status == 200, ready.data
    assert set(ready.json()["services"]) == set(system.services)


def test_api_docs_is_swagger_ui_in_html(call):
    page = call("GET", "/api/docs")
    assert page.status == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert b"swagger-ui-bundle.js" in page.data
    assert call("GET", "/api/docs/swagger-ui-bundle.js").status == 200


def test_the_merged_openapi_document_has_the_paths_of_every_service(system, call):
    response = call("GET", "/api/docs/openapi.json")
    assert response.status == 200
    merged = response.json()
    assert merged["openapi"].startswith("3.1")
    assert "x-unavailable-services" not in merged
    assert "bearerAuth" in merged["components"]["securitySchemes"]
    with_paths = 0
    for name, service in system.services.items():
        own = json.loads(service.app.test_client().get("/openapi.json").data)
        for path, item in (own.get("paths") or {}).items():
            assert path in merged["paths"], f"{name}: {path}"
            assert set(item) <= set(merged["paths"][path]), f"{name}: {path}"
        with_paths += bool(own.get("paths"))
    assert with_paths or not merged["paths"]


def test_an_unknown_api_path_is_a_404_problem(call):
    response = call("GET", "/api/v1/no-such-thing", **{"Accept-Language": "en"})
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "The resource was not found"
    assert response.headers["X-Request-ID"]


def test_the_landing_page_is_japanese(call):
    page = call("GET", "/")
    assert page.status == 200
    assert "<title>求職者マイページ</title>" in page.data.decode()


def test_a_mail_sent_over_smtp_to_the_sink_is_listed_at_dev_mail(system, call):
    assert system.sink is not None and system.smtp_url.startswith("smtp://127.0.0.1:")
    for service in system.services.values():
        assert service.runtime.settings.smtp_url == system.smtp_url
    before = system.sink.received
    send_mail(system.smtp_url, "system@mail.hellowork.mhlw.go.jp", "taro@example.jp", SUBJECT,
              "求職 太郎様\n認証キー：K7Q2M9XA\n")
    assert system.sink.wait_for(before + 1, timeout=10)

    def listed():
        items = call("GET", "/dev/mail.json").json()["items"]
        return next((item for item in items if item["subject"] == SUBJECT), None)

    mail = eventually(listed, timeout=10, message="the mail at /dev/mail.json")
    assert mail["to"] == "taro@example.jp"
    assert "認証キー：K7Q2M9XA" in mail["text"]
    page = call("GET", "/dev/mail")
    assert page.status == 200
    assert SUBJECT in page.data.decode() and "認証キー：K7Q2M9XA" in page.data.decode()


def test_stop_closes_the_port_the_threads_and_the_sink(tmp_path):
    system = EmbeddedSystem(isolated_environ(tmp_path)).start()
    port, smtp_port = system.port, system.sink.port
    threads = list(system.threads)
    system.stop()
    assert system.stop_event.is_set()
    assert not any(thread.is_alive() for thread in threads)
    for closed in (port, smtp_port):
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", closed), timeout=2):
            pass
    system.stop()  # twice is harmless


def test_every_service_that_exists_is_running(system):
    for name in SERVICES:
        try:
            __import__(f"services.{name}.app")
        except ModuleNotFoundError:
            continue
        assert name in system.services


def test_demo_events_flow_through_the_outbox_and_are_all_confirmed(system, call):
    """E2 in the embedded mode: the demo seeker's registration is relayed, seen on the bus, and
    every outbox row of every service ends up sent (the dev event tap makes each event routable)."""

    def registered():
        items = call("GET", "/dev/events.json").json()["items"]
        return next((e for e in items if e["type"] == "profile.seeker.registered.v1"), None)

    event = eventually(registered, timeout=15, message="profile.seeker.registered.v1 at /dev/events.json")
    assert event["source"] == "/mypage/profile" and event["specversion"] == "1.0"
    assert "name" not in event["data"]

    def unsent():
        from sqlalchemy import func, select

        total = 0
        for service in system.services.values():
            outbox = service.runtime.outbox
            with service.runtime.engine.connect() as connection:
                total += connection.execute(
                    select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))).scalar()
        return total == 0

    eventually(unsent, timeout=15, message="every outbox row sent")
    page = call("GET", "/dev/events")
    assert page.status == 200 and "profile.seeker.registered.v1" in page.data.decode()
