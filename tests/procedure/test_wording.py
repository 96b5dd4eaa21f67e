"""The words every page, list and export uses for deadlines, stages and dates, and the one
definition of overdue, due today and due soon.

Christmas 2026 in England: Fri 25 Dec (Christmas Day), Sat 26, Sun 27 and Mon 28 (the
Boxing Day substitute) are not working days. From Thu 24 Dec, working days 1, 2 and 3
are Tue 29, Wed 30 and Thu 31 Dec.
"""

from __future__ import annotations

import datetime as dt

import pytest

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import (
    APPEAL_DECISION,
    OMBUDSMAN_DIRECT,
    Due,
    Timing,
    contact_name,
    deadline_label,
    policy_deadlines,
    soon_until,
    timing,
)
from putright.procedure.loader import load
from putright.procedure.states import State, stage_and_state, stage_label, stage_phrase
from putright.procedure.wording import and_list, day_of, due_words, moment_of, short_date
from tests.procedure.when import LONDON, day, london

CALENDAR = WorkingCalendar()
NOW = london("Thu", 2026, 12, 24, 10, 0)


# Deadline names


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("stage1.contact", "Stage 1 first contact"),
        ("stage1.response", "Stage 1 response"),
        ("stage1.extended_response", "Stage 1 response (extended)"),
        ("stage2.contact", "Stage 2 first contact"),
        ("stage2.response", "Stage 2 response"),
        ("stage2.extended_response", "Stage 2 response (extended)"),
        ("appeal.meeting", "Appeal meeting"),
        ("appeal.decision", "Appeal decision"),
        ("ombudsman.direct", "Customer may go to the Housing Ombudsman directly"),
    ],
)
def test_each_deadline_has_one_name_in_words(name: str, words: str) -> None:
    assert deadline_label(name) == words


def test_every_deadline_a_policy_sets_has_its_own_words() -> None:
    names = [d.name for d in policy_deadlines(load("flagship").policy, CALENDAR, NOW)]
    labels = [deadline_label(n) for n in names]
    assert len(set(labels)) == len(names)
    assert all("." not in label and "_" not in label for label in labels)


def test_a_name_without_words_is_still_readable_and_no_name_is_blank() -> None:
    assert deadline_label("review.panel_notes") == "Review panel notes"
    assert deadline_label("") == deadline_label(None) == ""
    assert deadline_label(contact_name(1)) == "Stage 1 first contact"
    assert deadline_label(APPEAL_DECISION) == "Appeal decision"
    assert deadline_label(OMBUDSMAN_DIRECT).startswith("Customer may go")


# Stages


def test_each_stage_has_one_name() -> None:
    assert [stage_label(n) for n in range(4)] == ["Triage", "Stage 1", "Stage 2", "Appeal"]
    assert [stage_phrase(n) for n in range(4)] == ["triage", "stage 1", "stage 2", "the appeal"]


def test_the_stage_is_said_once_beside_the_state() -> None:
    assert stage_and_state(1, State.STAGE1) == "Stage 1: investigating"
    assert stage_and_state(2, State.STAGE2) == "Stage 2: under review"
    assert stage_and_state(3, State.APPEAL_REQUESTED) == "Appeal requested"
    assert stage_and_state(1, State.CLOSED) == "Stage 1: Closed"
    assert stage_and_state(0, State.RECEIVED) == "Triage: Received, awaiting triage"


# Dates


def test_dates_and_times_are_said_in_the_zone_given() -> None:
    winter = dt.datetime(2026, 12, 24, 23, 30, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on Thu 2 July in London (BST)
    assert day_of(winter, LONDON) == "Thursday 24 December 2026"
    assert day_of(summer, LONDON) == "Thursday 2 July 2026"
    assert moment_of(summer, LONDON) == "Thursday 2 July 2026 at 00:30"
    assert day_of(day("Fri", 2027, 1, 1), LONDON) == "Friday 1 January 2027"
    assert short_date(day("Tue", 2026, 3, 3)) == "3 Mar 2026"
    assert day_of(None, LONDON) == moment_of(None, LONDON) == due_words(None, LONDON) == ""


def test_a_deadline_at_the_end_of_a_day_is_said_as_the_day_alone() -> None:
    end_of_day = CALENDAR.end_of_day(day("Wed", 2026, 12, 30))
    assert due_words(end_of_day, LONDON) == "Wednesday 30 December 2026"
    assert due_words(london("Tue", 2026, 12, 29, 9, 0), LONDON) == "Tuesday 29 December 2026 at 09:00"


# Overdue, due today, due soon


@pytest.mark.parametrize(
    ("due_at", "expected"),
    [
        (london("Tue", 2026, 12, 22, 10, 0), Timing(Due.OVERDUE, 2)),  # Wed 23, Thu 24 since
        (london("Thu", 2026, 12, 24, 9, 59), Timing(Due.OVERDUE, 0)),  # earlier today
        (london("Thu", 2026, 12, 24, 11, 0), Timing(Due.TODAY, 0)),
        (london("Sat", 2026, 12, 26, 12, 0), Timing(Due.SOON, 0)),  # no working day before it
        (london("Tue", 2026, 12, 29, 9, 0), Timing(Due.SOON, 1)),
        (CALENDAR.end_of_day(day("Wed", 2026, 12, 30)), Timing(Due.SOON, 2)),
        (CALENDAR.end_of_day(day("Thu", 2026, 12, 31)), Timing(Due.LATER, 3)),
    ],
)
def test_when_a_deadline_falls_is_counted_in_working_days(due_at: dt.datetime, expected: Timing) -> None:
    assert timing(due_at, CALENDAR, NOW) == expected


def test_due_soon_follows_the_case_calendar() -> None:
    """A closure day of the landlord's policy counts in "working days left"."""
    closed = WorkingCalendar(closure_days=frozenset({day("Tue", 2026, 12, 29)}))
    due_at = CALENDAR.end_of_day(day("Thu", 2026, 12, 31))
    assert timing(due_at, CALENDAR, NOW).due is Due.LATER
    assert timing(due_at, closed, NOW) == Timing(Due.SOON, 2)


def test_the_query_limit_of_due_soon_agrees_with_the_count_of_working_days() -> None:
    """Every hour for three weeks: due today or soon exactly when before ``soon_until``."""
    closed = WorkingCalendar(closure_days=frozenset({day("Tue", 2026, 12, 29)}))
    # The third working day: Thu 31 Dec; with Tue 29 closed (and New Year's Day), Mon 4 Jan.
    third = {CALENDAR: day("Thu", 2026, 12, 31), closed: day("Mon", 2027, 1, 4)}
    for calendar, first_not_soon in third.items():
        until = soon_until(calendar, NOW)
        assert until == calendar.start_of_day(first_not_soon)
        for hours in range(21 * 24):
            due_at = NOW + dt.timedelta(hours=hours)
            when = timing(due_at, calendar, NOW)
            assert (when.due in (Due.TODAY, Due.SOON)) == (due_at < until), due_at


def test_a_list_of_names_reads_as_a_sentence():
    assert and_list(["Jo Officer"]) == "Jo Officer"
    assert and_list(["Jo Officer", "Sam Lead"]) == "Jo Officer and Sam Lead"
    assert and_list(["Jo", "Sam", "Lena"]) == "Jo, Sam and Lena"
