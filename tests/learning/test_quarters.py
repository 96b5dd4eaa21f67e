"""Reporting quarters run from April: quarter 1 is April to June (hand-worked dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.learning.quarters import Quarter


@pytest.mark.parametrize(
    ("day", "start", "key", "label"),
    [
        (dt.date(2026, 4, 1), dt.date(2026, 4, 1), "2026-Q1", "April to June 2026"),
        (dt.date(2026, 6, 30), dt.date(2026, 4, 1), "2026-Q1", "April to June 2026"),
        (dt.date(2026, 7, 1), dt.date(2026, 7, 1), "2026-Q2", "July to September 2026"),
        (dt.date(2026, 12, 25), dt.date(2026, 10, 1), "2026-Q3", "October to December 2026"),
        # January to March belongs to the reporting year that began the April before.
        (dt.date(2027, 1, 1), dt.date(2027, 1, 1), "2026-Q4", "January to March 2027"),
        (dt.date(2027, 3, 31), dt.date(2027, 1, 1), "2026-Q4", "January to March 2027"),
    ],
)
def test_the_quarter_containing_a_day(day, start, key, label):
    quarter = Quarter.containing(day)
    assert (quarter.start, quarter.key, quarter.label) == (start, key, label)


def test_the_end_is_the_first_day_after_the_quarter():
    assert Quarter(dt.date(2026, 4, 1)).end == dt.date(2026, 7, 1)
    assert Quarter(dt.date(2026, 10, 1)).end == dt.date(2027, 1, 1)
    assert Quarter(dt.date(2027, 1, 1)).end == dt.date(2027, 4, 1)


def test_year_and_number():
    q4 = Quarter(dt.date(2027, 1, 1))
    assert (q4.year, q4.number) == (2026, 4)
    assert (Quarter(dt.date(2026, 7, 1)).year, Quarter(dt.date(2026, 7, 1)).number) == (2026, 2)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("2026-Q1", dt.date(2026, 4, 1)),
        ("2026-Q2", dt.date(2026, 7, 1)),
        ("2026-Q3", dt.date(2026, 10, 1)),
        ("2026-Q4", dt.date(2027, 1, 1)),
        (" 2026-q4 ", dt.date(2027, 1, 1)),
        ("2026-10-01", dt.date(2026, 10, 1)),
    ],
)
def test_parse_a_key_or_a_first_day(text, start):
    assert Quarter.parse(text).start == start


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "Q1-2026", "2026-05-01", "2026-04-02", "soon"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        Quarter.parse(text)


def test_a_quarter_starts_on_its_first_day():
    with pytest.raises(ValueError, match="not the first day of a reporting quarter"):
        Quarter(dt.date(2026, 5, 1))


def test_previous_and_next_cross_the_year():
    q1 = Quarter(dt.date(2026, 4, 1))
    assert q1.previous() == Quarter(dt.date(2026, 1, 1))
    assert q1.previous().key == "2025-Q4"
    assert Quarter(dt.date(2026, 10, 1)).next() == Quarter(dt.date(2027, 1, 1))
    assert q1.next().previous() == q1


def test_quarters_sort_by_time():
    days = [dt.date(2027, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 10, 1)]
    assert [q.key for q in sorted(Quarter(d) for d in days)] == ["2026-Q1", "2026-Q3", "2026-Q4"]
