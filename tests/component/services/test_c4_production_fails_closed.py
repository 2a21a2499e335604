"""C4: any MYPAGE_ENV other than an explicit development/test value is production, and production
refuses at start the in-memory bus, SQLite, default passwords, the dev signing and HMAC keys, the dev
clients, and serves no /dev pages.

The finding (issue 10): `Production`, `prod` or `staging` brought every development default back,
because only the exact string `production` counted.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gateway.app import create_gateway
from kit.settings import ROOT, ConfigurationError, Settings
from services.auth.config import DEV_HMAC_KEY, DEV_SIGNING_KEY_FILE, load_secrets

PRODUCTION_SPELLINGS = ["Production", "prod", "staging"]
RABBIT = "amqp://mypage:Xq7-random-broker-secret@rabbit:5672/%2F"
JWKS = "http://mypage-auth-web/api/v1/auth/jwks"
POSTGRES = "postgresql://mypage_auth:Vt3-random-database-secret@db:5432/mypage_auth"
HMAC_KEY = "h" * 40


@pytest.fixture(params=PRODUCTION_SPELLINGS)
def env(request) -> str:
    return request.param


def _environ(env: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"MYPAGE_ENV": env, "MYPAGE_VAR_DIR": str(tmp_path), "MYPAGE_AMQP_URL": RABBIT, "MYPAGE_JWKS_URL": JWKS,
            "MYPAGE_AUTH_DATABASE_URL": POSTGRES, **extra}


def _pem() -> str:
    return Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                      serialization.NoEncryption()).decode()


@pytest.mark.parametrize("value", [*PRODUCTION_SPELLINGS, "production", "PRODUCTION", "Dev", "dev ", "develop", ""])
def test_c4_every_value_but_dev_development_and_test_is_production(value):
    assert Settings(service="auth", env=value).production


@pytest.mark.parametrize("value", ["dev", "development", "test"])
def test_c4_dev_development_and_test_are_development(value):
    assert not Settings(service="auth", env=value).production


def test_c4_production_spellings_refuse_the_in_memory_bus(env, tmp_path):
    environ = _environ(env, tmp_path)
    del environ["MYPAGE_AMQP_URL"]
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env("auth", environ)
    assert str(refused.value) == (f"MYPAGE_ENV='{env}' is production (development is only dev, development, test): "
                                  "MYPAGE_AMQP_URL must name a RabbitMQ broker, not the in-memory bus")


def test_c4_production_spellings_refuse_sqlite(env, tmp_path):
    environ = _environ(env, tmp_path)
    del environ["MYPAGE_AUTH_DATABASE_URL"]
    with pytest.raises(ConfigurationError, match="MYPAGE_AUTH_DATABASE_URL must be PostgreSQL, not SQLite"):
        Settings.from_env("auth", environ)


@pytest.mark.parametrize("name, url", [
    ("MYPAGE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"),
    ("MYPAGE_AMQP_URL", "amqp://mypage:mypage@rabbitmq:5672/%2F"),  # compose's old default
    ("MYPAGE_AUTH_DATABASE_URL", "postgresql://mypage_auth:mypage@postgres:5432/mypage_auth"),
    ("MYPAGE_AUTH_DATABASE_URL", "postgresql+psycopg://postgres:postgres@db/mypage_auth"),
    ("MYPAGE_SMTP_URL", "smtp://mail:password@smtp.example.jp:587"),
    ("MYPAGE_AMQP_URL", "amqp://mypage:CHANGE-ME@rabbitmq:5672/%2F"),  # deploy/k8s/secrets.example.yaml as is
])
def test_c4_production_spellings_refuse_default_passwords(env, tmp_path, name, url):
    with pytest.raises(ConfigurationError, match=f"{name} uses a default password"):
        Settings.from_env("auth", _environ(env, tmp_path, **{name: url}))


def test_c4_production_accepts_real_settings(env, tmp_path):
    settings = Settings.from_env("auth", _environ(env, tmp_path, MYPAGE_SMTP_URL="smtp://smtp.example.jp:25"))
    assert settings.production and not settings.embedded


def test_c4_development_keeps_its_defaults(tmp_path):
    settings = Settings.from_env("auth", {"MYPAGE_ENV": "test", "MYPAGE_VAR_DIR": str(tmp_path),
                                          "MYPAGE_AMQP_URL": "amqp://guest:guest@127.0.0.1:5672/%2F"})
    assert not settings.production and settings.database_url.startswith("sqlite")


def _auth_settings(env: str, tmp_path: Path, **secrets: str) -> Settings:
    environ = _environ(env, tmp_path, **{f"MYPAGE_AUTH_SECRET_{k.upper()}": v for k, v in secrets.items()})
    return Settings.from_env("auth", environ)


def test_c4_production_spellings_refuse_a_missing_or_development_hmac_key(env, tmp_path):
    with pytest.raises(ConfigurationError, match=f"MYPAGE_ENV='{env}' is production.*HMAC_KEY is required"):
        load_secrets(_auth_settings(env, tmp_path, signing_key=_pem()))
    with pytest.raises(ConfigurationError, match="not the development key"):
        load_secrets(_auth_settings(env, tmp_path, signing_key=_pem(), hmac_key=DEV_HMAC_KEY))


def test_c4_production_spellings_refuse_a_missing_or_development_signing_key(env, tmp_path):
    with pytest.raises(ConfigurationError, match="SIGNING_KEY\\(_FILE\\) is required"):
        load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY))
    dev_key = tmp_path / DEV_SIGNING_KEY_FILE
    dev_key.write_text(_pem())
    with pytest.raises(ConfigurationError, match="the development signing key cannot be used"):
        load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY, signing_key_file=str(dev_key)))
    assert not (tmp_path / "jwks.json").exists()


def test_c4_production_spellings_have_no_dev_clients_and_refuse_their_secrets(env, tmp_path):
    secrets = load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY, signing_key=_pem()))
    assert secrets.clients == {}
    with pytest.raises(ConfigurationError, match="client employer has a development or short secret"):
        load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY, signing_key=_pem(),
                                    clients="employer:employer:employer-dev-secret"))


def test_c4_production_spellings_serve_no_dev_pages(env, tmp_path):
    settings = Settings(service="gateway", env=env, var_dir=tmp_path,
                        secrets={"secret_operations_token": "o" * 32})
    (tmp_path / "mail").mkdir()
    client = create_gateway({}, settings).test_client()
    for path in ("/dev/mail", "/dev/mail.json", "/dev/events", "/dev/events.json"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"


def _start(module: list[str], environ: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MYPAGE_")}
    return subprocess.run([sys.executable, "-m", *module], cwd=ROOT, env={**clean, **environ},
                          capture_output=True, text=True, timeout=120)


def test_c4_a_service_started_as_staging_with_the_embedded_defaults_refuses_to_start(tmp_path):
    result = _start(["services.auth", "migrate"], {"MYPAGE_ENV": "staging", "MYPAGE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "MYPAGE_ENV='staging' is production" in result.stderr
    assert not (tmp_path / "auth.db").exists()


def test_c4_the_gateway_started_as_prod_without_an_operations_token_refuses_to_start(tmp_path):
    urls = {f"MYPAGE_{s.upper()}_URL": "http://127.0.0.1:9" for s in ("auth", "profile", "jobs", "messaging",
                                                                      "retention")}
    result = _start(["gateway", "--distributed", "--bind", "127.0.0.1:0"],
                    {"MYPAGE_ENV": "prod", "MYPAGE_VAR_DIR": str(tmp_path), "MYPAGE_AMQP_URL": RABBIT,
                     "MYPAGE_JWKS_URL": JWKS, **urls})
    assert result.returncode != 0
    assert "MYPAGE_ENV='prod' is production" in result.stderr
    assert "MYPAGE_GATEWAY_SECRET_OPERATIONS_TOKEN" in result.stderr


def test_c2_production_spellings_refuse_a_configured_employer_client_acting_for_every_establishment(env, tmp_path):
    with pytest.raises(ConfigurationError, match="client acme would act for every establishment; register employer "
                                                 "clients with their establishments"):
        load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY, signing_key=_pem(),
                                    clients="acme:employer:" + "s" * 32))
    staff_only = load_secrets(_auth_settings(env, tmp_path, hmac_key=HMAC_KEY, signing_key=_pem(),
                                             clients="desk:staff@11040:" + "s" * 32))
    assert list(staff_only.clients) == ["desk"] and staff_only.clients["desk"].establishments is None


@pytest.mark.parametrize("url", [None, "http://mypage.example.go.jp", "  "])
def test_c4_production_spellings_refuse_auth_without_the_public_https_address_of_mail_links(env, tmp_path, url):
    from services.auth.app import build_runtime

    extra = {} if url is None else {"MYPAGE_AUTH_PUBLIC_URL": url}
    with pytest.raises(ConfigurationError, match=f"MYPAGE_ENV='{env}' is production.*MYPAGE_AUTH_PUBLIC_URL"):
        build_runtime(Settings.from_env("auth", _environ(env, tmp_path, **extra)))


def test_c4_production_takes_the_configured_public_address_for_mail_links(env, tmp_path):
    from services.auth import digests

    settings = Settings.from_env("auth", _environ(env, tmp_path, MYPAGE_AUTH_PUBLIC_URL="https://mypage.example.go.jp/"))
    assert digests.public_url(settings) == "https://mypage.example.go.jp"
    development = Settings.from_env("auth", {"MYPAGE_ENV": "dev", "MYPAGE_VAR_DIR": str(tmp_path)})
    assert digests.public_url(development) == "http://127.0.0.1:8080"
