"""§8 `make up`: the supervisor configuration deploy/up.py generates (`python -m deploy.up config`).

Read back with configparser's interpolation, as supervisor reads it; nothing is started here
(tests/integration/test_make_up.py runs the stack).
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys

import pytest

from kit.settings import ROOT, SERVICES


def _config(**environ: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deploy.up", "config"], cwd=ROOT, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **environ}, timeout=60)


def _parsed(**environ: str) -> configparser.ConfigParser:
    done = _config(**environ)
    assert done.returncode == 0, done.stderr
    parser = configparser.ConfigParser()  # supervisor's reader interpolates %(…)s
    parser.read_string(done.stdout)
    return parser


def _programs(parser: configparser.ConfigParser) -> dict[str, configparser.SectionProxy]:
    return {name.split(":", 1)[1]: parser[name] for name in parser.sections() if name.startswith("program:")}


def _binds(command: str) -> list[int]:
    return [int(port) for port in re.findall(r"--bind 127\.0\.0\.1:(\d+)", command)]


def test_s8_n_replicas_are_n_webs_on_consecutive_ports_given_to_the_gateway_and_n_workers(tmp_path):
    programs = _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path), MYPAGE_UP_BASE_PORT="9000", MYPAGE_JOBS_REPLICAS="3",
                                 MYPAGE_PORT="9999"))
    assert [_binds(programs[f"jobs_web_{r}"]["command"]) for r in (1, 2, 3)] == [[9030], [9031], [9032]]
    assert [_binds(programs[f"jobs_worker_{r}"]["command"]) for r in (1, 2, 3)] == [[9130], [9131], [9132]]
    assert "jobs_web_4" not in programs and "jobs_worker_4" not in programs and "jobs_relay_2" not in programs
    gateway = programs["gateway"]
    assert _binds(gateway["command"]) == [9999]
    jobs = ",".join(f"http://127.0.0.1:{port}" for port in (9030, 9031, 9032))
    assert f'MYPAGE_JOBS_URL="{jobs}"' in gateway["environment"]
    assert 'MYPAGE_AUTH_URL="http://127.0.0.1:9010"' in gateway["environment"]
    for service in SERVICES:
        assert f"{service}_web_1" in programs and f"{service}_worker_1" in programs and f"{service}_relay" in programs
    assert {"search_engine", "search_indexer", "retention_sweep", "mail_sink"} <= set(programs)


def test_s8_every_process_is_restarted_when_it_dies_and_stopped_with_its_children(tmp_path):
    programs = _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path)))
    for program in programs.values():
        assert (program["autorestart"], program["stopasgroup"], program["killasgroup"]) == ("true", "true", "true")
        assert program["stdout_logfile"].startswith(str(tmp_path / "up" / "logs"))


def test_s8_ten_replicas_of_every_service_share_no_port(tmp_path):
    environ = {f"MYPAGE_{service.upper()}_REPLICAS": "10" for service in SERVICES}
    programs = _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path), **environ))
    ports = [port for program in programs.values() for port in _binds(program["command"])]
    ports += [int(programs["search_engine"]["command"].split()[-1]), 8102]  # Groonga, the mail sink
    assert len(ports) == 5 * 10 * 2 + 5 + 1 + 1 + 2  # webs and workers, relays, the indexer, the gateway, …
    assert len(set(ports)) == len(ports)


def test_s8_the_gateway_listens_on_mypage_host_and_port_as_in_make_run(tmp_path):
    programs = _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path), MYPAGE_HOST="0.0.0.0", MYPAGE_PORT="8081"))
    assert "--bind 0.0.0.0:8081 " in programs["gateway"]["command"]
    assert _binds(programs["jobs_web_1"]["command"]) == [8130]  # the services stay on the loopback


def test_s8_with_an_smtp_url_no_mail_sink_runs(tmp_path):
    assert "mail_sink" not in _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path), MYPAGE_SMTP_URL="smtp://mail:25"))


def test_s8_a_var_dir_with_a_percent_sign_reads_back_unchanged(tmp_path):
    var_dir = tmp_path / "100%"
    parser = _parsed(MYPAGE_VAR_DIR=str(var_dir))
    assert parser["supervisord"]["pidfile"] == str(var_dir / "up" / "supervisord.pid")
    assert str(var_dir / "search") in _programs(parser)["search_engine"]["command"]


@pytest.mark.parametrize(("name", "value", "bounds"), [
    ("MYPAGE_JOBS_REPLICAS", "0", "from 1 to 10"),
    ("MYPAGE_JOBS_REPLICAS", "11", "from 1 to 10"),
    ("MYPAGE_AUTH_REPLICAS", "two", "from 1 to 10"),
    ("MYPAGE_UP_BASE_PORT", "65300", "from 1024 to 65275"),
    ("MYPAGE_PORT", "70000", "from 1 to 65535"),
])
def test_s8_a_replica_count_or_port_out_of_range_is_refused_naming_the_variable(tmp_path, name, value, bounds):
    done = _config(MYPAGE_VAR_DIR=str(tmp_path), **{name: value})
    assert done.returncode == 2
    assert f"{name} must be a whole number {bounds} (got {value!r})" in done.stderr
    assert done.stdout == ""


@pytest.mark.parametrize("value", ["1", "10"])
def test_s8_one_and_ten_replicas_are_allowed(tmp_path, value):
    programs = _programs(_parsed(MYPAGE_VAR_DIR=str(tmp_path), MYPAGE_MESSAGING_REPLICAS=value))
    assert sum(name.startswith("messaging_web_") for name in programs) == int(value)


def test_s8_every_program_connects_to_rabbitmq_as_its_own_user_never_as_the_administrator(tmp_path):
    """Issue 11 item 4: the administrator's MYPAGE_AMQP_URL creates the users; no program gets it."""
    admin = "amqp://guest:guest@127.0.0.1:5672/%2F"
    done = _config(MYPAGE_VAR_DIR=str(tmp_path), MYPAGE_AMQP_URL=admin)
    assert done.returncode == 0, done.stderr
    assert "guest:guest" not in done.stdout
    parser = configparser.ConfigParser()
    parser.read_string(done.stdout)
    users = {}
    for name, program in _programs(parser).items():
        match = re.search(r'MYPAGE_AMQP_URL="amqp://([a-z-]+):[A-Za-z0-9_-]{32}@127\.0\.0\.1:5672/%2F"',
                          program.get("environment", ""))
        users[name] = match and match.group(1)
    for service in SERVICES:
        assert {users[f"{service}_web_1"], users[f"{service}_worker_1"], users[f"{service}_relay"]} == {
            f"mypage-{service}"}
    assert users["retention_sweep"] == "mypage-retention" and users["search_indexer"] == "mypage-jobs"
    assert users["gateway"] == "mypage-gateway"
    assert users["search_engine"] is None and users["mail_sink"] is None  # no broker at all
