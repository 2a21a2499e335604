"""What the retention service does with inbound events: routing key -> handler(event, uow)."""

from kit.runtime import Handler

SUBSCRIPTIONS: dict[str, Handler] = {}
