"""Typed dates everywhere: every date a service's API reads or writes is kit.fields.TypedDate, so a date
typed with full-width digits or another dash (１９９０－０４－０１) means the same at every door — it was
accepted at profile's registration and refused (422) at auth's opening. Events keep plain dates (their
JSON is written by the services themselves, never typed)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from marshmallow import Schema, fields

from kit.fields import TypedDate

SERVICES = ("auth", "profile", "jobs", "messaging", "retention")


def _schema_modules(service: str):
    module = importlib.import_module(f"services.{service}.schemas")
    yield module
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        yield importlib.import_module(f"{module.__name__}.{info.name}")
    for name in ("api", "clients_api", "audit_api", "internal"):
        try:
            yield importlib.import_module(f"services.{service}.{name}")
        except ModuleNotFoundError:
            continue


def _date_fields(schema: type[Schema]):
    for name, field in schema._declared_fields.items():
        inner = getattr(field, "inner", None)
        for candidate in (field, inner):
            if isinstance(candidate, fields.Date):
                yield f"{schema.__module__}.{schema.__qualname__}.{name}", candidate


@pytest.mark.parametrize("service", SERVICES)
def test_every_date_of_the_api_is_a_typed_date(service):
    schemas = {value for module in _schema_modules(service) for value in vars(module).values()
               if isinstance(value, type) and issubclass(value, Schema) and value.__module__.startswith("services.")}
    dates = [(where, field) for schema in schemas for where, field in _date_fields(schema)]
    assert [where for where, field in dates if not isinstance(field, TypedDate)] == []
    if service in ("auth", "profile", "jobs"):
        assert dates, "the walk found no date at all: it no longer sees the schemas"
