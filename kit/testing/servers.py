"""Private, disposable RabbitMQ, PostgreSQL and Groonga servers for resilience tests (S9, S10, S11) and search.

Each runs from its own temporary directory on free ports, so a test can `kill()` (SIGKILL),
`pause()` (SIGSTOP), `resume()` (SIGCONT) and `restart()` it without touching the shared
servers. Use them as context managers: they stop and remove their directory even when the
test fails (and an atexit hook catches what a crashed test left behind).

    with PrivateRabbitMQ() as rabbit:
        rabbit.kill(); rabbit.restart()
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

RABBITMQ_SERVER = "/usr/lib/rabbitmq/bin/rabbitmq-server"
POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")
START_TIMEOUT = 120.0
_LIVE: set[_PrivateServer] = set()


def free_port() -> int:
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not within {timeout:.0f} s")
        pause.wait(0.2)


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), 0.5):
            return True
    except OSError:
        return False


class _PrivateServer:
    """Lifecycle shared by both servers: a temp dir, one server process, signals, clean-up."""

    kind = "server"

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"mypage-{self.kind}-"))
        self.port = free_port()
        self._process: subprocess.Popen | None = None
        _LIVE.add(self)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        """The pid of the server process itself (the one signals are sent to)."""
        raise NotImplementedError

    def start(self) -> None:
        raise NotImplementedError

    def ready(self) -> bool:
        raise NotImplementedError

    def kill(self) -> None:
        """S9: SIGKILL the server — no shutdown, no flush — and wait until it is gone."""
        pid = self.pid
        os.kill(pid, signal.SIGKILL)
        _wait_for(lambda: not _alive(pid), 30, f"{self.kind} {pid} to die")
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(10)

    def pause(self) -> None:
        """S10: SIGSTOP — the server keeps its sockets open but answers nothing."""
        os.kill(self.pid, signal.SIGSTOP)

    def resume(self) -> None:
        """S10: SIGCONT after `pause()`."""
        os.kill(self.pid, signal.SIGCONT)

    def restart(self) -> None:
        """Start again on the same port and data directory (after `kill()` or `stop_server()`)."""
        self.start()

    def stop(self) -> None:
        """Stop the server whatever its state, then remove the temporary directory."""
        try:
            self.stop_server()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
            _LIVE.discard(self)

    def stop_server(self) -> None:
        with contextlib.suppress(Exception):
            pid = self.pid
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)  # a paused server cannot act on a signal
                os.kill(pid, signal.SIGKILL)
            _wait_for(lambda: not _alive(pid), 30, f"{self.kind} to stop")
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(10)
            self._process = None


def _children(pid: int) -> list[int]:
    """The pids whose parent is `pid` (from /proc)."""
    children = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
            if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                children.append(int(entry))
    return children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class PrivateRabbitMQ(_PrivateServer):
    """A RabbitMQ node of its own (`faulttest-<random>@localhost`); with `management=True` its
    management API answers at `api_url` (statistics sampled every 0.5 s), else the plugin is off."""

    kind = "rabbitmq"

    def __init__(self, *, management: bool = False) -> None:
        super().__init__()
        self.node = f"faulttest-{uuid.uuid4().hex[:8]}@localhost"
        self.dist_port = free_port()
        self.management_port = free_port() if management else None
        config = (
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            "loopback_users = none\n"
            "log.console = false\n"
            "log.file.level = warning\n"
        )
        if management:
            config += (f"management.tcp.ip = 127.0.0.1\nmanagement.tcp.port = {self.management_port}\n"
                       "collect_statistics_interval = 500\n")
        (self.directory / "rabbitmq.conf").write_text(config)
        (self.directory / "enabled_plugins").write_text("[rabbitmq_management].\n" if management else "[].\n")
        (self.directory / "rabbitmq-env.conf").write_text("")

    @property
    def url(self) -> str:
        return f"amqp://guest:guest@127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        if self.management_port is None:
            raise LookupError("started without management=True")
        return f"http://guest:guest@127.0.0.1:{self.management_port}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise ProcessLookupError("not started")
        return self._process.pid  # `RUNNING_UNDER_SYSTEMD` makes the script exec the Erlang VM

    def _environment(self) -> dict[str, str]:
        base = self.directory
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(base),  # its own Erlang cookie
            "LANG": "C.UTF-8",
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(base / "mnesia"),
            "RABBITMQ_LOG_BASE": str(base / "log"),
            "RABBITMQ_CONFIG_FILE": str(base / "rabbitmq.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(base / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(base / "enabled_plugins"),
            "RABBITMQ_CONF_ENV_FILE": str(base / "rabbitmq-env.conf"),
            "RABBITMQ_PID_FILE": str(base / "rabbitmq.pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
            "ERL_FLAGS": "-kernel inet_dist_use_interface {127,0,0,1}",
            "RUNNING_UNDER_SYSTEMD": "true",
        }

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the node and wait until it accepts AMQP connections."""
        log = open(self.directory / "stdout.log", "ab")  # noqa: SIM115 — owned by the child process
        self._process = subprocess.Popen(
            [RABBITMQ_SERVER], env=self._environment(), stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        _wait_for(self._ready_or_dead, timeout, f"private RabbitMQ on port {self.port}")
        if self._process.poll() is not None:
            raise RuntimeError(f"private RabbitMQ exited: {self.log_tail()}")

    def _ready_or_dead(self) -> bool:
        return self._process.poll() is not None or self.ready()

    def ready(self) -> bool:
        if not _port_open(self.port):
            return False
        from kombu import Connection

        try:
            with Connection(self.url, connect_timeout=2) as conn:
                conn.connect()
                return True
        except Exception:  # noqa: BLE001 — not ready yet
            return False

    def log_tail(self, lines: int = 30) -> str:
        text = (self.directory / "stdout.log").read_text(errors="replace")
        return "\n".join(text.splitlines()[-lines:])


class PrivatePostgreSQL(_PrivateServer):
    """A PostgreSQL 15 cluster of its own, run as the `postgres` OS user (initdb refuses root)."""

    kind = "postgres"

    def __init__(self) -> None:
        super().__init__()
        self.data = self.directory / "data"
        postgres = pwd.getpwnam("postgres")
        os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)
        initdb = [str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres"]
        self._as_postgres([*initdb, "--no-sync", "-E", "UTF8"], check=True)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @property
    def pid(self) -> int:
        pid_file = self.data / "postmaster.pid"
        return int(pid_file.read_text().splitlines()[0])

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the postmaster and wait until it accepts connections."""
        log = open(self.directory / "postgres.log", "ab")  # noqa: SIM115 — owned by the child process
        self._process = subprocess.Popen(
            ["runuser", "-u", "postgres", "--", str(POSTGRES_BIN / "postgres"), "-D", str(self.data),
             "-p", str(self.port), "-k", str(self.directory), "-c", "listen_addresses=127.0.0.1"],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        _wait_for(lambda: self._process.poll() is not None or self.ready(), timeout,
                  f"private PostgreSQL on port {self.port}")
        if self._process.poll() is not None:
            log_text = (self.directory / "postgres.log").read_text()
            raise RuntimeError(f"private PostgreSQL exited: {log_text[-2000:]}")

    def ready(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.url, connect_timeout=2):
                return True
        except psycopg.Error:
            return False

    def kill(self) -> None:
        """S10: SIGKILL the postmaster and every backend it started, as if the database host died.

        Killing the postmaster alone leaves its backends to notice and exit on their own; one still
        holding the shared memory would make the next `restart()` refuse to start.
        """
        children = _children(self.pid)
        super().kill()
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _wait_for(lambda: not any(_alive(pid) for pid in children), 30, "the killed cluster's backends to exit")

    def create_database(self) -> str:
        """A fresh, empty database in this cluster; its URL (postgresql://, for make_engine)."""
        import psycopg

        name = f"test_{uuid.uuid4().hex[:16]}"
        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def _as_postgres(self, command: list[str], *, check: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", "postgres", "--", *command], capture_output=True, check=check,
                              timeout=START_TIMEOUT)


class PrivateGroonga(_PrivateServer):
    """A Groonga HTTP server of its own (a search node, DESIGN §9) with a fresh database; its query
    cache off, so what a test or benchmark measures is the search itself."""

    kind = "groonga"
    binary = "groonga"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self._process.pid

    def start(self, timeout: float = START_TIMEOUT) -> None:
        database = self.directory / "db"
        if database.exists():  # a restart after a kill: what it was writing stays locked (deploy/groonga-server)
            subprocess.run([self.binary, str(database), "lock_clear"], check=True, capture_output=True, timeout=60)
        log = open(self.directory / "groonga.log", "ab")  # noqa: SIM115 — owned by the child process
        self._process = subprocess.Popen(
            [self.binary, "-s", "--protocol", "http", "--bind-address", "127.0.0.1", "-p", str(self.port),
             "--cache-limit", "0", "--log-path", str(self.directory / "groonga-server.log"),
             *([] if database.exists() else ["-n"]), str(database)],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        _wait_for(lambda: self._process.poll() is not None or self.ready(), timeout,
                  f"private Groonga on port {self.port}")
        if self._process.poll() is not None:
            raise RuntimeError(f"private Groonga exited: {(self.directory / 'groonga.log').read_text()[-2000:]}")

    def ready(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(f"{self.url}/d/status", timeout=1) as response:
                return response.status == 200
        except OSError:
            return False


@atexit.register
def _stop_leftovers() -> None:
    for server in list(_LIVE):
        server.stop()
