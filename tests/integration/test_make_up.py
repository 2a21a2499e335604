"""§8 `make up` (python -m deploy.up) on the machine's RabbitMQ and PostgreSQL, in a var dir and on ports of its own.

One stack for the module (starting it takes most of the time; kit.testing.up): databases and roles of the
test's own, created by deploy/up.py and dropped afterwards; an exchange of its own, so its queues are the
test's and are deleted afterwards, and so are the RabbitMQ users make up creates; jobs with two replicas. The
last test runs `down` and checks that no process of the stack is left.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from kombu import Producer
from prometheus_client.parser import text_string_to_metric_families

from kit import broker_users, topology
from kit.settings import ROOT, SERVICES
from kit.testing import e2e
from kit.testing.e2e import GatewayClient, staff_token
from kit.testing.plugin import eventually
from kit.testing.up import UpStack, stack


def _get(url: str, timeout: float = 10.0) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return None, b""


def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _requests_served(base: str) -> float:
    _, text = _get(f"{base}/metrics")
    return sum(sample.value for family in text_string_to_metric_families(text.decode())
               for sample in family.samples
               if sample.name == "mypage_jobs_http_request_seconds_count"
               and sample.labels["endpoint"] == "/api/v1/jobs")


@pytest.fixture(scope="module")
def up(tmp_path_factory, _postgres_server_url, _amqp_server_url) -> Iterator[UpStack]:
    with stack(tmp_path_factory.mktemp("up"), _postgres_server_url, _amqp_server_url,
               MYPAGE_JOBS_REPLICAS="2") as running:
        yield running


def test_s8_make_up_serves_the_api_with_the_demo_data_and_every_service_ready(up):
    status, body = _get(f"{up.gateway}/readyz")
    assert status == 200, body
    assert sorted(json.loads(body)["services"]) == sorted(SERVICES)
    # the search node was filled from PostgreSQL with the demo postings
    total = eventually(lambda: json.loads(_get(f"{up.gateway}/api/v1/jobs")[1]).get("total"), timeout=60,
                       message="the demo postings found through the search node")
    assert total > 1000
    status, body = _get(f"{up.gateway}/api/v1/jobs?per_page=7")
    assert status == 422
    assert json.loads(body)["errors"][0]["field"] == "per_page"
    assert _get(f"{up.gateway}/dev/mail")[0] == 200  # no MYPAGE_SMTP_URL: the development mailbox


def test_s8_every_service_and_the_gateway_connect_to_rabbitmq_as_their_own_users(up):
    """Issue 11 item 4: make up created a user per service and the gateway and every program uses its own."""
    exchange = up.environ["MYPAGE_EXCHANGE"]
    expected = {broker_users.user_name(who, exchange) for who in broker_users.WHO}

    def connected() -> set[str]:
        listed = subprocess.run(["rabbitmqctl", "list_connections", "-q", "user"], capture_output=True, text=True,
                                timeout=60, check=True).stdout.split()
        return expected & set(listed)

    assert eventually(lambda: connected() == expected and connected(), timeout=30, interval=1.0,
                      message="a connection of every user") == expected


def test_s8_the_acceptance_flows_pass_on_make_up_across_every_services_broker_user(up):
    """Issue 11 item 7: the demo seeker opens a My Page with the mailed key (profile's event → auth), logs in
    with the mailed OTP (auth's worker), keeps a favourite (auth's events → jobs), sees it counted on the
    home screen (the gateway's composition), and logs out: the gateway refuses the token as soon as it hears
    auth.session.revoked.v1 — every hop as its own RabbitMQ user."""
    call = e2e.GatewayClient(up.url)
    try:
        e2e.open_mypage(call, up, "taro@example.jp", "1990-04-01", "Koshigaya@2026", timeout=90)
        token = e2e.login(call, up, "taro@example.jp", "Koshigaya@2026")["access_token"]
        listed = eventually(lambda: (answer := call("GET", "/api/v1/me/favourites", token=token)).status == 200
                            and answer, timeout=60, interval=0.5, message="jobs to know the seeker from auth's event")
        kept = listed.json()["items"]
        numbers = [item["job_number"] for item in call("GET", "/api/v1/jobs?per_page=50").json()["items"]]
        number = next(n for n in numbers if n not in {item["job_number"] for item in kept})  # the demo keeps some
        assert call("PUT", f"/api/v1/me/favourites/{number}", token=token).status == 204
        home = call("GET", "/api/v1/me", token=token)
        assert home.status == 200 and home.json()["counts"]["favourites"] == len(kept) + 1, home.data
        assert call("POST", "/api/v1/auth/logout", token=token).status == 204
        eventually(lambda: call("GET", "/api/v1/me", token=token).status == 401, timeout=30, interval=0.2,
                   message="the gateway to refuse the revoked session")
    finally:
        call.close()


def test_s8_the_counters_email_change_reaches_auth_as_profiles_own_event_on_make_up(up):
    """The event the issue forged, sent by its rightful publisher: the counter registers a seeker and changes
    their email at profile (profile.seeker.changed.v1 as the profile user); auth applies it, so the seeker
    opens the My Page and logs in with the new address."""
    call = e2e.GatewayClient(up.url)
    try:
        staff = e2e.staff_token(call)
        number = f"11040-{uuid.uuid4().int % 10**8:08d}"
        body = {"seeker_number": number, "name": "求職 四郎", "name_kana": "キュウショク シロウ",
                "birth_date": "1994-04-04", "email": f"old-{number}@example.jp",
                "office": {"code": "11040", "name": "越谷公共職業安定所"},
                "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"}}
        assert call("POST", "/api/v1/staff/seekers", body, token=staff).status == 201
        changed = call("PATCH", f"/api/v1/staff/seekers/{number}", {"email": f"new-{number}@example.jp"},
                       token=staff)
        assert changed.status == 200, changed.data
        # opens only once auth has applied profile's events: the key is mailed to, and accepted for, the new address
        e2e.open_mypage(call, up, f"new-{number}@example.jp", "1994-04-04", "Koshigaya@2026", timeout=90)
        assert e2e.login(call, up, f"new-{number}@example.jp", "Koshigaya@2026")["access_token"]
    finally:
        call.close()


def test_s8_both_jobs_replicas_take_requests_and_one_stopped_changes_nothing(up):
    webs = [f"http://127.0.0.1:{up.base_port + 30 + r}" for r in (0, 1)]
    before = [_requests_served(web) for web in webs]
    assert [_get(f"{up.gateway}/api/v1/jobs")[0] for _ in range(8)] == [200] * 8
    served = [_requests_served(web) - seen for web, seen in zip(webs, before, strict=True)]
    assert min(served) >= 1 and sum(served) == 8, served
    assert "stopped" in up.ctl("stop", "web:jobs_web_1")
    assert _get(f"{webs[0]}/healthz")[0] is None
    assert [_get(f"{up.gateway}/api/v1/jobs")[0] for _ in range(8)] == [200] * 8
    assert "started" in up.ctl("start", "web:jobs_web_1")


def test_s8_a_worker_killed_with_sigkill_is_restarted_and_the_stack_keeps_serving(up):
    program, metrics = "bus:jobs_worker_1", f"http://127.0.0.1:{up.base_port + 130}"
    killed = up.pid(program)
    assert killed and _get(f"{metrics}/healthz")[0] == 200
    os.kill(killed, signal.SIGKILL)
    eventually(lambda: up.pid(program) not in (0, killed), timeout=30, message="supervisor restarting the worker")
    eventually(lambda: _get(f"{metrics}/healthz")[0] == 200, timeout=60, message="the new worker's /healthz")
    eventually(lambda: "RUNNING" in up.ctl("status", program), timeout=30, message="the worker RUNNING again")
    assert _get(f"{up.gateway}/api/v1/jobs")[0] == 200
    assert up.process.poll() is None


def _printed(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_issue13_an_outside_subscriber_validates_a_real_event_against_the_released_contracts(up, tmp_path):
    """deploy/examples/subscriber.py run as another Hello Work system would: as the subscriber user, with a
    hellowork.* queue of its own bound to profile's registrations. A forged envelope breaking the released
    contract is rejected; the counter's registration (profile's web → outbox → its relay → RabbitMQ) is
    validated and printed."""
    exchange, admin_url = up.environ["MYPAGE_EXCHANGE"], up.environ["MYPAGE_AMQP_URL"]
    event_type = "profile.seeker.registered.v1"
    password = secrets.token_urlsafe(16)
    admin = broker_users.Admin()
    admin.import_definitions(broker_users.definitions({broker_users.SUBSCRIBER: password}, "/", exchange))
    queue = f"hellowork.{topology.queue_prefix(exchange)}"
    printed, reported = tmp_path / "subscriber.out", tmp_path / "subscriber.err"
    with printed.open("wb") as stdout, reported.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "deploy/examples/subscriber.py", "--exchange", exchange, "--queue", queue,
             "--url", broker_users.url_for(broker_users.SUBSCRIBER, admin_url, password, exchange),
             "--bind", event_type], cwd=ROOT, stdout=stdout, stderr=stderr)
    try:
        eventually(lambda: process.poll() is not None or "listening on" in reported.read_text(), timeout=30,
                   message="the subscriber bound to the exchange")
        assert process.poll() is None, reported.read_text()
        forged = {"specversion": "1.0", "id": "forged-1", "type": event_type, "source": "/mypage/profile",
                  "time": "2026-11-26T09:00:00Z", "datacontenttype": "application/json",
                  "data": {"seeker_id": "s-1", "email": "a@example.jp", "birth_date": "1990-04-01"}}
        with topology.connection(admin_url) as connection:
            Producer(connection.default_channel).publish(
                json.dumps(forged), exchange=topology.events_exchange(exchange), routing_key=event_type,
                content_type="application/cloudevents+json", content_encoding="utf-8", retry=False)
        eventually(lambda: f"rejected {event_type} forged-1" in reported.read_text(), timeout=30,
                   message="the forged event rejected")
        assert "data: 'seeker_number' is a required property" in reported.read_text()

        call = GatewayClient(up.gateway)
        number = f"11040-{uuid.uuid4().int % 10**8:08d}"
        body = {"seeker_number": number, "name": "求職 三郎", "name_kana": "キュウショク サブロウ",
                "birth_date": "1992-02-29", "email": f"{number}@example.jp",
                "office": {"code": "11040", "name": "越谷公共職業安定所"},
                "address": {"postal_code": "343-0023", "prefecture": "埼玉県", "municipality": "越谷市"}}
        created = call("POST", "/api/v1/staff/seekers", body, token=staff_token(call))
        assert created.status == 201, created.data
        event = eventually(lambda: next((e for e in _printed(printed) if e["data"]["seeker_number"] == number), None),
                           timeout=60, message="the registration printed by the subscriber")
        assert (event["type"], event["source"], event["data"]["email"], event["data"]["birth_date"]) == (
            event_type, "/mypage/profile", f"{number}@example.jp", "1992-02-29")
        assert "forged-1" not in printed.read_text()
    finally:
        process.terminate()
        process.wait(30)
        with topology.connection(admin_url) as connection:
            connection.default_channel.queue_delete(queue)
        admin.delete_users([broker_users.user_name(broker_users.SUBSCRIBER, exchange)])


def test_s8_make_down_stops_every_process_of_the_stack(up):
    processes = _descendants(up.process.pid)
    assert len(processes) >= 20  # supervisord, its programs and their children
    done = up.down()
    assert done.returncode == 0, done.stderr
    assert up.process.wait(60) == 0
    eventually(lambda: not [pid for pid in processes if _alive(pid)], timeout=30,
               message="every process of the stack gone")
    assert _get(f"{up.gateway}/healthz")[0] is None
