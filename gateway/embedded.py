"""python -m gateway.embedded — the whole system in one process (`make run`, DESIGN §4).

One process runs the gateway and the five services: kombu `memory://`, one SQLite file per
service under var/ (MYPAGE_VAR_DIR), each service's relay and consumer as threads, a local
SMTP sink whose mails /dev/mail shows (unless MYPAGE_SMTP_URL names a real server), and demo
data loaded once into empty databases. The gateway calls the services' WSGI apps directly.

Start-up order:
 1. the mail sink (so every service's settings carry its smtp_url);
 2. each service: settings → services.<name>.app.build_runtime → migrate → create_app;
 3. each service's background threads (kit.background.start_background), so consumers
    are bound before any demo event is published;
 4. demo data (services.<name>.demo.load_demo(runtime)) where that module exists and the
    service's own tables are empty;
 5. the gateway on a threaded WSGI server (MYPAGE_HOST:MYPAGE_PORT, default 127.0.0.1:8080).
`stop()` undoes it in reverse: stop flag, HTTP server, threads joined, mail sink, engines.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType

from sqlalchemy import exists, select
from werkzeug.serving import WSGIRequestHandler, make_server

from gateway.app import create_gateway
from gateway.backends import InProcessBackend
from gateway.security import SessionGuard
from kit.clock import Clock
from kit.inbox import INBOX_TABLE
from kit.logs import configure_logging
from kit.outbox import OUTBOX_TABLE
from kit.runtime import Runtime
from kit.settings import SERVICES, Settings

log = logging.getLogger("mypage.embedded")

# Seekers first: jobs' and auth's demo rows refer to the demo seeker profile registers.
DEMO_ORDER = ("profile", "jobs", "auth", "messaging", "retention")
JOIN_TIMEOUT = 10.0


@dataclass
class EmbeddedService:
    """One service running inside the embedded process."""

    name: str
    runtime: Runtime
    app: object


class _RawTargetHandler(WSGIRequestHandler):
    """The request target as the client sent it in RAW_URI, as gunicorn gives it: Python's http.server folds a
    leading `//` into `/` before Werkzeug reads it, so `//api/v1/terms` passed the gateway's canonical-path check
    (gateway.paths) here and was refused in the distributed mode."""

    def make_environ(self):
        environ = super().make_environ()
        parts = self.requestline.split(" ")  # the request line as received (latin-1, as WSGI strings are)
        if len(parts) == 3:
            environ["RAW_URI"] = environ["REQUEST_URI"] = parts[1]
        return environ


class EmbeddedSystem:
    """The gateway and every service in this process. `start()`, then `stop()` (or use `with`)."""

    def __init__(self, environ: Mapping[str, str] | None = None, *, clock: Clock | None = None) -> None:
        self.environ = dict(os.environ if environ is None else environ)
        self.settings = Settings.from_env("gateway", self.environ)
        self.host = self.environ.get("MYPAGE_HOST", "127.0.0.1")
        self.clock = clock
        self.demo = self.environ.get("MYPAGE_DEMO", "1").lower() not in ("0", "false", "no")
        self.demo_activity = self.environ.get("MYPAGE_DEMO_ACTIVITY", "1").lower() not in ("0", "false", "no")
        self.stop_event = threading.Event()
        self.services: dict[str, EmbeddedService] = {}
        self.threads: list[threading.Thread] = []
        self.sink = None
        self.smtp_url = self.settings.smtp_url
        self.app = None
        self.event_tap = None
        self._server = None
        self._server_thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> EmbeddedSystem:
        try:
            self._start_mail_sink()
            self._build_services()
            self._start_background()
            if self.demo:
                self._load_demo_data()
            # DESIGN §5/S5: tokens checked against auth's JWKS; revocations heard on the in-process bus
            guard = SessionGuard.from_settings(self.settings, clock=self.clock)
            self.threads.append(guard.revoked.start(self.settings, self.stop_event))
            self.app = create_gateway(
                {name: InProcessBackend(name, service.app) for name, service in self.services.items()},
                self.settings.with_(smtp_url=self.smtp_url),
                authenticate=guard,
                mail_dir=self.mail_dir,
                event_tap=self.event_tap,
            )
            self._serve()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop everything this system started; safe to call twice."""
        self.stop_event.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._server_thread is not None:
            self._server_thread.join(JOIN_TIMEOUT)
            self._server_thread = None
        for thread in self.threads:
            thread.join(JOIN_TIMEOUT)
            if thread.is_alive():
                log.warning("thread %s did not stop within %.0f s", thread.name, JOIN_TIMEOUT)
        self.threads = []
        if self.sink is not None:
            self.sink.stop()
            self.sink = None
        for service in self.services.values():
            service.runtime.dispose()
        self.services = {}

    def __enter__(self) -> EmbeddedSystem:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._server.server_port if self._server is not None else self.settings.port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def mail_dir(self):
        return self.settings.var_dir / "mail"

    # -- steps -------------------------------------------------------------------------------

    def _start_mail_sink(self) -> None:
        if self.smtp_url:
            log.info("mail goes to MYPAGE_SMTP_URL; no local sink")
            return
        from kit.devmail import MailSink

        port = int(self.environ.get("MYPAGE_DEVMAIL_PORT", "0"))
        self.sink = MailSink(self.mail_dir, host="127.0.0.1", port=port).start()
        self.smtp_url = self.sink.url

    def _build_services(self) -> None:
        for name in SERVICES:
            app_module = importlib.import_module(f"services.{name}.app")
            settings = self._service_settings(name)
            runtime = app_module.build_runtime(settings, clock=self.clock)
            self.services[name] = EmbeddedService(name, runtime, None)
            runtime.migrate()
            self.services[name].app = app_module.create_app(runtime=runtime)

    def _service_settings(self, name: str) -> Settings:
        config = _optional_module(f"services.{name}.config")
        if config is not None and hasattr(config, "load_settings"):
            return config.load_settings(self.environ, smtp_url=self.smtp_url)
        return Settings.from_env(name, self.environ, smtp_url=self.smtp_url)

    def _start_background(self) -> None:
        from gateway.dev_events import EventTap
        from kit.background import start_background

        # The tap first: every event has a route from the start (see gateway/dev_events.py).
        self.event_tap = EventTap(self.settings.amqp_url, self.settings.exchange)
        tap = threading.Thread(target=self.event_tap.run_forever, args=(self.stop_event,),
                               name="dev-events", daemon=True)
        tap.start()
        self.threads.append(tap)
        if not self.event_tap.ready.wait(JOIN_TIMEOUT):
            log.warning("the development event tap did not start")
        for service in self.services.values():
            self.threads.extend(start_background(service.runtime, self.stop_event))

    def _load_demo_data(self) -> None:
        load_demo_data({name: service.runtime for name, service in self.services.items()}, activity=self.demo_activity)

    def _serve(self) -> None:
        port = self.settings.port
        self._server = make_server(self.host, port, self.app, threaded=True, request_handler=_RawTargetHandler)
        self._server_thread = threading.Thread(target=self._server.serve_forever, name="gateway-http",
                                               daemon=True)
        self._server_thread.start()

    # -- output ------------------------------------------------------------------------------

    def banner(self) -> str:
        base = self.url.rstrip("/")
        lines = [
            "求職者マイページ（組み込みモード）を起動しました / My Page (embedded mode) is running",
            f"  ウェブ       {base}/",
            f"  API 文書     {base}/api/docs",
        ]
        if self.sink is not None:
            lines.append(f"  メール確認   {base}/dev/mail   (SMTP {self.smtp_url})")
        else:
            lines.append(f"  メール送信先 {self.smtp_url}")
        lines.append(f"  データ       {self.settings.var_dir}")
        lines.append("Ctrl-C で停止します。")
        return "\n".join(lines)


def load_demo_data(runtimes: Mapping[str, Runtime], *, activity: bool = True) -> None:
    """DESIGN §4's demo data (services.<name>.demo.load_demo), in DEMO_ORDER, into each service whose
    data is missing — the embedded mode's and `make up`'s (deploy/up.py); then, with `activity`, the
    demo seeker's My Page in use (services.<name>.demo.load_activity: referrals, an application,
    messages, notices …, each loaded once; MYPAGE_DEMO_ACTIVITY=0 leaves the seeker's My Page empty)."""
    for name in DEMO_ORDER:
        runtime = runtimes.get(name)
        demo = _optional_module(f"services.{name}.demo")
        if runtime is None or demo is None:
            continue
        if hasattr(demo, "load_demo"):
            _load_demo(name, demo, runtime)
        if activity and hasattr(demo, "load_activity") and demo.load_activity(runtime):
            log.info("%s: the demo seeker's activity loaded", name)


def _load_demo(name: str, demo: ModuleType, runtime: Runtime) -> None:
    # A service whose tables also fill from other services' events (jobs' seeker_status)
    # says itself whether its demo data is missing.
    needed = getattr(demo, "demo_needed", None)
    if not (needed(runtime) if needed else own_tables_empty(runtime)):
        log.info("%s: data present, demo data not loaded", name)
        return
    log.info("%s: loading demo data", name)
    demo.load_demo(runtime)


def own_tables_empty(runtime: Runtime) -> bool:
    """True when the service has tables of its own and none holds a row (outbox/inbox aside)."""
    tables = [t for t in runtime.metadata.sorted_tables if t.name not in (OUTBOX_TABLE, INBOX_TABLE)]
    if not tables:
        return False
    with runtime.engine.connect() as connection:
        return not any(connection.execute(select(exists().select_from(table))).scalar() for table in tables)


def _optional_module(name: str) -> ModuleType | None:
    """Import `name`, or None when that module (or its package) does not exist.

    An ImportError raised *inside* an existing module is a real bug and propagates.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name and (name == error.name or name.startswith(error.name + ".")):
            return None
        raise


def main(argv: list[str] | None = None) -> int:
    """`make run`: start, print the banner, wait for Ctrl-C (or SIGTERM), stop cleanly."""
    configure_logging()
    # The gateway writes its own JSON access log; aiosmtpd logs every SMTP connection at INFO.
    for noisy in ("werkzeug", "mail.log"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    system = EmbeddedSystem()
    signal.signal(signal.SIGTERM, lambda *_: system.stop_event.set())
    try:
        system.start()
        print(system.banner(), flush=True)
        system.stop_event.wait()
    except KeyboardInterrupt:
        pass
    finally:
        print("停止しています… / stopping…", file=sys.stderr, flush=True)
        system.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
