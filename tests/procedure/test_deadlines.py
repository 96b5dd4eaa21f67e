"""Every deadline each shipped policy sets, worked out by hand from two or three start instants.

``policy_deadlines`` works out each clock of a policy as if it started at the
given instant. The names are stable: the case record, the API and the reminder
sweep all use them.

Working days of England and Wales used below (day 0 is the day the clock starts):

From Mon 12 Jan 2026 (no bank holidays until Easter):
  1 Tue 13, 5 Mon 19 Jan, 10 Mon 26 Jan, 20 Mon 9 Feb, 30 Mon 23 Feb, 40 Mon 9 Mar.

From Thu 17 Dec 2026, over Christmas (Fri 25 Dec Christmas Day, Mon 28 Dec the Boxing
Day substitute, Fri 1 Jan 2027 New Year's Day):
  1 Fri 18, 2 Mon 21, 3 Tue 22, 4 Wed 23, 5 Thu 24 Dec; 6 Tue 29, 7 Wed 30, 8 Thu 31 Dec;
  9 Mon 4, 10 Tue 5, 11 Wed 6, 12 Thu 7, 13 Fri 8, 14 Mon 11, 15 Tue 12, 16 Wed 13,
  17 Thu 14, 18 Fri 15, 19 Mon 18, 20 Tue 19, 21 Wed 20, 22 Thu 21, 23 Fri 22,
  24 Mon 25, 25 Tue 26, 26 Wed 27, 27 Thu 28, 28 Fri 29 Jan; 29 Mon 1, 30 Tue 2,
  31 Wed 3, 32 Thu 4, 33 Fri 5, 34 Mon 8, 35 Tue 9, 36 Wed 10, 37 Thu 11, 38 Fri 12,
  39 Mon 15, 40 Tue 16 Feb 2027.

From Tue 26 May 2026 (the clock of a complaint received after 17:00 on Fri 22 May, before
the Spring bank holiday on Mon 25 May):
  5 Tue 2 Jun, 10 Tue 9 Jun, 20 Tue 23 Jun, 30 Tue 7 Jul 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import (
    Deadline,
    extension_limit,
    ombudsman_direct,
    policy_deadlines,
    stage_clocks,
)
from putright.procedure.loader import load
from putright.procedure.policy import Nation, Policy
from tests.procedure.when import end_of, london

FLAGSHIP = load("flagship").policy
CODE_2024 = load("code-2024").policy

ALL_NAMES = [
    "stage1.contact",
    "stage1.response",
    "stage1.extended_response",
    "stage2.contact",
    "stage2.response",
    "stage2.extended_response",
    "appeal.meeting",
    "appeal.decision",
    "ombudsman.direct",
]
TWO_STAGE_NAMES = [name for name in ALL_NAMES if not name.startswith("appeal.")]


def calendar_of(policy: Policy) -> WorkingCalendar:
    return WorkingCalendar.from_rules(policy.calendar)


def deadlines(policy: Policy, start: dt.datetime) -> dict[str, dt.datetime]:
    return {d.name: d.due_at for d in policy_deadlines(policy, calendar_of(policy), start)}


def test_the_flagship_policy_sets_every_deadline_in_order() -> None:
    found = policy_deadlines(FLAGSHIP, calendar_of(FLAGSHIP), london("Mon", 2026, 1, 12, 10, 0))
    assert [d.name for d in found] == ALL_NAMES


def test_the_code_policy_has_no_appeal_deadlines() -> None:
    found = policy_deadlines(CODE_2024, calendar_of(CODE_2024), london("Mon", 2026, 1, 12, 10, 0))
    assert [d.name for d in found] == TWO_STAGE_NAMES


FLAGSHIP_CASES = [
    pytest.param(
        london("Mon", 2026, 1, 12, 10, 0),
        {
            # 24 working hours: 14 on Monday, 10 on Tuesday.
            "stage1.contact": london("Tue", 2026, 1, 13, 10, 0),
            "stage1.response": end_of("Mon", 2026, 1, 26),  # 10 working days
            "stage1.extended_response": end_of("Mon", 2026, 2, 9),  # 10 more after 26 Jan
            "stage2.contact": end_of("Mon", 2026, 1, 19),  # 5 working days
            "stage2.response": end_of("Mon", 2026, 2, 9),  # 20 working days
            "stage2.extended_response": end_of("Mon", 2026, 2, 23),  # 10 more after 9 Feb
            "appeal.meeting": end_of("Mon", 2026, 2, 9),  # 20 working days
            "appeal.decision": end_of("Mon", 2026, 1, 19),  # 5 working days
            # 8 calendar weeks, same time of day: 19 days to 31 Jan, 28 in Feb, 9 in Mar.
            "ombudsman.direct": london("Mon", 2026, 3, 9, 10, 0),
        },
        id="january-2026",
    ),
    pytest.param(
        london("Thu", 2026, 12, 17, 15, 30),
        {
            # 24 working hours: 8.5 on Thursday, 15.5 on Friday.
            "stage1.contact": london("Fri", 2026, 12, 18, 15, 30),
            "stage1.response": end_of("Tue", 2027, 1, 5),  # day 10
            "stage1.extended_response": end_of("Tue", 2027, 1, 19),  # day 20
            "stage2.contact": end_of("Thu", 2026, 12, 24),  # day 5
            "stage2.response": end_of("Tue", 2027, 1, 19),  # day 20
            "stage2.extended_response": end_of("Tue", 2027, 2, 2),  # day 30
            "appeal.meeting": end_of("Tue", 2027, 1, 19),  # day 20
            "appeal.decision": end_of("Thu", 2026, 12, 24),  # day 5
            # 8 weeks: 14 days to 31 Dec, 31 in January, 11 in February.
            "ombudsman.direct": london("Thu", 2027, 2, 11, 15, 30),
        },
        id="christmas-2026",
    ),
    pytest.param(
        london("Fri", 2026, 5, 22, 17, 45),
        {
            # After the cut-off before a bank holiday Monday: the clock starts at 00:00 on
            # Tuesday 26 May, and 24 working hours is the whole of that Tuesday.
            "stage1.contact": end_of("Tue", 2026, 5, 26),
            "stage1.response": end_of("Tue", 2026, 6, 9),  # day 10
            "stage1.extended_response": end_of("Tue", 2026, 6, 23),  # day 20
            "stage2.contact": end_of("Tue", 2026, 6, 2),  # day 5
            "stage2.response": end_of("Tue", 2026, 6, 23),  # day 20
            "stage2.extended_response": end_of("Tue", 2026, 7, 7),  # day 30
            "appeal.meeting": end_of("Tue", 2026, 6, 23),  # day 20
            "appeal.decision": end_of("Tue", 2026, 6, 2),  # day 5
            # Weeks ignore the cut-off: 9 days to 31 May, 30 in June, 17 in July.
            "ombudsman.direct": london("Fri", 2026, 7, 17, 17, 45),
        },
        id="after-cut-off-before-spring-bank-holiday-2026",
    ),
]


@pytest.mark.parametrize(("start", "expected"), FLAGSHIP_CASES)
def test_flagship_deadlines(start: dt.datetime, expected: dict[str, dt.datetime]) -> None:
    assert deadlines(FLAGSHIP, start) == expected


CODE_2024_CASES = [
    pytest.param(
        london("Mon", 2026, 1, 12, 10, 0),
        {
            "stage1.contact": end_of("Mon", 2026, 1, 19),  # 5 working days
            "stage1.response": end_of("Mon", 2026, 1, 26),  # 10 working days
            "stage1.extended_response": end_of("Mon", 2026, 2, 9),  # 10 more
            "stage2.contact": end_of("Mon", 2026, 1, 19),  # 5 working days
            "stage2.response": end_of("Mon", 2026, 2, 9),  # 20 working days
            "stage2.extended_response": end_of("Mon", 2026, 3, 9),  # 20 more: day 40
            # No wait: the customer may go to the Ombudsman as soon as the final response is given.
            "ombudsman.direct": london("Mon", 2026, 1, 12, 10, 0),
        },
        id="january-2026",
    ),
    pytest.param(
        london("Thu", 2026, 12, 17, 15, 30),
        {
            "stage1.contact": end_of("Thu", 2026, 12, 24),  # day 5
            "stage1.response": end_of("Tue", 2027, 1, 5),  # day 10
            "stage1.extended_response": end_of("Tue", 2027, 1, 19),  # day 20
            "stage2.contact": end_of("Thu", 2026, 12, 24),  # day 5
            "stage2.response": end_of("Tue", 2027, 1, 19),  # day 20
            "stage2.extended_response": end_of("Tue", 2027, 2, 16),  # day 40
            "ombudsman.direct": london("Thu", 2026, 12, 17, 15, 30),
        },
        id="christmas-2026",
    ),
]


@pytest.mark.parametrize(("start", "expected"), CODE_2024_CASES)
def test_code_2024_deadlines(start: dt.datetime, expected: dict[str, dt.datetime]) -> None:
    assert deadlines(CODE_2024, start) == expected


def test_each_deadline_says_the_rule_it_comes_from() -> None:
    rules = {
        d.name: d.rule
        for d in policy_deadlines(FLAGSHIP, calendar_of(FLAGSHIP), london("Mon", 2026, 1, 12, 10, 0))
    }
    assert rules == {
        "stage1.contact": "24 working hours from receipt",
        "stage1.response": "10 working days from receipt",
        "stage1.extended_response": "10 working days from receipt, extended by 10 working days",
        "stage2.contact": "5 working days from request",
        "stage2.response": "20 working days from request",
        "stage2.extended_response": "20 working days from request, extended by 10 working days",
        "appeal.meeting": "20 working days from request",
        "appeal.decision": "5 working days from meeting",
        "ombudsman.direct": "8 weeks from final response",
    }


def test_the_code_policy_rules_are_counted_from_contact() -> None:
    rules = {
        d.name: d.rule
        for d in policy_deadlines(CODE_2024, calendar_of(CODE_2024), london("Mon", 2026, 1, 12, 10, 0))
    }
    assert rules["stage1.response"] == "10 working days from contact"
    assert rules["stage2.extended_response"] == "20 working days from contact, extended by 20 working days"
    assert rules["ombudsman.direct"] == "0 weeks from final response"


def test_deadlines_follow_the_nation_of_the_calendar() -> None:
    # Stage 2 contact, 5 working days from Fri 27 Nov 2026.
    # England: 1 Mon 30 Nov, 2 Tue 1, 3 Wed 2, 4 Thu 3, 5 Fri 4 Dec.
    # Scotland: Mon 30 Nov is St Andrew's Day; 1 Tue 1, 2 Wed 2, 3 Thu 3, 4 Fri 4, 5 Mon 7 Dec.
    start = london("Fri", 2026, 11, 27, 10, 0)
    scotland = WorkingCalendar.from_rules(FLAGSHIP.calendar, nation=Nation.SCOTLAND)
    english = {d.name: d.due_at for d in policy_deadlines(FLAGSHIP, calendar_of(FLAGSHIP), start)}
    scottish = {d.name: d.due_at for d in policy_deadlines(FLAGSHIP, scotland, start)}
    assert english["stage2.contact"] == end_of("Fri", 2026, 12, 4)
    assert scottish["stage2.contact"] == end_of("Mon", 2026, 12, 7)


def test_a_deadline_shows_its_date_in_london() -> None:
    # Due at the end of Mon 31 Mar 2025, 23:59:59 BST: 22:59:59 UTC, still the 31st in London.
    deadline = Deadline("stage1.response", dt.datetime(2025, 3, 31, 22, 59, 59, tzinfo=dt.UTC), "rule")
    assert deadline.due_date(WorkingCalendar()) == dt.date(2025, 3, 31)


def test_the_stage1_response_and_its_extension_limit() -> None:
    calendar = calendar_of(FLAGSHIP)
    _, due = stage_clocks(calendar, FLAGSHIP.stage1, london("Mon", 2026, 1, 12, 10, 0))
    assert due == end_of("Mon", 2026, 1, 26)
    assert extension_limit(calendar, FLAGSHIP.stage1, due) == end_of("Mon", 2026, 2, 9)


def test_the_ombudsman_may_be_approached_directly_8_weeks_after_a_flagship_final_response() -> None:
    final = london("Thu", 2026, 12, 17, 15, 30)
    assert ombudsman_direct(calendar_of(FLAGSHIP), FLAGSHIP, final) == london("Thu", 2027, 2, 11, 15, 30)
    assert ombudsman_direct(calendar_of(CODE_2024), CODE_2024, final) == final
