"""Writes of learning: each is one transaction with its audit row (see ``cases.services.steps``)."""

from typing import Any

#: Passed for a field an edit leaves as it is (None would clear it): one marker for every service.
UNCHANGED: Any = object()
