"""S5 and C1 on RabbitMQ: a gateway process's revocation queue is bound to both routing keys —
`auth.session.revoked.v1` and `auth.client_tokens.revoked.v1` — so ended sessions and an employer
client's refused tokens reach it from a real broker, as they do in every distributed gateway replica."""

from __future__ import annotations

import pytest

from kit.events import Event
from tests.component.auth.conftest import through_the_listener


@pytest.mark.parametrize("event", [
    Event(type="auth.session.revoked.v1", source="/mypage/auth",
          data={"seeker_id": "seeker-1", "session_ids": ["s-1"], "reason": "logout"}),
    Event(type="auth.client_tokens.revoked.v1", source="/mypage/auth",
          data={"client_id": "ec-1", "session_ids": ["c-1"], "reason": "secret_rotated"}),
], ids=["session", "client tokens"])
def test_c1_s5_the_listener_learns_both_kinds_of_revocation_from_rabbitmq(amqp_bus, event):
    revoked = through_the_listener(amqp_bus, event, event.data["session_ids"])
    assert event.data["session_ids"][0] in revoked
