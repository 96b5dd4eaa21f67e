"""Two response shapes with one name would share one entry in the OpenAPI document's components, so
clients (and schemathesis) would read one endpoint's answer against the other's shape."""

from __future__ import annotations

from collections import defaultdict

from ninja import Schema

import putright.api.main  # noqa: F401 - every router and its schemas


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub} | _subclasses(sub)
    return found


def test_every_api_schema_has_a_name_of_its_own():
    by_name: dict[str, set[str]] = defaultdict(set)
    for schema in _subclasses(Schema):
        if schema.__module__.startswith("putright."):
            by_name[schema.__name__].add(schema.__module__)
    assert {name: modules for name, modules in by_name.items() if len(modules) > 1} == {}
