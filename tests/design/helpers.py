"""What a browser sends for the Design System's date input, for tests that post forms directly."""

from __future__ import annotations

import datetime as dt


def date_boxes(name: str, iso: str) -> dict[str, str]:
    """The day, month and year boxes of the date ``name`` from an ISO date (all empty for ""):
    {"matter_date-day": "2", "matter_date-month": "11", "matter_date-year": "2026"}."""
    typed = dt.date.fromisoformat(iso) if iso else None
    return {f"{name}-{part}": str(getattr(typed, part)) if typed else "" for part in ("day", "month", "year")}
