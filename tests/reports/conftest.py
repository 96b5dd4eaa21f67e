"""Fixtures of the reports tests (tests/conftest.py has the organisation, staff and ``log``)."""

from __future__ import annotations

from tests.api.conftest import api  # noqa: F401 (fixtures)
from tests.cases.conftest import _fast_passwords, code_2024, journey  # noqa: F401 (fixtures)
