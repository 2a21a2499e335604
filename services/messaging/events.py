"""The events the messaging service publishes (the AsyncAPI catalogue is generated from PUBLISHES)."""

from kit.events import EventSpec

PUBLISHES: list[EventSpec] = []
