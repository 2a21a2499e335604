"""The development mail sink (DESIGN §4): an SMTP server that keeps every mail as a .eml file.

The embedded mode starts one on 127.0.0.1 and points the services' MYPAGE_SMTP_URL at it;
the gateway's /dev/mail page lists what arrived. Never used in production.

    sink = MailSink(var_dir / "mail").start()     # sink.url == "smtp://127.0.0.1:<port>"
    ...
    read_mailbox(sink.directory)                   # newest first
    sink.stop()
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from aiosmtpd.controller import Controller

log = logging.getLogger("mypage.devmail")

MAIL_SUFFIX = ".eml"


class _StoreHandler:
    """aiosmtpd handler: write each accepted message to `directory` (atomically: temp file, rename)."""

    def __init__(self, directory: Path, on_message=None) -> None:
        self.directory = directory
        self.on_message = on_message

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's hook name
        received = datetime.now(UTC)
        name = f"{received:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}"
        trace = (f"X-Envelope-From: {envelope.mail_from}\r\n"
                 f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
                 f"X-Received-At: {received.isoformat()}\r\n").encode()
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode()
        self.directory.mkdir(parents=True, exist_ok=True)
        temporary = self.directory / f".{name}.tmp"
        temporary.write_bytes(trace + content)
        os.replace(temporary, self.directory / (name + MAIL_SUFFIX))
        if self.on_message is not None:
            self.on_message(name)
        return "250 Message accepted for delivery"


class _BoundController(Controller):
    """A Controller serving on a socket bound beforehand, so port 0 (any free port) works."""

    def __init__(self, handler, sock: socket.socket, **kwargs) -> None:
        host, port = sock.getsockname()[:2]
        super().__init__(handler, hostname=host, port=port, **kwargs)
        self._sock = sock

    def _create_server(self):
        return self.loop.create_server(self._factory_invoker, sock=self._sock, ssl=self.ssl_context)


class MailSink:
    """A local SMTP server that stores mail under `directory`; `port=0` picks a free port."""

    def __init__(self, directory: Path | str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.directory = Path(directory)
        self.host = host
        self.requested_port = port
        self.port: int | None = None
        self._controller: _BoundController | None = None
        self._arrived = threading.Condition()
        self._count = 0

    @property
    def url(self) -> str:
        if self.port is None:
            raise RuntimeError("the mail sink is not running")
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailSink:
        self.directory.mkdir(parents=True, exist_ok=True)
        sock = socket.create_server((self.host, self.requested_port), reuse_port=False)
        self.port = sock.getsockname()[1]
        handler = _StoreHandler(self.directory, on_message=self._notify)
        self._controller = _BoundController(handler, sock, server_hostname="mypage-devmail")
        try:
            self._controller.start()
        except Exception:
            sock.close()
            self.port = None
            raise
        log.info("development mail sink on %s, storing in %s", self.url, self.directory)
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
        self.port = None

    def __enter__(self) -> MailSink:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def _notify(self, _name: str) -> None:
        with self._arrived:
            self._count += 1
            self._arrived.notify_all()

    @property
    def received(self) -> int:
        """How many mails this sink accepted since it started."""
        with self._arrived:
            return self._count

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Block until `count` mails arrived since start (True) or `timeout` passed (False)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self._count >= count, timeout)


@dataclass(frozen=True)
class StoredMail:
    """One mail in the sink, decoded for reading (subject and text body as str)."""

    id: str
    received_at: datetime
    mail_from: str
    to: str
    subject: str
    text: str

    def to_dict(self) -> dict:
        return {"id": self.id, "received_at": self.received_at.isoformat(), "from": self.mail_from,
                "to": self.to, "subject": self.subject, "text": self.text}


def read_mailbox(directory: Path | str, limit: int = 200) -> list[StoredMail]:
    """The mails stored under `directory`, newest first (at most `limit`)."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    paths = sorted(folder.glob("*" + MAIL_SUFFIX), key=lambda p: p.name, reverse=True)[:limit]
    mails = []
    for path in paths:
        try:
            mails.append(read_mail(path))
        except OSError:  # removed while listing
            continue
    return mails


def read_mail(path: Path) -> StoredMail:
    """Parse one stored .eml file."""
    message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    received = message.get("X-Received-At")
    try:
        received_at = datetime.fromisoformat(received) if received else parsedate_to_datetime(message["Date"])
    except (TypeError, ValueError):
        received_at = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    body = message.get_body(preferencelist=("plain", "html"))
    try:
        text = body.get_content() if body is not None else ""
    except (LookupError, ValueError):
        text = body.get_payload(decode=True).decode("utf-8", "replace") if body is not None else ""
    return StoredMail(
        id=path.stem,
        received_at=received_at,
        mail_from=str(message.get("From", "")),
        to=str(message.get("To") or message.get("X-Envelope-To", "")),
        subject=str(message.get("Subject", "")),
        text=text.replace("\r\n", "\n"),
    )


def mail_path(directory: Path | str, mail_id: str) -> Path | None:
    """The .eml file of `mail_id` in `directory`, or None (ids never name a path outside it)."""
    if not mail_id or "/" in mail_id or "\\" in mail_id or mail_id.startswith("."):
        return None
    path = Path(directory) / (mail_id + MAIL_SUFFIX)
    return path if path.is_file() else None
