"""The auth service in process: a FrozenClock, SQLite in tmp_path, a mailbox that records what the
dispatcher would send, and helpers that walk the flows (register → open → log in)."""

from __future__ import annotations

import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from flask import Flask, jsonify, request

from gateway.security import RevokedSessions
from kit import topology
from kit.clock import FrozenClock
from kit.events import Event
from kit.publisher import OutgoingMessage, make_publisher
from kit.settings import Settings
from kit.testing.plugin import eventually
from services.auth import terms
from services.auth.app import create_app
from services.auth.handlers import SUBSCRIPTIONS
from services.auth.mail import MailDispatcher

PASSWORD = "Taro@2026x"
BIRTH_DATE = "1990-04-01"
KEY_LINE = re.compile(r"認証キー：(\S+)")
OTP_LINE = re.compile(r"ワンタイムパスワード：(\d{6})")


def wrong_otp(otp: str) -> str:
    """Six digits that are not `otp`."""
    return f"{(int(otp) + 1) % 10**6:06d}"


@dataclass
class SentMail:
    to: str
    subject: str
    body: str
    headers: dict = field(default_factory=dict)


@dataclass
class Mailbox:
    """What the dispatcher handed to 'SMTP' (a recording stand-in; the e2e tests use a real sink)."""

    sent: list[SentMail] = field(default_factory=list)

    def send(self, smtp_url, mail_from, to, subject, body, headers=None):
        self.sent.append(SentMail(to, subject, body, dict(headers or {})))
        return f"<{uuid.uuid4().hex}@test>"

    def last_key(self, to: str) -> str:
        return KEY_LINE.search(self.last(to).body).group(1)

    def last_otp(self, to: str) -> str:
        return OTP_LINE.search(self.last(to).body).group(1)

    def last(self, to: str) -> SentMail:
        return [mail for mail in self.sent if mail.to == to][-1]

    def to(self, to: str) -> list[SentMail]:
        return [mail for mail in self.sent if mail.to == to]


class AuthWorld:
    """The auth app plus the steps every test needs (SQLite in tmp_path unless a database URL is given)."""

    def __init__(self, tmp_path, clock: FrozenClock, database_url: str | None = None) -> None:
        self.clock = clock
        settings = Settings.from_env("auth", {"MYPAGE_VAR_DIR": str(tmp_path)},
                                     database_url=database_url or f"sqlite:///{tmp_path / 'auth.db'}",
                                     smtp_url="smtp://unused:25")
        self.app = create_app(settings, clock=clock)
        self.runtime = self.app.extensions["runtime"]
        self.runtime.migrate()
        self.ctx = self.app.extensions["auth"]
        self.client = self.app.test_client()
        self.mailbox = Mailbox()
        self.dispatcher = MailDispatcher(self.runtime, send=self.mailbox.send)
        self.events = []

    # -- events in ---------------------------------------------------------------------------------
    def deliver(self, event_type: str, data: dict) -> Event:
        event = Event(type=event_type, data=data, source="/mypage/profile", subject=data.get("seeker_id"))
        with self.runtime.uow() as uow:
            SUBSCRIPTIONS[event_type](event, uow)
            uow.commit()
        return event

    def register(self, email: str | None = None, birth_date: str = BIRTH_DATE, seeker_id: str | None = None,
                 seeker_number: str | None = None) -> dict:
        seeker_id = seeker_id or str(uuid.uuid4())
        data = {"seeker_id": seeker_id, "seeker_number": seeker_number or f"11040-{uuid.uuid4().int % 10**8:08d}",
                "email": email or f"{seeker_id[:8]}@example.jp", "birth_date": birth_date}
        self.deliver("profile.seeker.registered.v1", data)
        return data

    # -- events out --------------------------------------------------------------------------------
    def published(self, event_type: str | None = None) -> list[Event]:
        with self.runtime.engine.connect() as connection:
            rows = connection.execute(self.runtime.outbox.select().order_by(self.runtime.outbox.c.id)).all()
        events = [Event.from_json(row.body) for row in rows]
        return [e for e in events if event_type is None or e.type == event_type]

    # -- flows -------------------------------------------------------------------------------------
    def request_opening(self, email: str, birth_date: str = BIRTH_DATE, **headers):
        current = terms.current()
        return self.client.post("/api/v1/auth/opening", headers=headers, json={
            "email": email, "birth_date": birth_date, "terms_version": current.terms.version,
            "privacy_version": current.privacy_policy.version})

    def deliver_mail(self) -> int:
        return self.dispatcher.run_once()

    def complete_opening(self, email: str, key: str, password: str = PASSWORD, **headers):
        return self.client.post("/api/v1/auth/opening/complete", headers=headers,
                                json={"email": email, "auth_key": key, "password": password})

    def open_mypage(self, email: str | None = None, password: str = PASSWORD, **registration) -> dict:
        seeker = self.register(email=email, **registration)
        assert self.request_opening(seeker["email"], seeker["birth_date"]).status_code == 202
        assert self.deliver_mail() == 1
        response = self.complete_opening(seeker["email"], self.mailbox.last_key(seeker["email"]), password)
        assert response.status_code == 201, response.json
        return seeker

    def login(self, email: str, password: str = PASSWORD, **extra):
        return self.client.post("/api/v1/auth/login", json={"email": email, "password": password, **extra})

    def otp_challenge(self, email: str, password: str = PASSWORD) -> tuple[str, str]:
        """A7's first step with the right password: the login ticket and the OTP mailed for it."""
        answer = self.login(email, password)
        assert answer.status_code == 200 and answer.json["otp_required"] is True, answer.json
        self.deliver_mail()
        return answer.json["login_ticket"], self.mailbox.last_otp(email)

    def login_fully(self, email: str, password: str = PASSWORD, *, client: str = "mobile",
                    remember_device: bool = False) -> dict:
        answer = self.login(email, password)
        assert answer.status_code == 200, answer.json
        self.deliver_mail()
        response = self.client.post("/api/v1/auth/login/otp", json={
            "login_ticket": answer.json["login_ticket"], "otp": self.mailbox.last_otp(email),
            "remember_device": remember_device, "client": client})
        assert response.status_code == 200, response.json
        return response.json

    def reset_password(self, seeker: dict, password: str):
        """A8: ask for a reset key, read it from the mail, set `password` with it; the completion's answer."""
        self.client.post("/api/v1/auth/password-reset", json={"email": seeker["email"],
                                                               "birth_date": seeker["birth_date"]})
        self.deliver_mail()
        return self.client.post("/api/v1/auth/password-reset/complete", json={
            "email": seeker["email"], "auth_key": self.mailbox.last_key(seeker["email"]), "password": password})

    def bearer(self, tokens: dict) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    def staff_headers(self) -> dict[str, str]:
        response = self.client.post("/api/v1/auth/token", json={
            "grant_type": "client_credentials", "client_id": "counter", "client_secret": "counter-dev-secret"})
        assert response.status_code == 200, response.json
        return {"Authorization": f"Bearer {response.json['access_token']}"}

    def advance(self, **kwargs) -> None:
        self.clock.advance(timedelta(**kwargs))


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock("2026-11-26T09:00:00+00:00")


@pytest.fixture
def world(tmp_path, clock):
    world = AuthWorld(tmp_path, clock)
    yield world
    world.runtime.dispose()


# -- the gateway in front of auth: a backend that echoes, the revocation listener fed through a bus ----------

def echo_backend() -> Flask:
    """A backend answering every path with the path it got (the gateway's tests look at its status codes)."""
    app = Flask("echo")

    @app.route("/<path:path>", methods=["GET", "POST", "PUT", "DELETE"])
    def echo(path):
        return jsonify(path=request.path)

    return app


def through_the_listener(bus, event: Event, session_ids: list[str]) -> RevokedSessions:
    """Publish `event` on the bus to a listening RevokedSessions; return it once `session_ids` arrived
    (and the listener stopped, its queue gone)."""
    revoked = RevokedSessions()
    stop = threading.Event()
    thread = threading.Thread(target=revoked.listen, args=(bus.url, bus.exchange, stop), daemon=True)
    thread.start()
    try:
        assert revoked.ready.wait(5)
        publisher = make_publisher(bus.url, bus.exchange)
        try:
            outcomes = publisher.publish([OutgoingMessage.from_outbox(event.id, event.type, event.to_json())], 5)
        finally:
            publisher.close()
        assert [o.name for o in outcomes] == ["CONFIRMED"]
        eventually(lambda: all(sid in revoked for sid in session_ids), message="the revocation to arrive")
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()
    assert not any(name.startswith(topology.queue_prefix(bus.exchange) + ".gateway")
                   for name in memory_queues())
    return revoked


def memory_queues() -> list[str]:
    """The queues the memory:// transport holds (a stopped listener leaves none behind)."""
    from kombu.transport import memory

    return list(memory.Channel.queues)
