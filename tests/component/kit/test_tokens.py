"""DESIGN §5: services verify EdDSA access tokens; /me resources belong to the token's seeker."""

from datetime import timedelta

import jwt
import pytest
from flask.views import MethodView
from flask_smorest import Blueprint

from kit.clock import FrozenClock
from kit.runtime import Runtime
from kit.settings import Settings
from kit.testing.tokens import TestSigner
from kit.tokens import STAFF, current_seeker_id, require_role
from kit.web import create_service_app
from services.auth.app import MIGRATIONS
from services.auth.models import Base


@pytest.fixture
def clock():
    return FrozenClock("2026-11-26T09:00:00+00:00")


@pytest.fixture
def signer(clock):
    return TestSigner(clock)


@pytest.fixture
def client(signer, clock):
    blp = Blueprint("probe", __name__, url_prefix="/api/v1")

    @blp.route("/me/probe")
    class Mine(MethodView):
        def get(self):
            return {"seeker": current_seeker_id()}

    @blp.route("/staff/probe")
    class Staff(MethodView):
        @require_role(STAFF)
        def get(self):
            return {"ok": True}

    runtime = Runtime(Settings.from_env("auth", {}, database_url="sqlite://"), metadata=Base.metadata,
                      migrations=MIGRATIONS, clock=clock)
    app = create_service_app("auth", title="probe", blueprints=[blp], runtime=runtime,
                             token_verifier=signer.verifier())
    return app.test_client()


def test_the_token_names_the_seeker(client, signer):
    response = client.get("/api/v1/me/probe", headers=signer.headers("seeker-a"))
    assert response.status_code == 200 and response.get_json() == {"seeker": "seeker-a"}


def test_no_token_is_401(client):
    response = client.get("/api/v1/me/probe")
    assert response.status_code == 401 and response.mimetype == "application/problem+json"


def test_token_valid_until_expiry_and_refused_after(client, signer, clock):
    headers = signer.headers("seeker-a", ttl=timedelta(minutes=5))
    clock.advance(minutes=5)
    assert client.get("/api/v1/me/probe", headers=headers).status_code == 200
    clock.advance(seconds=6)  # past the 5-second leeway
    assert client.get("/api/v1/me/probe", headers=headers).status_code == 401


def test_a_token_from_another_key_is_refused(client, clock):
    forger = TestSigner(clock)  # same kid, different key
    assert client.get("/api/v1/me/probe", headers=forger.headers("seeker-a")).status_code == 401


def test_symmetric_or_unsigned_tokens_are_refused(client):
    claims = {"sub": "seeker-a", "roles": ["seeker"], "iss": "mypage-auth", "aud": "mypage", "iat": 0, "exp": 2**40}
    for token in (jwt.encode(claims, "k" * 32, algorithm="HS256", headers={"kid": "test-key"}),
                  jwt.encode(claims, None, algorithm="none"), "garbage"):
        assert client.get("/api/v1/me/probe", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_roles_are_enforced(client, signer):
    assert client.get("/api/v1/staff/probe", headers=signer.headers("seeker-a")).status_code == 403
    assert client.get("/api/v1/staff/probe", headers=signer.headers("counter", roles=[STAFF])).status_code == 200
    assert client.get("/api/v1/me/probe", headers=signer.headers("counter", roles=[STAFF])).status_code == 403
