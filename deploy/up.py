"""python -m deploy.up [up|down|status|config] — the distributed mode on this machine (`make up`, DESIGN §4, §8).

`up` (the default, `make up`) runs every service as its own processes under supervisor, which
restarts a process that dies (one crash never stops the stack):

- per service: N gunicorn webs on consecutive ports and N workers (N = MYPAGE_<SERVICE>_REPLICAS,
  default 1, at most 10), one relay; each worker and relay with /healthz and /metrics on a port
  of its own; retention's daily sweep;
- the search node (deploy/groonga-server and `python -m services.jobs indexer`, DESIGN §9);
- the development mail sink (its mails at /dev/mail) unless MYPAGE_SMTP_URL names a server;
- the gateway on MYPAGE_HOST:MYPAGE_PORT (default 127.0.0.1:8080), given each service's webs as a comma list.

Before supervisor starts, on the machine's PostgreSQL and RabbitMQ: each service's database and
login role are created when missing (as deploy/postgres/init-databases.sh does, through
MYPAGE_UP_ADMIN_DATABASE_URL); each service and the gateway get a RabbitMQ user of their own with a
new random password (kit/broker_users.py: through `rabbitmqctl`, or the management API named by
MYPAGE_RABBITMQ_ADMIN_URL; MYPAGE_AMQP_URL is the administrator's login and no process gets it);
every service is migrated (its queues declared) as its own user, and the demo data of the embedded
mode is loaded into empty databases (MYPAGE_DEMO=0: none; MYPAGE_DEMO_ACTIVITY=0: the demo seeker's My
Page starts empty, as in `make run`).

Ports (MYPAGE_UP_BASE_PORT = B, default 8100; service k = 1..5 in the order auth, profile, jobs,
messaging, retention): webs B+10k+r (r = 0..N-1), workers' metrics B+100+10k+r, relays' metrics
B+200+10k, search engine B+1, mail sink B+2, the search indexer's health and metrics B+3. Everything
lives under MYPAGE_VAR_DIR (default var/): var/up/ holds the generated supervisord.conf, its socket and
pid file and logs/<program>.log.

Ctrl-C (or SIGTERM) stops every process; so does `down` (`make down`) from another terminal.
`status` shows supervisor's view; `config` prints the generated configuration.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kit import broker_users as broker
from kit.settings import DEFAULT_EXCHANGE, DEFAULT_VAR_DIR, ROOT, ConfigurationError

SERVICE_ORDER = ("auth", "profile", "jobs", "messaging", "retention")
DEFAULT_BASE_PORT = 8100
MAX_REPLICAS = 10
DEFAULT_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
DEFAULT_ADMIN_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
READY_TIMEOUT = 180.0
STOP_TIMEOUT = 60.0


# Supervisor starts groups in this order and stops them in reverse, one group at a time, every program
# of a group at once (so `down` takes as long as the slowest program of each group, not their sum).
GROUPS = ("node", "web", "bus", "front")


@dataclass(frozen=True)
class Program:
    """One supervisor [program:…] section, in one of GROUPS (supervisorctl names it `group:name`)."""

    name: str
    command: list[str]
    group: str
    environment: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Layout:
    """What `make up` runs and where, read from the environment (see the module's docstring)."""

    environ: Mapping[str, str]  # the stack's environment: the caller's, with the MYPAGE_ values filled in
    broker_urls: Mapping[str, str]  # {service or "gateway": its own RabbitMQ URL} (kit/broker_users.py)
    var_dir: Path
    base_port: int
    gateway_host: str
    gateway_port: int
    replicas: Mapping[str, int]
    web_workers: int
    sink: bool  # no MYPAGE_SMTP_URL given: the development mail sink runs

    @classmethod
    def from_env(cls, given: Mapping[str, str]) -> Layout:
        var_dir = Path(given.get("MYPAGE_VAR_DIR") or DEFAULT_VAR_DIR).resolve()
        base_port = _number(given, "MYPAGE_UP_BASE_PORT", DEFAULT_BASE_PORT, 1024, 65535 - 260)
        gateway_port = _number(given, "MYPAGE_PORT", 8080, 1, 65535)
        replicas = {s: _number(given, f"MYPAGE_{s.upper()}_REPLICAS", 1, 1, MAX_REPLICAS) for s in SERVICE_ORDER}
        web_workers = _number(given, "MYPAGE_UP_WEB_WORKERS", 2, 1, 16)
        smtp_url = given.get("MYPAGE_SMTP_URL", "").strip()
        environ = dict(given)
        environ.setdefault("MYPAGE_ENV", "dev")
        environ.setdefault("MYPAGE_AMQP_URL", DEFAULT_AMQP_URL)
        environ["MYPAGE_VAR_DIR"] = str(var_dir)
        environ["MYPAGE_PORT"] = str(gateway_port)
        environ["MYPAGE_SMTP_URL"] = smtp_url or f"smtp://127.0.0.1:{base_port + 2}"
        environ["MYPAGE_SEARCH_URL"] = f"http://127.0.0.1:{base_port + 1}"
        environ.setdefault("MYPAGE_SEARCH_NODE", "local")
        environ["PYTHONUNBUFFERED"] = "1"
        for service in SERVICE_ORDER:
            environ.setdefault(f"MYPAGE_{service.upper()}_DATABASE_URL",
                               f"postgresql://mypage_{service}@127.0.0.1:5432/mypage_{service}")
        gateway_host = given.get("MYPAGE_HOST", "").strip() or "127.0.0.1"
        exchange = environ.get("MYPAGE_EXCHANGE", DEFAULT_EXCHANGE)
        broker_urls = {who: broker.url_for(who, environ["MYPAGE_AMQP_URL"], secrets.token_urlsafe(24), exchange)
                       for who in broker.WHO}
        return cls(environ, broker_urls, var_dir, base_port, gateway_host, gateway_port, replicas, web_workers,
                   sink=not smtp_url)

    @property
    def state_dir(self) -> Path:
        return self.var_dir / "up"

    @property
    def config_path(self) -> Path:
        return self.state_dir / "supervisord.conf"

    @property
    def pid_path(self) -> Path:
        return self.state_dir / "supervisord.pid"

    @property
    def gateway_url(self) -> str:
        host = "127.0.0.1" if self.gateway_host in ("0.0.0.0", "::") else self.gateway_host
        return f"http://{host}:{self.gateway_port}"

    def web_ports(self, service: str) -> list[int]:
        k = SERVICE_ORDER.index(service) + 1
        return [self.base_port + 10 * k + r for r in range(self.replicas[service])]

    def worker_ports(self, service: str) -> list[int]:
        return [port + 100 for port in self.web_ports(service)]

    def relay_port(self, service: str) -> int:
        return self.web_ports(service)[0] + 200

    @property
    def indexer_port(self) -> int:
        return self.base_port + 3

    def database_urls(self) -> dict[str, str]:
        return {s: self.environ[f"MYPAGE_{s.upper()}_DATABASE_URL"] for s in SERVICE_ORDER}

    def broker_env(self, who: str) -> dict[str, str]:
        """The environment that makes a process of `who` connect as its own broker user."""
        return {"MYPAGE_AMQP_URL": self.broker_urls[who]}

    def supervisor_env(self) -> dict[str, str]:
        """What supervisord and so every program inherits: no administrator's broker login."""
        return {key: value for key, value in self.environ.items() if key != "MYPAGE_AMQP_URL"}

    def programs(self) -> list[Program]:
        """Every process of the stack, each in its group (GROUPS: the start order)."""
        python = sys.executable
        programs = [Program("search_engine", [str(ROOT / "deploy" / "groonga-server"), str(self.var_dir / "search"),
                                              str(self.base_port + 1)], "node")]
        if self.sink:
            programs.append(Program("mail_sink", [python, "-m", "deploy.up", "mail-sink"], "node"))
        for service in SERVICE_ORDER:
            module = f"services.{service}"
            for r, port in enumerate(self.web_ports(service), start=1):
                name = f"{service}_web_{r}"
                programs.append(Program(name, [python, "-m", module, "web", "--bind", f"127.0.0.1:{port}",
                                               "--workers", str(self.web_workers)], "web",
                                        {"PROMETHEUS_MULTIPROC_DIR": str(self.state_dir / "metrics" / name),
                                         **self.broker_env(service)}))
            for r, port in enumerate(self.worker_ports(service), start=1):
                programs.append(Program(f"{service}_worker_{r}",
                                        [python, "-m", module, "worker", "--bind", f"127.0.0.1:{port}"], "bus",
                                        self.broker_env(service)))
            programs.append(Program(f"{service}_relay",
                                    [python, "-m", module, "relay", "--bind", f"127.0.0.1:{self.relay_port(service)}"],
                                    "bus", self.broker_env(service)))
        sweep = f"while :; do {shlex.quote(python)} -m services.retention sweep; sleep 86400; done"
        programs.append(Program("retention_sweep", ["sh", "-c", sweep], "bus", self.broker_env("retention")))
        programs.append(Program("search_indexer", [python, "-m", "services.jobs", "indexer", "--bind",
                                                   f"127.0.0.1:{self.indexer_port}"], "bus", self.broker_env("jobs")))
        replicas = {f"MYPAGE_{service.upper()}_URL": ",".join(f"http://127.0.0.1:{port}"
                                                              for port in self.web_ports(service))
                    for service in SERVICE_ORDER} | self.broker_env("gateway")
        bind = f"{self.gateway_host}:{self.gateway_port}"
        programs.append(Program("gateway", [python, "-m", "gateway", "--distributed", "--bind", bind,
                                            "--workers", str(self.web_workers)], "front",
                                {**replicas, "PROMETHEUS_MULTIPROC_DIR": str(self.state_dir / "metrics" / "gateway")}))
        return programs

    def config(self) -> str:
        """supervisord.conf: supervisor in the foreground, a socket for `down`, every program restarted on exit."""
        state = self.state_dir
        sections = [
            f"""[supervisord]
nodaemon=true
silent=true
directory={_escape(ROOT)}
logfile={_escape(state / "supervisord.log")}
pidfile={_escape(self.pid_path)}
childlogdir={_escape(state / "logs")}

[unix_http_server]
file={_escape(state / "supervisor.sock")}
chmod=0700

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://{_escape(state / "supervisor.sock")}
"""]
        programs = self.programs()
        for program in programs:
            environment = ",".join(f'{key}="{_escape(value)}"' for key, value in program.environment.items())
            sections.append(f"""[program:{program.name}]
command={_escape(shlex.join(program.command))}
{f"environment={environment}" if environment else ""}
autostart=true
autorestart=true
startsecs=3
startretries=100
stopsignal=TERM
stopwaitsecs=20
stopasgroup=true
killasgroup=true
redirect_stderr=true
stdout_logfile={_escape(state / "logs" / (program.name + ".log"))}
stdout_logfile_maxbytes=20MB
stdout_logfile_backups=2
""".replace("\n\n", "\n"))
        for priority, group in enumerate(GROUPS, start=1):
            members = ",".join(p.name for p in programs if p.group == group)
            sections.append(f"[group:{group}]\nprograms={members}\npriority={100 * priority}\n")
        return "\n".join(sections)


def _escape(value: object) -> str:
    """Supervisor expands %(name)s in its values: a literal % is written %%."""
    return str(value).replace("%", "%%")


def _flag(environ: Mapping[str, str], name: str) -> bool:
    """A yes/no setting that is yes unless it says 0, false or no (as the embedded mode reads MYPAGE_DEMO…)."""
    return environ.get(name, "1").lower() not in ("0", "false", "no")


def _number(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigurationError(f"{name} must be a whole number from {low} to {high} (got {raw!r})")
    return int(raw)


# -- before supervisor: databases, migrations, demo data ----------------------------------------------

def create_databases(layout: Layout) -> None:
    """Each service's login role and database, owned by it and closed to the others (idempotent)."""
    import psycopg
    from psycopg import sql

    admin_url = layout.environ.get("MYPAGE_UP_ADMIN_DATABASE_URL", DEFAULT_ADMIN_DATABASE_URL)
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(f"PostgreSQL (MYPAGE_UP_ADMIN_DATABASE_URL={admin_url}) cannot be reached: {error}") from error
    with admin:
        for url in layout.database_urls().values():
            parts = urlsplit(url)
            role, database = parts.username or "postgres", parts.path.lstrip("/")
            if not admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                admin.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
            if parts.password:
                admin.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role),
                                                                         sql.Literal(parts.password)))
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
                admin.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(sql.Identifier(database),
                                                                           sql.Identifier(role)))
            admin.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
            admin.execute(sql.SQL("GRANT ALL ON DATABASE {} TO {}").format(sql.Identifier(database),
                                                                          sql.Identifier(role)))


def migrate(layout: Layout) -> None:
    """`python -m services.<name> migrate` for every service at once (tables, then its queues)."""
    def run(service: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", f"services.{service}", "migrate"], cwd=ROOT,
                              env=layout.supervisor_env() | layout.broker_env(service), capture_output=True,
                              text=True, timeout=300)

    with ThreadPoolExecutor(len(SERVICE_ORDER)) as pool:
        for service, done in zip(SERVICE_ORDER, pool.map(run, SERVICE_ORDER), strict=True):
            if done.returncode != 0:
                raise SystemExit(f"migrating {service} failed:\n{done.stderr[-4000:]}")


def provision_broker(layout: Layout) -> None:
    """A RabbitMQ user per service and the gateway, with this run's passwords (kit/broker_users.py), and the
    dead-letter exchange as the topic exchange the users' topic permissions need."""
    from amqp.exceptions import PreconditionFailed

    from kit import topology

    admin_url = layout.environ["MYPAGE_AMQP_URL"]
    exchange = layout.environ.get("MYPAGE_EXCHANGE", DEFAULT_EXCHANGE)
    passwords = {who: urlsplit(url).password for who, url in layout.broker_urls.items()}
    document = broker.definitions(passwords, broker.vhost_of(admin_url), exchange)
    try:
        broker.Admin(layout.environ.get("MYPAGE_RABBITMQ_ADMIN_URL") or None).import_definitions(document)
        with topology.connection(admin_url) as connection:
            try:
                topology.dead_letter_exchange(exchange)(connection.channel()).declare()
            except PreconditionFailed:  # an older version's direct exchange: nothing runs now, so replace it
                connection.channel().exchange_delete(topology.dead_letter_exchange(exchange).name)
    except (ConfigurationError, OSError) as error:
        raise SystemExit(f"RabbitMQ (MYPAGE_AMQP_URL={_without_password(admin_url)}): {error}") from error


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    return url.replace(f":{parts.password}@", ":***@") if parts.password else url


def load_demo(layout: Layout) -> None:
    """The embedded mode's demo data, into the services whose data is missing (gateway.embedded.load_demo_data)."""
    import importlib

    from gateway.embedded import load_demo_data

    runtimes = {}
    try:
        for service in SERVICE_ORDER:
            settings = importlib.import_module(f"services.{service}.config").load_settings(layout.environ)
            runtimes[service] = importlib.import_module(f"services.{service}.app").build_runtime(settings)
        load_demo_data(runtimes, activity=_flag(layout.environ, "MYPAGE_DEMO_ACTIVITY"))
    finally:
        for runtime in runtimes.values():
            runtime.dispose()


# -- commands -------------------------------------------------------------------------------------------

def running_pid(layout: Layout) -> int | None:
    """The pid of this var dir's supervisord, if it is running."""
    try:
        pid = int(layout.pid_path.read_text().strip())
        os.kill(pid, 0)
    except (OSError, ValueError):
        return None
    return pid


def up(layout: Layout) -> int:
    if running_pid(layout):
        print(f"already running (pid {running_pid(layout)}); `make down` stops it", file=sys.stderr)
        return 1
    if shutil.which("groonga") is None:
        print("the search node needs Groonga: apt-get install groonga-bin", file=sys.stderr)
        return 1
    for directory in (layout.state_dir / "logs", layout.state_dir / "metrics", layout.var_dir / "search"):
        directory.mkdir(parents=True, exist_ok=True)
    layout.config_path.touch(mode=0o600)  # it holds the broker users' passwords
    layout.config_path.chmod(0o600)
    layout.config_path.write_text(layout.config())
    _say("データベースを準備しています… / preparing the databases…")
    create_databases(layout)
    provision_broker(layout)
    migrate(layout)
    if _flag(layout.environ, "MYPAGE_DEMO"):
        _say("デモデータを読み込んでいます… / loading the demo data…")
        load_demo(layout)
    supervisor = subprocess.Popen([sys.executable, "-m", "supervisor.supervisord", "-c", str(layout.config_path)],
                                  cwd=ROOT, env=layout.supervisor_env())
    stopping = threading.Event()

    def stop(*_signal) -> None:
        stopping.set()
        with contextlib.suppress(ProcessLookupError):
            supervisor.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    try:
        if _wait_ready(layout, supervisor, stopping):
            _say(banner(layout))
        return supervisor.wait()
    except KeyboardInterrupt:  # Ctrl-C: supervisord had it too; it stops every program
        stop()
        _say("停止しています… / stopping…")
        return supervisor.wait()


def _wait_ready(layout: Layout, supervisor: subprocess.Popen, stopping: threading.Event) -> bool:
    """Every web's /readyz, every worker's and relay's /healthz, then the gateway's /readyz answer 200."""
    waiting = [url for service in SERVICE_ORDER for url in (
        *(f"http://127.0.0.1:{port}/readyz" for port in layout.web_ports(service)),
        *(f"http://127.0.0.1:{port}/healthz" for port in layout.worker_ports(service)),
        f"http://127.0.0.1:{layout.relay_port(service)}/healthz")]
    waiting.append(f"http://127.0.0.1:{layout.indexer_port}/healthz")
    waiting.append(f"{layout.gateway_url}/readyz")
    deadline = time.monotonic() + READY_TIMEOUT
    while supervisor.poll() is None and not stopping.is_set() and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(waiting[0], timeout=5) as response:
                if response.status == 200:
                    waiting.pop(0)
                    if not waiting:
                        return True
                    continue
        except (urllib.error.URLError, OSError):
            pass
        stopping.wait(0.5)
    if supervisor.poll() is None and not stopping.is_set():
        _say(f"not ready after {READY_TIMEOUT:.0f} s; see {layout.state_dir / 'logs'}")
    return False


def banner(layout: Layout) -> str:
    base = layout.gateway_url
    lines = ["求職者マイページ（分散モード）を起動しました / My Page (distributed mode) is running",
             f"  ウェブ       {base}/", f"  API 文書     {base}/api/docs"]
    if layout.sink:
        lines.append(f"  メール確認   {base}/dev/mail   (SMTP {layout.environ['MYPAGE_SMTP_URL']})")
    else:
        lines.append(f"  メール送信先 {layout.environ['MYPAGE_SMTP_URL']}")
    for service in SERVICE_ORDER:
        webs = ", ".join(str(p) for p in layout.web_ports(service))
        lines.append(f"  {service:<12} web {webs}; worker metrics "
                     f"{', '.join(str(p) for p in layout.worker_ports(service))}; relay {layout.relay_port(service)}")
    lines += [f"  search       engine {layout.base_port + 1}; indexer metrics {layout.indexer_port}",
              f"  ログ         {layout.state_dir / 'logs'}",
              "Ctrl-C または `make down` で停止します。"]
    return "\n".join(lines)


def down(layout: Layout) -> int:
    """Ask supervisord to stop every program and itself; wait until it has."""
    pid = running_pid(layout)
    if pid is None:
        _say("nothing is running")
        return 0
    subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(layout.config_path), "shutdown"],
                   cwd=ROOT, check=False)
    deadline = time.monotonic() + STOP_TIMEOUT
    while running_pid(layout) == pid:
        if time.monotonic() > deadline:
            _say(f"supervisord (pid {pid}) did not stop within {STOP_TIMEOUT:.0f} s")
            return 1
        time.sleep(0.2)
    return 0


def status(layout: Layout) -> int:
    return subprocess.run([sys.executable, "-m", "supervisor.supervisorctl", "-c", str(layout.config_path),
                           "status"], cwd=ROOT, check=False).returncode


def mail_sink(layout: Layout) -> int:
    """The development mail sink as a program of its own; its mails land in var/mail (the gateway's /dev/mail)."""
    from kit.devmail import MailSink

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    port = int(urlsplit(layout.environ["MYPAGE_SMTP_URL"]).port)
    with MailSink(layout.var_dir / "mail", port=port), contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.up", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="up", choices=["up", "down", "status", "config", "mail-sink"])
    args = parser.parse_args(argv)
    try:
        layout = Layout.from_env(os.environ)
    except ConfigurationError as error:
        _say(str(error))
        return 2
    if args.command == "config":
        print(layout.config())
        return 0
    command = {"up": up, "down": down, "status": status, "mail-sink": mail_sink}[args.command]
    try:
        return command(layout)
    except KeyboardInterrupt:  # Ctrl-C before supervisor started (databases, migrations, demo data)
        return 130


if __name__ == "__main__":
    sys.exit(main())
