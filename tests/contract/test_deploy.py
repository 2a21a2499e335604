"""DESIGN §4/§8: deploy/ runs every service as web, worker and relay, with probes on /readyz.

No container engine runs here, so the files are parsed and cross-checked instead of run:
every service appears in the Procfile, compose.yaml and k8s/ in every role; the names the
files use (exchanges, databases, service URLs, Secrets) agree with each other and the code.
"""

from __future__ import annotations

import json
import os
import re
import runpy
import shlex
import sys
from pathlib import Path

import pytest
import yaml

from kit import topology
from kit.settings import DEFAULT_EXCHANGE, ROOT, SERVICES

DEPLOY = ROOT / "deploy"
ROLES = ("web", "worker", "relay")


def _yaml_documents(path: Path) -> list:
    with path.open(encoding="utf-8") as handle:
        return [document for document in yaml.safe_load_all(handle) if document is not None]


def _procfile() -> dict[str, str]:
    entries = {}
    for line in (DEPLOY / "Procfile").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            assert match.group(1) not in entries, f"Procfile names {match.group(1)} twice"
            entries[match.group(1)] = match.group(2)
    return entries


def _env_file(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#"))
    return dict(pairs)


@pytest.fixture(scope="module")
def compose() -> dict:
    return _yaml_documents(DEPLOY / "compose.yaml")[0]


@pytest.fixture(scope="module")
def k8s() -> dict[tuple[str, str], dict]:
    """(kind, name) → manifest, for every file kustomization.yaml applies."""
    kustomization = _yaml_documents(DEPLOY / "k8s" / "kustomization.yaml")[0]
    manifests = {}
    for resource in kustomization["resources"]:
        for document in _yaml_documents(DEPLOY / "k8s" / resource):
            key = (document["kind"], document["metadata"]["name"])
            assert key not in manifests, f"{key} declared twice"
            manifests[key] = document
    return manifests


# every file parses --------------------------------------------------------------------------------

def test_every_yaml_and_json_file_in_deploy_parses():
    files = sorted(p for p in DEPLOY.rglob("*") if p.suffix in (".yaml", ".yml", ".json"))
    assert len(files) >= 10
    for path in files:
        if path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        else:
            assert _yaml_documents(path), f"{path} is empty"


def test_every_k8s_manifest_but_the_secret_example_is_applied():
    kustomization = _yaml_documents(DEPLOY / "k8s" / "kustomization.yaml")[0]
    not_applied = {"kustomization.yaml", "secrets.example.yaml"}
    on_disk = {path.name for path in (DEPLOY / "k8s").glob("*.yaml")} - not_applied
    assert set(kustomization["resources"]) == on_disk


# Procfile ---------------------------------------------------------------------------------------------

def test_procfile_runs_every_service_as_web_worker_and_relay_plus_the_gateway():
    entries = _procfile()
    env = _env_file(DEPLOY / "Procfile.env")
    ports = set()
    for service in SERVICES:
        for role in ROLES:
            command = entries[f"{service}_{role}"]
            assert f"$PYTHON -m services.{service} {role}" in command
        web = re.search(r"web --bind 127\.0\.0\.1:(\d+)", entries[f"{service}_web"])
        assert web, entries[f"{service}_web"]
        assert f"-m services.{service} migrate &&" in entries[f"{service}_web"]
        ports.add(web.group(1))
        assert env[f"MYPAGE_{service.upper()}_URL"] == f"http://127.0.0.1:{web.group(1)}"
        for role in ("worker", "relay"):
            assert entries[f"{service}_{role}"].startswith(f"deploy/wait-ready http://127.0.0.1:{web.group(1)}/readyz")
    assert len(ports) == len(SERVICES), "two services share a port"
    assert "-m gateway --distributed --bind 127.0.0.1:8080" in entries["gateway"]


def test_procfile_env_gives_each_service_its_own_database():
    env = _env_file(DEPLOY / "Procfile.env")
    databases = {env[f"MYPAGE_{s.upper()}_DATABASE_URL"].rsplit("/", 1)[1] for s in SERVICES}
    assert databases == {f"mypage_{s}" for s in SERVICES}
    assert env["MYPAGE_AMQP_URL"].startswith("amqp://")
    assert env["MYPAGE_EXCHANGE"] == DEFAULT_EXCHANGE


def test_the_init_script_creates_every_database():
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text(encoding="utf-8")
    listed = re.search(r"^services=\(([^)]*)\)", script, re.M)
    assert listed and set(listed.group(1).split()) == set(SERVICES)
    assert os.access(DEPLOY / "postgres" / "init-databases.sh", os.X_OK)
    assert os.access(DEPLOY / "wait-ready", os.X_OK)


# compose ------------------------------------------------------------------------------------------------

def _command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_compose_runs_every_service_as_web_worker_and_relay_from_one_image(compose):
    services = compose["services"]
    for name in SERVICES:
        for role in ROLES:
            container = services[f"{name}-{role}"]
            assert container["build"]["dockerfile"] == "deploy/Dockerfile"
            assert _command(container).startswith(f"python -m services.{name} {role}")
            migrated = container["depends_on"][f"{name}-migrate"]["condition"]
            assert migrated == "service_completed_successfully", f"{name}-{role} may start before migrate"
        assert _command(services[f"{name}-migrate"]) == f"python -m services.{name} migrate"
        assert services[f"{name}-migrate"]["restart"] == "no"
    assert "python -m services.retention sweep" in _command(services["retention-sweep"])
    assert _command(services["gateway"]).startswith("python -m gateway --distributed")


def test_compose_health_checks_use_readyz(compose):
    services = compose["services"]
    for name in [f"{s}-web" for s in SERVICES]:
        assert "/readyz" in " ".join(services[name]["healthcheck"]["test"]), name
    # the gateway's /readyz answers only to the operations token (issue 10)
    assert "/healthz" in " ".join(services["gateway"]["healthcheck"]["test"])
    for name in SERVICES:
        assert services["gateway"]["depends_on"][f"{name}-web"]["condition"] == "service_healthy"


def test_compose_pins_rabbitmq_3_13_and_postgres_16_with_a_database_per_service(compose):
    services = compose["services"]
    assert re.fullmatch(r"rabbitmq:3\.13(\.\d+)?-management", services["rabbitmq"]["image"])
    assert re.fullmatch(r"postgres:16(\.\d+)?(-\w+)?", services["postgres"]["image"])
    assert any(volume.startswith("./postgres/init-databases.sh:/docker-entrypoint-initdb.d/")
               for volume in services["postgres"]["volumes"])
    assert any(volume.startswith("./rabbitmq/definitions.json:")
               for volume in services["rabbitmq-topology"]["volumes"])
    for name in SERVICES:
        environment = services[f"{name}-web"]["environment"]
        url = environment[f"MYPAGE_{name.upper()}_DATABASE_URL"]
        assert url.startswith(f"postgresql://mypage_{name}:") and url.endswith(f"@postgres:5432/mypage_{name}")
        assert environment[f"MYPAGE_{name.upper()}_URL"] == f"http://{name}-web:8000"


def _containers_of(compose: dict) -> dict[str, str]:
    """compose service name → the My Page service (or `gateway`) whose process it runs."""
    owners = {"gateway": "gateway", "search-indexer": "jobs"}
    owners |= {f"{name}-{role}": name for name in SERVICES for role in (*ROLES, "migrate")}
    owners["retention-sweep"] = "retention"
    assert set(owners) <= set(compose["services"])
    return owners


def test_issue10_compose_has_no_default_password(compose):
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    assert not re.search(r"\$\{[A-Z_]*PASSWORD[A-Z_]*:?-", text), "a password with a default value"
    assert re.findall(r"\$\{([A-Z_]*PASSWORD[A-Z_]*)", text)
    for variable in re.findall(r"\$\{([A-Z_]*PASSWORD[A-Z_]*)", text):
        assert re.search(rf"\$\{{{variable}:\?", text), f"{variable} is not required (${{{variable}:?…}})"
    example = _env_file(DEPLOY / "secrets.env.example")
    for variable in set(re.findall(r"\$\{([A-Z_]*PASSWORD[A-Z_]*):\?", text)):
        assert example.get(variable) == "", f"secrets.env.example lacks {variable}"
    for container in compose["services"].values():
        for value in (container.get("environment") or {}).values():
            password = re.match(r"\w+://[^:/]+:([^@]*)@", str(value))
            assert not password or password.group(1).startswith("${"), value


def test_s8_each_compose_container_holds_only_its_own_service_credentials_and_the_jwks_url(compose):
    for container, owner in _containers_of(compose).items():
        environment = compose["services"][container]["environment"]
        assert "MYPAGE_AMQP_URL" not in environment
        amqp = [key for key in environment if key.endswith("_AMQP_URL")]
        databases = [key for key in environment if key.endswith("_DATABASE_URL")]
        assert amqp == [f"MYPAGE_{owner.upper()}_AMQP_URL"], (container, amqp)
        assert databases == ([] if owner == "gateway" else [f"MYPAGE_{owner.upper()}_DATABASE_URL"]), container
        assert environment[amqp[0]].startswith(f"amqp://mypage-{owner}:")
        assert environment["MYPAGE_JWKS_URL"] == "http://auth-web:8000/api/v1/auth/jwks"
        assert compose["services"][container].get("env_file", []) in (
            [], [{"path": f"secrets/{owner}.env", "required": False}])
    users = compose["services"]["rabbitmq-users"]
    assert users["command"] == ["python", "-m", "kit.broker_users", "provision"]
    assert users["environment"]["MYPAGE_RABBITMQ_ADMIN_URL"].startswith("http://mypage-admin:${RABBITMQ_PASSWORD:?")
    for who in (*SERVICES, "gateway"):
        assert users["environment"][f"MYPAGE_{who.upper()}_AMQP_URL"].startswith(f"amqp://mypage-{who}:")
    for name in SERVICES:
        for role in (*ROLES, "migrate"):
            depends = compose["services"][f"{name}-{role}"]["depends_on"]
            assert depends.get("rabbitmq-users", {}).get("condition") == "service_completed_successfully" or \
                depends.get(f"{name}-migrate"), (name, role)


# Kubernetes ---------------------------------------------------------------------------------------------

def _container(deployment: dict) -> dict:
    containers = deployment["spec"]["template"]["spec"]["containers"]
    assert len(containers) == 1
    return containers[0]


def test_k8s_has_web_worker_and_relay_deployments_per_service_and_probes_on_readyz(k8s):
    for name in SERVICES:
        for role in ROLES:
            deployment = k8s[("Deployment", f"mypage-{name}-{role}")]
            container = _container(deployment)
            assert " ".join(container["command"]).startswith(f"python -m services.{name} {role}")
            template_labels = deployment["spec"]["template"]["metadata"]["labels"]
            assert deployment["spec"]["selector"]["matchLabels"].items() <= template_labels.items()
            assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True
        web = k8s[("Deployment", f"mypage-{name}-web")]
        container = _container(web)
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        init = web["spec"]["template"]["spec"]["initContainers"][0]
        assert init["command"] == ["python", "-m", f"services.{name}", "migrate"]
        service = k8s[("Service", f"mypage-{name}-web")]
        assert service["spec"]["selector"].items() <= web["spec"]["template"]["metadata"]["labels"].items()
    gateway = _container(k8s[("Deployment", "mypage-gateway")])
    assert gateway["command"][:4] == ["python", "-m", "gateway", "--distributed"]
    assert gateway["readinessProbe"]["httpGet"]["path"] == "/healthz"  # its /readyz needs the operations token
    assert {"secretRef": {"name": "mypage-gateway"}} in gateway["envFrom"]


def test_k8s_runs_retention_as_a_cronjob(k8s):
    cronjob = k8s[("CronJob", "mypage-retention-sweep")]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    container = cronjob["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["python", "-m", "services.retention", "sweep"]


def test_k8s_config_and_secret_references_agree(k8s):
    config = k8s[("ConfigMap", "mypage-config")]["data"]
    assert config["MYPAGE_ENV"] == "production"
    assert config["MYPAGE_EXCHANGE"] == DEFAULT_EXCHANGE
    secrets = {document["metadata"]["name"]: document
               for document in _yaml_documents(DEPLOY / "k8s" / "secrets.example.yaml")}
    for name in SERVICES:
        assert config[f"MYPAGE_{name.upper()}_URL"] == f"http://mypage-{name}-web"
        assert f"MYPAGE_{name.upper()}_DATABASE_URL" in secrets[f"mypage-{name}"]["stringData"]
        assert not any(key.startswith("MYPAGE_") and key.endswith("_DATABASE_URL") for key in config)
    for (kind, name), manifest in k8s.items():
        if kind not in ("Deployment", "CronJob"):
            continue
        pod = manifest["spec"]["template"]["spec"] if kind == "Deployment" else \
            manifest["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        for container in pod.get("initContainers", []) + pod["containers"]:
            refs = [(source.get("configMapRef") or source.get("secretRef"))["name"]
                    for source in container["envFrom"]]
            assert "mypage-config" in refs, name
            for ref in refs[1:]:
                assert ref in secrets, f"{name} references Secret {ref}, which secrets.example.yaml lacks"
            service = name.split("-")[1]
            # least privilege: a pod reads its own service's Secret, never another's
            others = {ref for ref in refs if ref.removeprefix("mypage-") in SERVICES} - {f"mypage-{service}"}
            assert not others, f"{name} reads {others}"


# RabbitMQ, Dockerfile, CI --------------------------------------------------------------------------

def test_rabbitmq_definitions_declare_the_exchanges_the_code_uses():
    definitions = json.loads((DEPLOY / "rabbitmq" / "definitions.json").read_text(encoding="utf-8"))
    exchanges = {exchange["name"]: exchange for exchange in definitions["exchanges"]}
    for expected in (topology.events_exchange(), topology.dead_letter_exchange()):
        declared = exchanges[expected.name]
        assert declared["type"] == expected.type
        assert declared["durable"] is True and declared["auto_delete"] is False
    assert exchanges[DEFAULT_EXCHANGE]["type"] == "topic"
    assert definitions["users"] == [] and definitions["queues"] == []


def test_dockerfile_is_python_3_11_slim_non_root_and_installs_the_project():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.M)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users and not users[-1].startswith(("root", "0"))
    assert "pip install" in dockerfile
    for source in re.findall(r"^COPY\s+(\S+)\s+", dockerfile, re.M):
        assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"


def test_ci_runs_make_test_under_ci_true():
    script = ROOT / ".ci" / "run"
    assert os.access(script, os.X_OK)
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert "export CI=true" in text
    assert re.search(r"^make test$", text, re.M)


# the commands deploy/ runs are ones the code accepts -------------------------------------------------

def _deployed_commands() -> list[tuple[str, list[str]]]:
    """Every (module, arguments) that compose runs, which the Procfile and k8s tests tie to it."""
    found = set()
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    for container in compose["services"].values():
        for module, arguments in re.findall(r"python -m ([\w.]+)([^;]*)", _command(container)):
            found.add((module, tuple(shlex.split(arguments))))
    return sorted((module, list(arguments)) for module, arguments in found)


NOT_YET: dict[tuple[str, str], str] = {}  # (module, command) -> why the code does not accept it yet


@pytest.mark.parametrize(("module", "arguments"), [
    pytest.param(module, arguments, id=f"{module} {' '.join(arguments)}",
                 marks=[pytest.mark.xfail(reason=NOT_YET[(module, arguments[0])], strict=False)]
                 if (module, arguments[0]) in NOT_YET else [])
    for module, arguments in _deployed_commands()
])
def test_every_command_deploy_runs_is_accepted_by_the_code(monkeypatch, capsys, module, arguments):
    """`--help` after the arguments: argparse checks the command, then exits before doing anything."""
    monkeypatch.setattr(sys, "argv", [module, *arguments, "--help"])
    monkeypatch.delitem(sys.modules, module, raising=False)  # run as __main__, not beside an imported copy
    with pytest.raises(SystemExit) as exited:
        runpy.run_module(module, run_name="__main__", alter_sys=False)
    assert exited.value.code == 0, capsys.readouterr().err


# the search nodes (DESIGN §9) ---------------------------------------------------------------------------

def test_search_nodes_run_groonga_and_an_indexer_everywhere(compose, k8s):
    entries = _procfile()
    env = _env_file(DEPLOY / "Procfile.env")
    assert entries["search_engine"].startswith("deploy/groonga-server var/search 10041")
    assert "$PYTHON -m services.jobs indexer" in entries["search_indexer"]
    assert env["MYPAGE_SEARCH_URL"] == "http://127.0.0.1:10041"
    assert os.access(DEPLOY / "groonga-server", os.X_OK)
    assert _command(compose["services"]["search-indexer"]) == "python -m services.jobs indexer --bind 0.0.0.0:9000"
    assert compose["services"]["search"]["volumes"] == ["search-data:/search"]
    assert "groonga-bin" in (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    search = k8s[("StatefulSet", "mypage-search")]
    pod = search["spec"]["template"]["spec"]
    assert {c["name"] for c in pod["containers"]} == {"groonga", "indexer"}
    assert search["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "index"
    assert ("Service", "mypage-search") in k8s
    indexer = next(c for c in pod["containers"] if c["name"] == "indexer")
    assert "readinessProbe" in indexer


def test_s8_the_search_indexer_serves_healthz_on_its_bind_port_and_is_probed_and_scraped_there(compose, k8s):
    """Like the workers: `indexer --bind` serves /healthz (failing when its loop stands still while posting
    events wait, kit.metrics) and /metrics; k8s restarts it on /healthz, compose checks it, Prometheus may
    scrape it (its readiness stays "an index is loaded")."""
    pod = k8s[("StatefulSet", "mypage-search")]["spec"]["template"]["spec"]
    container = next(c for c in pod["containers"] if c["name"] == "indexer")
    assert container["command"][:6] == ["python", "-m", "services.jobs", "indexer", "--bind", "0.0.0.0:9000"]
    ports = {entry["name"]: entry["containerPort"] for entry in container["ports"]}
    check = container["livenessProbe"]["httpGet"]
    assert check["path"] == "/healthz" and ports[check["port"]] == 9000
    assert container["livenessProbe"]["failureThreshold"] * container["livenessProbe"]["periodSeconds"] >= 60
    assert "config_get" in " ".join(container["readinessProbe"]["exec"]["command"])
    search = _pods(k8s)["mypage-search"]
    assert _allowed(k8s, None, search, 9000, source_namespace="monitoring")
    assert not _allowed(k8s, None, search, 9000, source_namespace="elsewhere")
    healthcheck = " ".join(compose["services"]["search-indexer"]["healthcheck"]["test"])
    assert "http://127.0.0.1:9000/healthz" in healthcheck


def test_s8_k8s_gives_each_service_its_own_rabbitmq_user_and_a_job_creates_them(k8s):
    secrets = {document["metadata"]["name"]: document["stringData"]
               for document in _yaml_documents(DEPLOY / "k8s" / "secrets.example.yaml")}
    assert "mypage-amqp" not in secrets  # no shared broker login
    for who in (*SERVICES, "gateway"):
        own = [key for key in secrets[f"mypage-{who}"] if key.endswith("_AMQP_URL")]
        assert own == [f"MYPAGE_{who.upper()}_AMQP_URL"]
        assert secrets[f"mypage-{who}"][own[0]].startswith(f"amqp://mypage-{who}:")
    job = k8s[("Job", "mypage-broker-users")]["spec"]["template"]["spec"]["containers"][0]
    assert job["command"] == ["python", "-m", "kit.broker_users", "provision"]
    refs = {(source.get("configMapRef") or source.get("secretRef"))["name"] for source in job["envFrom"]}
    assert refs == {"mypage-config", "mypage-rabbitmq-admin", *(f"mypage-{who}" for who in (*SERVICES, "gateway"))}
    assert "MYPAGE_RABBITMQ_ADMIN_URL" in secrets["mypage-rabbitmq-admin"]


def test_issue10_k8s_sets_mypage_jwks_url_to_auths_endpoint(k8s):
    config = k8s[("ConfigMap", "mypage-config")]["data"]
    assert config["MYPAGE_JWKS_URL"] == f"{config['MYPAGE_AUTH_URL']}/api/v1/auth/jwks"


# issue 11 item 7: probes for workers and relays, autoscaling, disruption budgets ---------------------

def test_s8_k8s_workers_and_relays_serve_healthz_on_their_bind_port_and_are_probed_there(k8s):
    for name in SERVICES:
        for role in ("worker", "relay"):
            container = _container(k8s[("Deployment", f"mypage-{name}-{role}")])
            command = container["command"]
            assert command[:5] == ["python", "-m", f"services.{name}", role, "--bind"]
            port = int(command[5].rsplit(":", 1)[1])
            ports = {entry["name"]: entry["containerPort"] for entry in container["ports"]}
            for probe in ("livenessProbe", "readinessProbe"):
                check = container[probe]["httpGet"]
                assert check["path"] == "/healthz" and ports[check["port"]] == port, (name, role, probe)
            assert container["livenessProbe"]["failureThreshold"] * container["livenessProbe"]["periodSeconds"] >= 60


def _selects(selector: dict, deployment: dict) -> bool:
    return selector["matchLabels"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()


def test_s8_k8s_every_web_and_the_gateway_autoscale_and_keep_one_pod_through_a_disruption(k8s):
    for name in [f"mypage-{service}-web" for service in SERVICES] + ["mypage-gateway"]:
        deployment = k8s[("Deployment", name)]
        assert "replicas" not in deployment["spec"], f"{name}: kubectl apply would undo the autoscaler"
        autoscaler = k8s[("HorizontalPodAutoscaler", name)]["spec"]
        assert autoscaler["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": name}
        assert 2 <= autoscaler["minReplicas"] < autoscaler["maxReplicas"]
        budget = k8s[("PodDisruptionBudget", name)]["spec"]
        assert _selects(budget["selector"], deployment)
        assert 1 <= budget["minAvailable"] < autoscaler["minReplicas"]
        container = _container(deployment)
        assert container["resources"]["requests"]["cpu"], f"{name}: a CPU autoscaler needs a CPU request"
    for service in SERVICES:
        budget = k8s[("PodDisruptionBudget", f"mypage-{service}-worker")]["spec"]
        assert _selects(budget["selector"], k8s[("Deployment", f"mypage-{service}-worker")])
        assert budget["maxUnavailable"] == 1


# issue 10 item 7: NetworkPolicies -------------------------------------------------------------------------

def _pods(k8s) -> dict[str, dict]:
    """Every pod template of the namespace by its workload's name: its labels."""
    pods = {}
    for (kind, name), manifest in k8s.items():
        if kind in ("Deployment", "StatefulSet", "Job"):
            pods[name] = manifest["spec"]["template"]["metadata"]["labels"]
        elif kind == "CronJob":
            pods[name] = manifest["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    return pods


def _matches(selector: dict, labels: dict) -> bool:
    return selector.get("matchLabels", {}).items() <= labels.items()


def _policies_for(k8s, labels: dict, direction: str) -> list[dict]:
    return [manifest["spec"] for (kind, _), manifest in k8s.items()
            if kind == "NetworkPolicy" and _matches(manifest["spec"]["podSelector"], labels)
            and direction in manifest["spec"]["policyTypes"]]


def _peer_allows(peer: dict, labels: dict | None, namespace: str) -> bool:
    """A NetworkPolicy peer against a pod of this namespace (`labels`) or of another namespace (None)."""
    if "namespaceSelector" in peer:
        return labels is None and _matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": namespace}) \
            and "podSelector" not in peer
    return labels is not None and _matches(peer["podSelector"], labels)


def _allowed(k8s, source: dict | None, target: dict, port: int, *, source_namespace: str = "mypage") -> bool:
    """Ingress of `target` on `port` from `source` (labels; None: a pod of `source_namespace`) — and the
    source's own egress when it is one of ours."""
    def rule_allows(rule: dict, peers_key: str, labels: dict | None, namespace: str) -> bool:
        ports = [entry["port"] for entry in rule.get("ports", [])]
        peers = rule.get(peers_key)
        return (not ports or port in ports) and (peers is None or any(
            _peer_allows(peer, labels, namespace) for peer in peers))

    ingress = any(rule_allows(rule, "from", source, source_namespace)
                  for policy in _policies_for(k8s, target, "Ingress") for rule in policy.get("ingress", []))
    if source is None:
        return ingress
    egress = any(rule_allows(rule, "to", target, "mypage")
                 for policy in _policies_for(k8s, source, "Egress") for rule in policy.get("egress", []))
    return ingress and egress


def test_issue10_k8s_denies_everything_a_policy_does_not_allow(k8s):
    deny = k8s[("NetworkPolicy", "mypage-default-deny")]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    for name, labels in _pods(k8s).items():  # every pod has a policy of its own besides the deny and DNS
        assert len(_policies_for(k8s, labels, "Egress")) >= 3, name


def test_issue10_k8s_only_the_gateway_reaches_the_service_webs(k8s):
    pods = _pods(k8s)
    for service in SERVICES:
        web = pods[f"mypage-{service}-web"]
        callers = {name for name, labels in pods.items() if _allowed(k8s, labels, web, 8000)}
        expected = {"mypage-gateway"}
        if service == "auth":  # every web and the gateway read auth's public keys (MYPAGE_JWKS_URL)
            expected |= {f"mypage-{other}-web" for other in SERVICES}
        assert callers == expected, (service, callers)
        assert _allowed(k8s, None, web, 8000, source_namespace="monitoring")  # Prometheus scrapes /metrics
        assert not _allowed(k8s, None, web, 8000, source_namespace="elsewhere")
    assert _allowed(k8s, None, pods["mypage-gateway"], 8080, source_namespace="elsewhere")  # the public door
    search = pods["mypage-search"]
    assert {name for name, labels in pods.items() if _allowed(k8s, labels, search, 10041)} == {"mypage-jobs-web"}


def test_issue10_k8s_workers_and_relays_take_no_connection_and_reach_only_the_database_and_the_broker(k8s):
    pods = _pods(k8s)
    for service in SERVICES:
        for role in ("worker", "relay"):
            labels = pods[f"mypage-{service}-{role}"]
            assert not any(_allowed(k8s, other, labels, 9000) for other in pods.values())
            assert _allowed(k8s, None, labels, 9000, source_namespace="monitoring")
            rules = [rule for policy in _policies_for(k8s, labels, "Egress") for rule in policy.get("egress", [])]
            assert all("to" not in rule or all("namespaceSelector" in peer for peer in rule["to"]) for rule in rules)
            ports = {entry["port"] for rule in rules for entry in rule["ports"]}
            mail = {25, 465, 587} if (service, role) == ("auth", "worker") else set()
            assert ports == {53, 5432, 5672} | mail, (service, role, ports)


def test_s8_compose_checks_every_worker_and_relay_on_its_healthz(compose):
    for name in SERVICES:
        for role in ("worker", "relay"):
            container = compose["services"][f"{name}-{role}"]
            assert container["command"][-2:] == ["--bind", "0.0.0.0:9000"]
            assert "http://127.0.0.1:9000/healthz" in " ".join(container["healthcheck"]["test"])
