"""python -m gateway [--distributed] [--bind HOST:PORT] — the gateway.

Without --distributed: the embedded mode, the same as `python -m gateway.embedded` (`make run`).
With --distributed (deploy/): the gateway alone under gunicorn, reaching the services over HTTP
at MYPAGE_<SERVICE>_URL (e.g. MYPAGE_AUTH_URL=http://127.0.0.1:8101); a comma list names a service's
replicas, which take requests in turn (MYPAGE_JOBS_URL=http://127.0.0.1:8103,http://127.0.0.1:8113).
"""

from __future__ import annotations

import argparse
import logging
import os
import threading

from gateway.app import create_gateway
from gateway.backends import http_backends_from_env
from gateway.routes import services
from gateway.security import SessionGuard
from kit.logs import GunicornLogger, configure_logging
from kit.metrics import enable_multiprocess, process_exited
from kit.settings import Settings


def build_gateway(environ=None):
    """The gateway app of the distributed mode, configured from the environment."""
    environ = os.environ if environ is None else environ
    settings = Settings.from_env("gateway", environ)
    guard = SessionGuard.from_settings(settings)
    guard.revoked.start(settings, threading.Event())  # S5: this process's own revocation queue
    return create_gateway(http_backends_from_env(environ, required=services()), settings, authenticate=guard)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__.splitlines()[0])
    parser.add_argument("--distributed", action="store_true",
                        help="reach the services over HTTP at MYPAGE_<SERVICE>_URL (default: embedded mode)")
    parser.add_argument("--bind", default=None, help="host:port (default 127.0.0.1:<MYPAGE_PORT>)")
    parser.add_argument("--workers", type=int, default=2, help="--distributed: gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=8, help="--distributed: threads per worker")
    args = parser.parse_args(argv)
    if not args.distributed:
        _embedded(args.bind)
        return
    configure_logging()
    clean_metrics = enable_multiprocess()  # §8: /metrics adds up every gunicorn worker (before any metric)
    settings = Settings.from_env("gateway")
    http_backends_from_env(os.environ, required=services())  # fail now, not in every worker
    bind = args.bind or f"127.0.0.1:{settings.port}"

    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", bind)
            self.cfg.set("workers", args.workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", args.threads)
            self.cfg.set("logger_class", GunicornLogger)  # JSON; the app logs each request (kit.logs)
            self.cfg.set("child_exit", lambda _server, worker: process_exited(worker.pid))
            self.cfg.set("on_exit", lambda _server: clean_metrics())

        def load(self):
            # In each worker: connection pools are never shared across a fork.
            return build_gateway()

    logging.getLogger("mypage.gateway").info("gateway on %s", bind)
    _Gunicorn().run()


def _embedded(bind: str | None) -> None:
    from gateway import embedded

    if bind:
        host, _, port = bind.rpartition(":")
        os.environ["MYPAGE_HOST"] = host or "127.0.0.1"
        os.environ["MYPAGE_PORT"] = port
    raise SystemExit(embedded.main())


if __name__ == "__main__":
    main()
