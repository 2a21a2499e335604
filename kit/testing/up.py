"""`make up` (python -m deploy.up, DESIGN §8) started for a test run, on the machine's RabbitMQ and PostgreSQL.

    with up.stack(tmp_dir, postgres_server_url, amqp_server_url, MYPAGE_JOBS_REPLICAS="2") as stack:
        GatewayClient(stack.url)("GET", "/api/v1/jobs")      # stack.mail_dir: the mail sink's folder

The stack is the test's own: its var dir, a block of free ports, databases and login roles created by
deploy/up.py and dropped afterwards, an exchange of its own (so its queues are the test's and are deleted
afterwards), and so are the RabbitMQ users `make up` creates for that exchange. It answers what
kit.testing.e2e's steps take of a system — `url` and `mail_dir` — like gateway.embedded.EmbeddedSystem.
Leaving the block runs `down`, then the clean-up, whatever happened.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from kit import broker_users, topology
from kit.settings import ROOT, SERVICES
from kit.testing.plugin import _delete_amqp_entities, eventually, unavailable
from kit.testing.servers import free_port

PORT_BLOCK = 260  # deploy/up.py's ports: base .. base+259
START_TIMEOUT = 300.0  # seconds to the banner: databases, migrations, demo data, every program ready


@dataclass
class UpStack:
    environ: dict[str, str]
    process: subprocess.Popen
    output: Path
    base_port: int
    gateway: str  # http://127.0.0.1:<MYPAGE_PORT>

    def ctl(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c",
                               self.environ["MYPAGE_VAR_DIR"] + "/up/supervisord.conf", *args],
                              capture_output=True, text=True, timeout=60)
        return done.stdout.strip()

    def pid(self, program: str) -> int:
        return int(self.ctl("pid", program) or 0)

    @property
    def url(self) -> str:
        """The gateway's base URL with a trailing slash, as EmbeddedSystem.url."""
        return self.gateway + "/"

    @property
    def mail_dir(self) -> Path:
        """Where the stack's mail sink stores mail (the gateway's /dev/mail)."""
        return Path(self.environ["MYPAGE_VAR_DIR"]) / "mail"

    def down(self) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "deploy.up", "down"], cwd=ROOT, env=self.environ,
                              capture_output=True, text=True, timeout=120)


def free_block() -> int:
    """A base port whose whole block is free right now, below the ephemeral range (where free_port() and
    every outgoing connection take theirs), so nothing else takes one of them meanwhile."""
    for _ in range(50):
        base = random.randrange(20000, 32000 - PORT_BLOCK, 10)
        try:
            for port in range(base, base + PORT_BLOCK):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return base
    raise RuntimeError("no free block of ports")


def delete_queues(amqp_url: str, prefix: str) -> None:
    """Every queue named `<prefix>.…` (the search node's, retry queues) — the broker lists them (rabbitmqctl)."""
    listed = subprocess.run(["rabbitmqctl", "list_queues", "--quiet", "--no-table-headers", "name"],
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert listed.returncode == 0, listed.stderr
    with topology.connection(amqp_url) as connection:
        for name in listed.stdout.split():
            if name.startswith(prefix + "."):
                connection.default_channel.queue_delete(name)


@contextlib.contextmanager
def stack(tmp: Path, postgres_server_url: str, amqp_server_url: str, **settings: str) -> Iterator[UpStack]:
    """`make up` in `tmp` until the block is left; `settings` are MYPAGE_… values added to its environment.
    Without Groonga (the search node) a skip — a failure under CI=true."""
    import psycopg

    if shutil.which("groonga") is None:
        unavailable("make up's search node needs Groonga (apt-get install groonga-bin)")
    server = urlsplit(postgres_server_url)
    prefix = f"test_up_{uuid.uuid4().hex[:8]}"
    exchange = f"{prefix}.events"
    base_port = free_block()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    environ.update({"MYPAGE_ENV": "dev", "MYPAGE_VAR_DIR": str(tmp), "MYPAGE_PORT": str(free_port()),
                    "MYPAGE_UP_BASE_PORT": str(base_port), "MYPAGE_UP_WEB_WORKERS": "1",
                    "MYPAGE_AMQP_URL": amqp_server_url, "MYPAGE_EXCHANGE": exchange,
                    "MYPAGE_UP_ADMIN_DATABASE_URL": postgres_server_url, **settings})
    for service in SERVICES:
        environ[f"MYPAGE_{service.upper()}_DATABASE_URL"] = (
            f"postgresql://{prefix}_{service}@{server.hostname}:{server.port or 5432}/{prefix}_{service}")
    output = tmp / "up.out"
    with output.open("wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "deploy.up"], cwd=ROOT, env=environ, stdout=sink,
                                   stderr=subprocess.STDOUT)
    running = UpStack(environ, process, output, base_port, f"http://127.0.0.1:{environ['MYPAGE_PORT']}")
    try:
        eventually(lambda: process.poll() is not None or "Ctrl-C" in output.read_text(), timeout=START_TIMEOUT,
                   interval=0.5, message="make up's banner")
        assert process.poll() is None, output.read_text()[-4000:]
        yield running
    finally:
        if process.poll() is None:
            running.down()
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                process.kill()
        _delete_amqp_entities(amqp_server_url, exchange)
        admin = broker_users.Admin()
        # each a `rabbitmqctl` run of a second or two: at once
        with ThreadPoolExecutor(1 + len(broker_users.WHO)) as pool:
            done = [pool.submit(delete_queues, amqp_server_url, prefix),
                    *(pool.submit(admin.delete_users, [broker_users.user_name(who, exchange)])
                      for who in broker_users.WHO)]
        for future in done:
            future.result()
        with psycopg.connect(postgres_server_url, autocommit=True) as admin:
            for service in SERVICES:
                admin.execute(f'DROP DATABASE IF EXISTS "{prefix}_{service}" WITH (FORCE)')
                admin.execute(f'DROP ROLE IF EXISTS "{prefix}_{service}"')
