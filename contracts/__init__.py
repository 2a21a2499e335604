"""The events catalogue (SPEC E1): contracts/asyncapi.yaml and contracts/schemas/*.json,
generated from every service's `events.PUBLISHES` by `python -m contracts.generate`.

`validate_event(envelope)` checks a published CloudEvent against the checked-in catalogue.
"""

from contracts.convert import ContractError
from contracts.validate import validate_event

__all__ = ["ContractError", "validate_event"]
