"""The periods a report covers, read from their keys, bounded in London time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from putright.reports import periods

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("key", "first", "last", "label"),
    [
        ("2025-26", dt.date(2025, 4, 1), dt.date(2026, 3, 31), "April 2025 to March 2026"),
        ("2026-Q1", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "April to June 2026"),
        ("2025-Q4", dt.date(2026, 1, 1), dt.date(2026, 3, 31), "January to March 2026"),
        (
            "2026-03-28..2026-04-02",
            dt.date(2026, 3, 28),
            dt.date(2026, 4, 2),
            "28 March 2026 to 2 April 2026",
        ),
        ("1999-00", dt.date(1999, 4, 1), dt.date(2000, 3, 31), "April 1999 to March 2000"),
    ],
)
def test_each_key_names_its_days(key, first, last, label):
    period = periods.parse(key)
    assert (period.start, period.last_day, period.label, period.key) == (first, last, label, key)


def test_a_year_starts_and_ends_at_midnight_in_london_whatever_the_clocks():
    year = periods.parse("2025-26")
    # 1 April 2025 is in British Summer Time: midnight in London is 23:00 UTC the day before.
    assert year.starts_at.astimezone(UTC) == dt.datetime(2025, 3, 31, 23, 0, tzinfo=UTC)
    assert not year.contains(dt.datetime(2025, 3, 31, 22, 59, tzinfo=UTC))
    assert year.contains(dt.datetime(2025, 3, 31, 23, 0, tzinfo=UTC))
    # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in London: the next year's.
    assert not year.contains(dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    assert year.contains(dt.datetime(2026, 3, 31, 22, 59, tzinfo=UTC))
    assert periods.parse("2026-27").contains(dt.datetime(2026, 3, 31, 23, 30, tzinfo=UTC))
    # A winter quarter's midnight is midnight UTC.
    assert periods.parse("2025-Q4").starts_at.astimezone(UTC) == dt.datetime(2026, 1, 1, tzinfo=UTC)


def test_the_months_of_a_period_are_cut_to_it():
    months = list(periods.parse("2026-01-15..2026-03-03").months())
    assert [(m.key, m.start, m.last_day) for m in months] == [
        ("2026-01", dt.date(2026, 1, 15), dt.date(2026, 1, 31)),
        ("2026-02", dt.date(2026, 2, 1), dt.date(2026, 2, 28)),
        ("2026-03", dt.date(2026, 3, 1), dt.date(2026, 3, 3)),
    ]
    assert len(list(periods.parse("2025-26").months())) == 12


def test_this_and_last_quarter_and_the_year_of_a_day():
    today = dt.date(2026, 4, 2)
    assert periods.this_quarter(today).key == "2026-Q1"
    assert periods.last_quarter(today).key == "2025-Q4"
    assert periods.year_containing(today).key == "2026-27"
    assert periods.year_containing(dt.date(2026, 3, 31)).key == "2025-26"


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("2025-27", "written like 2025-26"),
        ("2026-Q5", "is not a period"),
        ("next year", "is not a period"),
        ("2026-05-01..2026-04-01", "before the first"),
        ("2026-02-30..2026-03-01", "day is out of range"),
        ("9999-12-31..9999-12-31", "must be before"),
        ("0001-01-01..9999-12-30", "at most ten years"),
        ("9999-Q4", "is not a period"),
    ],
)
def test_a_bad_key_is_refused_saying_why(key, says):
    with pytest.raises(ValueError, match=says):
        periods.parse(key)


def test_ten_years_of_days_is_the_longest():
    assert periods.parse("2016-04-01..2026-03-31").last_day == dt.date(2026, 3, 31)
