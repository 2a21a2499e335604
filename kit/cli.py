"""The command line of every service: python -m services.<name> web|worker|relay|migrate|parked."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Callable, Mapping

from kit.logs import configure_logging


def main(name: str, *, build_runtime: Callable, create_app: Callable, argv: list[str] | None = None,
         commands: Mapping[str, Callable] | None = None) -> None:
    """Run one command of service `name`; `commands` adds one-shot commands of its own, each called with
    the runtime (e.g. retention's `sweep`, run by a CronJob)."""
    extra = dict(commands or {})
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["parked"]:
        sys.exit(_parked(name, build_runtime, argv[1:]))
    parser = argparse.ArgumentParser(prog=f"python -m services.{name}")
    parser.add_argument("command", choices=["web", "worker", "relay", "migrate", "parked", *extra],
                        help="parked: list, show, replay or drop parked messages (`parked --help`)")
    parser.add_argument("--bind", default=None, help="web: host:port (default 127.0.0.1:<MYPAGE_PORT>); "
                        "worker, relay: where /healthz and /metrics answer (default 127.0.0.1:"
                        "<MYPAGE_<SERVICE>_<WORKER|RELAY>_METRICS_PORT>, else a free port, logged)")
    parser.add_argument("--workers", type=int, default=2, help="web: gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="web: threads per worker (a request waiting on "
                        "the database or the search node does not hold up the others)")
    args = parser.parse_args(argv)
    configure_logging()
    clean_metrics = None
    if args.command == "web":
        from kit.metrics import enable_multiprocess

        clean_metrics = enable_multiprocess()  # before build_runtime/create_app make any metric
    runtime = build_runtime()
    if args.command in extra:
        extra[args.command](runtime)
    elif args.command == "migrate":
        runtime.migrate()
        if not runtime.settings.embedded:
            from kit import topology

            with topology.connection(runtime.settings.amqp_url) as conn:
                publishes = runtime.publishes
                topology.declare_service_topology(
                    conn, runtime.name, runtime.subscriptions.keys(),
                    archived_types=[spec.type for spec in publishes if not spec.personal_data],
                    personal_types=[spec.type for spec in publishes if spec.personal_data],
                    discarded_types=[spec.type for spec in publishes if spec.outside_only],
                    exchange_name=runtime.settings.exchange, parking_ttl_days=runtime.settings.parking_ttl_days,
                    retry_delays=runtime.settings.retry_delays)
    elif args.command == "web":
        _serve(create_app(runtime=runtime), args.bind or f"127.0.0.1:{runtime.settings.port}", args.workers,
               args.threads, clean_metrics)
    elif args.command == "worker":
        from kit.background import run_consumer

        run_consumer(runtime, _stop_on_signal(), health_bind=_health_bind(args.bind, runtime, "worker"))
    elif args.command == "relay":
        from kit.background import run_relay

        run_relay(runtime, _stop_on_signal(), health_bind=_health_bind(args.bind, runtime, "relay"))


def _parked(name: str, build_runtime: Callable, argv: list[str]) -> int:
    """S11/§8: `parked list | show ID | replay ID | replay --all | drop ID` (kit.parked)."""
    from kit import parked

    args = parked.parse(name, argv)  # an operator's tool: plain text on stdout, no JSON log set-up
    return parked.run(build_runtime(), args)


def _health_bind(bind: str | None, runtime, role: str) -> str:
    """§8: where a worker's or relay's /healthz and /metrics answer."""
    port = runtime.settings.options.get(f"{role}_metrics_port", "0")
    return bind or f"127.0.0.1:{port}"


def _stop_on_signal() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


def _serve(app, bind: str, workers: int, threads: int, clean_metrics: Callable[[], None]) -> None:
    from gunicorn.app.base import BaseApplication

    from kit.logs import GunicornLogger
    from kit.metrics import process_exited

    class _Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", bind)
            self.cfg.set("workers", workers)
            # gthread, as the gateway: keep-alive connections from the gateway, and a request waiting on I/O
            # (the search node, PostgreSQL) no longer blocks its worker (every service is thread-safe: the
            # embedded mode serves them all from one threaded server)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("logger_class", GunicornLogger)  # JSON; the app logs each request (kit.logs)
            self.cfg.set("child_exit", lambda _server, worker: process_exited(worker.pid))
            self.cfg.set("on_exit", lambda _server: clean_metrics())

        def load(self):
            return app

    logging.getLogger("mypage").info("serving on %s", bind)
    _Gunicorn().run()
