"""DESIGN §8: deploy/prometheus/alerts.yaml and deploy/grafana/ watch the metrics the services export.

promtool (Debian's `prometheus` package; .ci/run installs it) checks the rules and runs their unit
tests (alerts.test.yaml: each alert fires at its threshold, not below). The dashboard and the
alerts may name only metrics kit.metrics really exports — read from a live scrape here.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from kit.metrics import BusCollector, BusProbe
from kit.settings import ROOT
from kit.testing.plugin import unavailable
from tests.conftest import SERVICE

PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"
METRIC = re.compile(r"\bmypage_[a-z_]+\b")


def _promtool(*args: str) -> subprocess.CompletedProcess:
    promtool = shutil.which("promtool")
    if promtool is None:
        unavailable("promtool is not installed (apt-get install prometheus)")
    return subprocess.run([promtool, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=120)


def test_s8_the_alert_rules_pass_promtool_check():
    checked = _promtool("check", "rules", "alerts.yaml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 7 rules found" in checked.stdout


def test_s8_each_alert_fires_at_its_threshold_and_not_below():
    tested = _promtool("test", "rules", "alerts.test.yaml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    tests = yaml.safe_load((PROMETHEUS / "alerts.test.yaml").read_text(encoding="utf-8"))["tests"]
    tested_alerts = {case["alertname"] for test in tests for case in test["alert_rule_test"] if case["exp_alerts"]}
    assert tested_alerts == {rule["alert"] for rule in _rules()}


def _rules() -> list[dict]:
    document = yaml.safe_load((PROMETHEUS / "alerts.yaml").read_text(encoding="utf-8"))
    return [rule for group in document["groups"] for rule in group["rules"]]


def _dashboard_expressions(dashboard: dict) -> list[str]:
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


@pytest.fixture
def exported(bus_world, memory_bus, tmp_path) -> set[str]:
    """Every metric name a scrape of a process running a relay and a consumer shows."""
    world = bus_world(f"sqlite:///{tmp_path / 'bus.db'}", memory_bus)
    world.declare()
    probe = BusProbe(SERVICE, world.engine, world.outbox, memory_bus.url, memory_bus.exchange, consumes=True)
    probe.relays.append(world.relay)
    probe.consumers.append(world.make_consumer())
    registry = CollectorRegistry()
    registry.register(BusCollector(probe, role="worker"))
    text = generate_latest(registry).decode()
    return {sample.name for family in text_string_to_metric_families(text) for sample in family.samples}


def test_s8_the_grafana_dashboard_parses_and_names_only_exported_metrics(exported):
    dashboards = sorted(GRAFANA.glob("*.json"))
    assert dashboards, "deploy/grafana/ has no dashboard"
    for path in dashboards:
        dashboard = json.loads(path.read_text(encoding="utf-8"))
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids)), f"{path.name}: panel ids repeat"
        expressions = _dashboard_expressions(dashboard)
        assert all(panel["targets"] for panel in dashboard["panels"]), f"{path.name}: a panel shows nothing"
        named = {name for expr in expressions for name in METRIC.findall(expr)}
        named |= {name for variable in dashboard["templating"]["list"]
                  for name in METRIC.findall(json.dumps(variable.get("query", "")))}
        assert named - exported == set(), f"{path.name} names metrics nobody exports"
        for metric in ("mypage_outbox_backlog", "mypage_outbox_oldest_age_seconds", "mypage_queue_messages",
                       "mypage_parked_messages", "mypage_events_handled_total", "mypage_events_published_total"):
            assert metric in named, f"{path.name} does not show {metric}"


def test_s8_the_alerts_name_only_exported_metrics(exported):
    named = {name for rule in _rules() for name in METRIC.findall(rule["expr"])}
    assert named - exported == set()
    assert {"mypage_outbox_oldest_age_seconds", "mypage_parked_messages", "mypage_queue_messages"} <= named
