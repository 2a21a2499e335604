"""Issue 11 item 4 / DESIGN §8: the broker users' grants (kit/broker_users.py) agree with the code.

Each service's topic permission on the events exchange admits every event type it publishes and none
another service publishes; the gateway's admits the revocation types it binds; the queues the code
names for a service fall in its own resource patterns and in no other's (tests/integration/
test_broker_users_rabbitmq.py shows RabbitMQ enforcing them).
"""

from __future__ import annotations

import importlib
import re

import pytest

from gateway import security
from kit import broker_users, topology
from kit.settings import DEFAULT_EXCHANGE, SERVICES


def _publishes(service: str) -> list[str]:
    return [spec.type for spec in importlib.import_module(f"services.{service}.events").PUBLISHES]


def _topic_write(who: str) -> re.Pattern:
    return re.compile(broker_users.grant(who).topics[DEFAULT_EXCHANGE][0])


@pytest.mark.parametrize("service", SERVICES)
def test_s8_a_service_may_publish_exactly_its_own_event_types(service):
    for owner in SERVICES:
        for event_type in _publishes(owner):
            assert bool(_topic_write(service).match(event_type)) == (owner == service), (service, event_type)


def test_s8_the_gateway_and_the_subscriber_publish_nothing_and_the_gateway_binds_the_revocations():
    every_type = [event_type for service in SERVICES for event_type in _publishes(service)]
    for who in (broker_users.GATEWAY, broker_users.SUBSCRIBER, broker_users.EMPLOYER):
        assert not any(_topic_write(who).match(event_type) for event_type in every_type)
    assert set(broker_users.GATEWAY_KEYS) == {security.REVOKED_EVENT, security.CLIENT_TOKENS_REVOKED}
    read = re.compile(broker_users.grant(broker_users.GATEWAY).topics[DEFAULT_EXCHANGE][1])
    assert all(read.match(key) for key in broker_users.GATEWAY_KEYS)
    assert not read.match("profile.seeker.changed.v1")


@pytest.mark.parametrize("service", SERVICES)
def test_s8_a_service_reads_its_own_queues_and_no_other_services(service):
    def own(name: str) -> list[str]:
        return [topology.queue_name(name), topology.parking_queue_name(name), topology.parking_routing_key(name),
                *(topology.retry_queue_name(name, delay) for delay in topology.RETRY_DELAYS)]

    read = re.compile(broker_users.grant(service).read)
    for other in SERVICES:
        for queue in own(other):
            assert bool(read.match(queue)) == (other == service), (service, queue)
    assert read.match(topology.queue_name("jobs.search.node-1")) if service == "jobs" else True
    assert not read.match(topology.archive_queue_name()) and not read.match(topology.discard_queue_name())
    assert re.match(broker_users.grant(service).write, topology.archive_queue_name())  # migrate binds it


def test_s8_user_names_and_a_password_hash_rabbitmq_can_check():
    assert broker_users.user_name("auth") == "mypage-auth"
    assert broker_users.user_name("auth", "t-1.events") == "t-1-auth"
    # RabbitMQ's documented example: salt 908D C60A, password "test12"
    assert broker_users.password_hash("test12", bytes.fromhex("908DC60A")) == \
        "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"


def test_j1_the_employer_side_system_publishes_only_its_three_posting_types_and_reads_only_jobs_answers():
    from services.jobs import employer_events

    topics = broker_users.grant(broker_users.EMPLOYER).topics[DEFAULT_EXCHANGE]
    write, read = (re.compile(pattern) for pattern in topics)
    assert all(write.match(key) for key in (employer_events.PUBLISHED, employer_events.CHANGED, employer_events.CLOSED))
    assert not any(write.match(event_type) for service in SERVICES for event_type in _publishes(service))
    for service in SERVICES:  # no service may speak for an employer
        assert not _topic_write(service).match(employer_events.PUBLISHED)
    answers = sorted(event_type for event_type in _publishes("jobs") if read.match(event_type))
    assert answers == ["jobs.posting.accepted.v1", "jobs.posting.rejected.v1"]
