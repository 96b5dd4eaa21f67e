"""The working calendar: which days count, when a clock starts and when it runs out.

Every expected date below is worked out by hand, with the reasoning in a comment,
from the published bank holidays of each nation (gov.uk/bank-holidays). The
weekday written beside each date is checked by the standard library (see
``when.py``), so a slip in the hand work fails loudly instead of agreeing with
the code.

The rules being pinned down:

- a working day is Monday to Friday, not a bank holiday of the nation and not a
  closure day of the landlord;
- a clock starts at the instant of receipt, unless that is on a non-working day
  or at or after the 17:00 cut-off, when it starts at 00:00 on the next working day;
- N working days: day 0 is the date the clock starts, and the deadline is the
  end (23:59:59 London time) of the Nth working day after it;
- N working hours count the hours of working days only, each a whole 24 hours;
- N weeks are calendar weeks;
- a clock change never moves a deadline by an hour.
"""

from __future__ import annotations

import datetime as dt

import pytest

from putright.procedure.calendar import NaiveTimeError, WorkingCalendar, add_months
from putright.procedure.policy import CalendarRules, Nation, Period
from tests.procedure.when import LONDON, day, end_of, london, utc

ENGLAND = WorkingCalendar()
SCOTLAND = WorkingCalendar(nation=Nation.SCOTLAND)
NORTHERN_IRELAND = WorkingCalendar(nation=Nation.NORTHERN_IRELAND)


# --- Which days are working days -------------------------------------------------------------------


def test_monday_to_friday_are_working_days_and_the_weekend_is_not() -> None:
    # An ordinary week in January 2026, after New Year and long before Easter.
    for weekday, dom in [("Mon", 12), ("Tue", 13), ("Wed", 14), ("Thu", 15), ("Fri", 16)]:
        assert ENGLAND.is_working_day(day(weekday, 2026, 1, dom))
    assert not ENGLAND.is_working_day(day("Sat", 2026, 1, 17))
    assert not ENGLAND.is_working_day(day("Sun", 2026, 1, 18))


ENGLAND_AND_WALES_BANK_HOLIDAYS = [
    pytest.param(day("Thu", 2026, 1, 1), id="new-year-2026"),
    # Easter Sunday 2026 is 5 April.
    pytest.param(day("Fri", 2026, 4, 3), id="good-friday-2026"),
    pytest.param(day("Mon", 2026, 4, 6), id="easter-monday-2026"),
    # Easter Sunday 2025 is 20 April.
    pytest.param(day("Fri", 2025, 4, 18), id="good-friday-2025"),
    pytest.param(day("Mon", 2025, 4, 21), id="easter-monday-2025"),
    pytest.param(day("Mon", 2026, 5, 4), id="early-may-2026"),
    pytest.param(day("Mon", 2026, 5, 25), id="spring-2026"),
    pytest.param(day("Mon", 2026, 8, 31), id="summer-2026"),
    # Christmas 2026: Christmas Day is a Friday; Boxing Day is a Saturday, so
    # its substitute is Monday 28 December. New Year's Day 2027 is a Friday.
    pytest.param(day("Fri", 2026, 12, 25), id="christmas-2026"),
    pytest.param(day("Mon", 2026, 12, 28), id="boxing-day-substitute-2026"),
    pytest.param(day("Fri", 2027, 1, 1), id="new-year-2027"),
    # Christmas 2027: Christmas Day is a Saturday and Boxing Day a Sunday, so the
    # substitutes are Monday 27 and Tuesday 28 December.
    pytest.param(day("Mon", 2027, 12, 27), id="christmas-substitute-2027"),
    pytest.param(day("Tue", 2027, 12, 28), id="boxing-day-substitute-2027"),
    # New Year's Day 2022 was a Saturday: the substitute was Monday 3 January.
    pytest.param(day("Mon", 2022, 1, 3), id="new-year-substitute-2022"),
    # Christmas Day 2022 was a Sunday: Boxing Day kept Monday 26, Christmas moved to Tuesday 27.
    pytest.param(day("Mon", 2022, 12, 26), id="boxing-day-2022"),
    pytest.param(day("Tue", 2022, 12, 27), id="christmas-substitute-2022"),
    # 2022: the Spring bank holiday moved from Monday 30 May to Thursday 2 June,
    # and Friday 3 June was the Platinum Jubilee holiday.
    pytest.param(day("Thu", 2022, 6, 2), id="spring-moved-2022"),
    pytest.param(day("Fri", 2022, 6, 3), id="platinum-jubilee-2022"),
    pytest.param(day("Mon", 2022, 9, 19), id="queens-state-funeral-2022"),
    pytest.param(day("Mon", 2023, 5, 8), id="coronation-2023"),
]


@pytest.mark.parametrize("holiday", ENGLAND_AND_WALES_BANK_HOLIDAYS)
def test_a_bank_holiday_in_england_and_wales_is_not_a_working_day(holiday: dt.date) -> None:
    assert not ENGLAND.is_working_day(holiday)


@pytest.mark.parametrize(
    "working_day",
    [
        # The Spring bank holiday of 2022 was moved away from the last Monday of May.
        pytest.param(day("Mon", 2022, 5, 30), id="last-monday-of-may-2022"),
        pytest.param(day("Thu", 2026, 12, 24), id="christmas-eve-2026"),
        pytest.param(day("Tue", 2026, 12, 29), id="between-christmas-and-new-year-2026"),
        pytest.param(day("Thu", 2026, 12, 31), id="new-years-eve-2026"),
        pytest.param(day("Wed", 2027, 12, 29), id="after-the-substitutes-2027"),
        # Holidays of the other nations only.
        pytest.param(day("Fri", 2026, 1, 2), id="2-january-is-scottish"),
        pytest.param(day("Mon", 2026, 11, 30), id="st-andrews-day-is-scottish"),
        pytest.param(day("Mon", 2026, 8, 3), id="first-monday-of-august-is-scottish"),
        pytest.param(day("Tue", 2026, 3, 17), id="st-patricks-day-is-northern-irish"),
        pytest.param(day("Mon", 2026, 7, 13), id="twelfth-substitute-is-northern-irish"),
    ],
)
def test_these_are_ordinary_working_days_in_england_and_wales(working_day: dt.date) -> None:
    assert ENGLAND.is_working_day(working_day)


@pytest.mark.parametrize(
    "holiday",
    [
        pytest.param(day("Fri", 2026, 1, 2), id="2-january-2026"),
        # 2 January 2027 is a Saturday: its substitute is Monday 4 January.
        pytest.param(day("Mon", 2027, 1, 4), id="2-january-substitute-2027"),
        pytest.param(day("Mon", 2026, 11, 30), id="st-andrews-day-2026"),
        # St Andrew's Day 2025 was a Sunday: the substitute was Monday 1 December.
        pytest.param(day("Mon", 2025, 12, 1), id="st-andrews-day-substitute-2025"),
        # Scotland's summer bank holiday is the first Monday of August.
        pytest.param(day("Mon", 2026, 8, 3), id="summer-2026"),
        pytest.param(day("Fri", 2026, 4, 3), id="good-friday-2026"),
        pytest.param(day("Fri", 2026, 12, 25), id="christmas-2026"),
        pytest.param(day("Mon", 2026, 12, 28), id="boxing-day-substitute-2026"),
        pytest.param(day("Fri", 2022, 6, 3), id="platinum-jubilee-2022"),
        pytest.param(day("Mon", 2022, 9, 19), id="queens-state-funeral-2022"),
        pytest.param(day("Mon", 2023, 5, 8), id="coronation-2023"),
    ],
)
def test_a_scottish_bank_holiday_is_not_a_working_day_in_scotland(holiday: dt.date) -> None:
    assert not SCOTLAND.is_working_day(holiday)


@pytest.mark.parametrize(
    "working_day",
    [
        # Easter Monday is not a bank holiday in Scotland.
        pytest.param(day("Mon", 2026, 4, 6), id="easter-monday-2026"),
        # Nor is the last Monday of August.
        pytest.param(day("Mon", 2026, 8, 31), id="last-monday-of-august-2026"),
        pytest.param(day("Tue", 2026, 3, 17), id="st-patricks-day-2026"),
    ],
)
def test_these_are_ordinary_working_days_in_scotland(working_day: dt.date) -> None:
    assert SCOTLAND.is_working_day(working_day)


@pytest.mark.parametrize(
    "holiday",
    [
        pytest.param(day("Tue", 2026, 3, 17), id="st-patricks-day-2026"),
        pytest.param(day("Mon", 2025, 3, 17), id="st-patricks-day-2025"),
        # 12 July 2027 is a Monday.
        pytest.param(day("Mon", 2027, 7, 12), id="twelfth-2027"),
        # 12 July 2026 is a Sunday: the substitute is Monday 13 July.
        pytest.param(day("Mon", 2026, 7, 13), id="twelfth-substitute-2026"),
        pytest.param(day("Mon", 2026, 4, 6), id="easter-monday-2026"),
        pytest.param(day("Mon", 2026, 8, 31), id="summer-2026"),
        pytest.param(day("Mon", 2026, 12, 28), id="boxing-day-substitute-2026"),
    ],
)
def test_a_northern_irish_bank_holiday_is_not_a_working_day_in_northern_ireland(holiday: dt.date) -> None:
    assert not NORTHERN_IRELAND.is_working_day(holiday)


@pytest.mark.parametrize(
    "working_day",
    [
        pytest.param(day("Fri", 2026, 1, 2), id="2-january-2026"),
        pytest.param(day("Mon", 2026, 11, 30), id="st-andrews-day-2026"),
    ],
)
def test_these_are_ordinary_working_days_in_northern_ireland(working_day: dt.date) -> None:
    assert NORTHERN_IRELAND.is_working_day(working_day)


def test_a_closure_day_listed_by_the_landlord_is_not_a_working_day() -> None:
    closed = frozenset({day("Tue", 2026, 12, 29), day("Wed", 2026, 12, 30), day("Thu", 2026, 12, 31)})
    calendar = WorkingCalendar(closure_days=closed)
    assert not calendar.is_working_day(day("Tue", 2026, 12, 29))
    assert not calendar.is_working_day(day("Thu", 2026, 12, 31))
    # The day before the closure is still a working day.
    assert calendar.is_working_day(day("Thu", 2026, 12, 24))


def test_special_bank_holidays_are_named() -> None:
    assert "jubilee" in (ENGLAND.bank_holiday_name(day("Fri", 2022, 6, 3)) or "").lower()
    assert "funeral" in (ENGLAND.bank_holiday_name(day("Mon", 2022, 9, 19)) or "").lower()
    assert "coronation" in (ENGLAND.bank_holiday_name(day("Mon", 2023, 5, 8)) or "").lower()
    assert "andrew" in (SCOTLAND.bank_holiday_name(day("Mon", 2026, 11, 30)) or "").lower()
    assert ENGLAND.bank_holiday_name(day("Tue", 2026, 1, 13)) is None


def test_the_next_working_day_after_christmas_eve_2026_is_tuesday_29_december() -> None:
    # Fri 25 Christmas, Sat 26 and Sun 27 the weekend, Mon 28 the Boxing Day substitute.
    assert ENGLAND.next_working_day(day("Thu", 2026, 12, 24)) == day("Tue", 2026, 12, 29)


def test_working_days_between_counts_the_days_after_the_first_up_to_the_last() -> None:
    # Mon 12 Jan 2026 to Mon 26 Jan 2026: two clear weeks, no holidays.
    assert ENGLAND.working_days_between(day("Mon", 2026, 1, 12), day("Mon", 2026, 1, 26)) == 10
    assert ENGLAND.working_days_between(day("Mon", 2026, 1, 26), day("Mon", 2026, 1, 12)) == -10
    assert ENGLAND.working_days_between(day("Mon", 2026, 1, 12), day("Mon", 2026, 1, 12)) == 0
    # Thu 24 Dec 2026 to Mon 4 Jan 2027: Tue 29, Wed 30, Thu 31 Dec and Mon 4 Jan.
    assert ENGLAND.working_days_between(day("Thu", 2026, 12, 24), day("Mon", 2027, 1, 4)) == 4


def test_working_day_after_zero_is_the_day_itself_and_a_negative_count_is_refused() -> None:
    assert ENGLAND.working_day_after(day("Sat", 2026, 1, 17), 0) == day("Sat", 2026, 1, 17)
    with pytest.raises(ValueError, match="negative"):
        ENGLAND.working_day_after(day("Mon", 2026, 1, 12), -1)


# --- When a clock starts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "starts"),
    [
        pytest.param(
            london("Tue", 2026, 1, 13, 10, 0), london("Tue", 2026, 1, 13, 10, 0), id="working-day-morning"
        ),
        pytest.param(
            london("Tue", 2026, 1, 13, 0, 0), london("Tue", 2026, 1, 13, 0, 0), id="just-after-midnight"
        ),
        pytest.param(
            london("Tue", 2026, 1, 13, 16, 59, 59),
            london("Tue", 2026, 1, 13, 16, 59, 59),
            id="one-second-before-the-cut-off",
        ),
        pytest.param(
            london("Tue", 2026, 1, 13, 17, 0, 0), london("Wed", 2026, 1, 14), id="at-the-cut-off-exactly"
        ),
        pytest.param(london("Tue", 2026, 1, 13, 23, 59, 59), london("Wed", 2026, 1, 14), id="late-evening"),
        pytest.param(
            london("Fri", 2026, 1, 16, 17, 0), london("Mon", 2026, 1, 19), id="friday-after-cut-off"
        ),
        pytest.param(london("Sat", 2026, 1, 17, 9, 0), london("Mon", 2026, 1, 19), id="saturday"),
        pytest.param(london("Sun", 2026, 1, 18, 14, 0), london("Mon", 2026, 1, 19), id="sunday"),
        # Fri 25 Dec, the weekend and Mon 28 Dec (Boxing Day substitute) are not working days.
        pytest.param(
            london("Thu", 2026, 12, 24, 17, 30), london("Tue", 2026, 12, 29), id="christmas-eve-after-cut-off"
        ),
        pytest.param(london("Mon", 2026, 12, 28, 10, 0), london("Tue", 2026, 12, 29), id="on-a-bank-holiday"),
        # Fri 1 Jan 2027 is New Year's Day, then the weekend.
        pytest.param(
            london("Thu", 2026, 12, 31, 17, 0), london("Mon", 2027, 1, 4), id="new-years-eve-after-cut-off"
        ),
        # Sat 25 and Sun 26 Dec 2027, then the substitutes Mon 27 and Tue 28.
        pytest.param(
            london("Fri", 2027, 12, 24, 17, 0), london("Wed", 2027, 12, 29), id="christmas-eve-2027"
        ),
    ],
)
def test_when_the_clock_starts(received: dt.datetime, starts: dt.datetime) -> None:
    assert ENGLAND.clock_start(received) == starts


def test_the_cut_off_is_judged_on_london_time_not_utc() -> None:
    # 16:30 UTC on Tue 14 July 2026 is 17:30 BST: after the cut-off, so the clock
    # starts at midnight at the start of Wednesday.
    assert ENGLAND.clock_start(utc(2026, 7, 14, 16, 30)) == london("Wed", 2026, 7, 15)
    # 16:30 UTC on Tue 13 January 2026 is 16:30 GMT: before the cut-off.
    assert ENGLAND.clock_start(utc(2026, 1, 13, 16, 30)) == london("Tue", 2026, 1, 13, 16, 30)


def test_a_clock_start_is_shown_in_london_time() -> None:
    started = ENGLAND.clock_start(utc(2026, 7, 14, 9, 0))
    assert started.utcoffset() == dt.timedelta(hours=1)  # BST
    assert (started.hour, started.minute) == (10, 0)


def test_a_landlord_may_set_an_earlier_cut_off() -> None:
    calendar = WorkingCalendar(cutoff=dt.time(16, 0))
    received = london("Tue", 2026, 1, 13, 15, 59)
    assert calendar.clock_start(received) == received
    assert calendar.clock_start(london("Tue", 2026, 1, 13, 16, 0)) == london("Wed", 2026, 1, 14)


def test_a_complaint_received_during_a_closure_waits_for_the_office_to_reopen() -> None:
    closed = frozenset({day("Tue", 2026, 12, 29), day("Wed", 2026, 12, 30), day("Thu", 2026, 12, 31)})
    calendar = WorkingCalendar(closure_days=closed)
    # Closed Tue 29 - Thu 31, Fri 1 Jan is New Year's Day, then the weekend.
    assert calendar.clock_start(london("Tue", 2026, 12, 29, 10, 0)) == london("Mon", 2027, 1, 4)


# --- N working days --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "received", "days", "due"),
    [
        # Day 0 Mon 12 Jan; 1 Tue 13, 2 Wed 14, 3 Thu 15, 4 Fri 16, 5 Mon 19,
        # 6 Tue 20, 7 Wed 21, 8 Thu 22, 9 Fri 23, 10 Mon 26 Jan.
        pytest.param(ENGLAND, london("Mon", 2026, 1, 12, 10, 0), 10, end_of("Mon", 2026, 1, 26), id="plain"),
        # Received one second before the cut-off on Fri 16 Jan: day 0 is that Friday;
        # 1 Mon 19 ... 5 Fri 23, 6 Mon 26 ... 10 Fri 30 Jan.
        pytest.param(
            ENGLAND,
            london("Fri", 2026, 1, 16, 16, 59, 59),
            10,
            end_of("Fri", 2026, 1, 30),
            id="before-cut-off",
        ),
        # At 17:00 exactly: day 0 is Mon 19 Jan; 5 is Mon 26 Jan, 10 is Mon 2 Feb.
        pytest.param(
            ENGLAND, london("Fri", 2026, 1, 16, 17, 0), 10, end_of("Mon", 2026, 2, 2), id="at-the-cut-off"
        ),
        # Received on a Saturday: day 0 is Mon 19 Jan, so the same as above.
        pytest.param(ENGLAND, london("Sat", 2026, 1, 17, 11, 0), 10, end_of("Mon", 2026, 2, 2), id="weekend"),
        # Zero working days from a Saturday: the end of the Monday the clock starts on.
        pytest.param(ENGLAND, london("Sat", 2026, 1, 17, 11, 0), 0, end_of("Mon", 2026, 1, 19), id="zero"),
        # Christmas 2026. Day 0 Mon 21 Dec; 1 Tue 22, 2 Wed 23, 3 Thu 24; Fri 25 Christmas,
        # weekend, Mon 28 Boxing Day substitute; 4 Tue 29, 5 Wed 30, 6 Thu 31; Fri 1 Jan
        # New Year's Day, weekend; 7 Mon 4, 8 Tue 5, 9 Wed 6, 10 Thu 7 Jan 2027.
        pytest.param(
            ENGLAND, london("Mon", 2026, 12, 21, 10, 0), 10, end_of("Thu", 2027, 1, 7), id="christmas-2026"
        ),
        # Christmas 2027. Day 0 Thu 23 Dec; 1 Fri 24; Sat 25, Sun 26, Mon 27 and Tue 28
        # (both substitutes); 2 Wed 29, 3 Thu 30, 4 Fri 31; Sat 1 Jan 2028 (New Year's Day),
        # Sun 2, Mon 3 Jan (its substitute); 5 Tue 4 Jan 2028.
        pytest.param(
            ENGLAND, london("Thu", 2027, 12, 23, 10, 0), 5, end_of("Tue", 2028, 1, 4), id="christmas-2027"
        ),
        # Easter 2026. Day 0 Thu 2 Apr; Good Friday 3, weekend, Easter Monday 6; 1 Tue 7, 2 Wed 8.
        pytest.param(ENGLAND, london("Thu", 2026, 4, 2, 10, 0), 2, end_of("Wed", 2026, 4, 8), id="easter"),
        # In Scotland Easter Monday is a working day: 1 Mon 6, 2 Tue 7.
        pytest.param(
            SCOTLAND, london("Thu", 2026, 4, 2, 10, 0), 2, end_of("Tue", 2026, 4, 7), id="easter-scotland"
        ),
        # New Year 2022 fell on a Saturday. Day 0 Fri 31 Dec 2021; Mon 3 Jan substitute; 1 Tue 4 Jan.
        pytest.param(
            ENGLAND,
            london("Fri", 2021, 12, 31, 10, 0),
            1,
            end_of("Tue", 2022, 1, 4),
            id="substitute-new-year",
        ),
        # In Scotland 1 and 2 Jan 2022 were both at the weekend: substitutes Mon 3 and Tue 4; 1 Wed 5.
        pytest.param(
            SCOTLAND,
            london("Fri", 2021, 12, 31, 10, 0),
            1,
            end_of("Wed", 2022, 1, 5),
            id="substitute-new-year-scotland",
        ),
        # Platinum Jubilee. Day 0 Wed 1 June 2022; Thu 2 (Spring, moved) and Fri 3 (Jubilee)
        # are bank holidays, then the weekend; 1 Mon 6 June.
        pytest.param(
            ENGLAND, london("Wed", 2022, 6, 1, 10, 0), 1, end_of("Mon", 2022, 6, 6), id="platinum-jubilee"
        ),
        # ...and the last Monday of May 2022 was an ordinary working day. Day 0 Fri 27 May; 1 Mon 30 May.
        pytest.param(
            ENGLAND, london("Fri", 2022, 5, 27, 10, 0), 1, end_of("Mon", 2022, 5, 30), id="spring-moved-away"
        ),
        # The Queen's state funeral. Day 0 Fri 16 Sept 2022; Mon 19 a bank holiday; 1 Tue 20.
        pytest.param(
            ENGLAND, london("Fri", 2022, 9, 16, 10, 0), 1, end_of("Tue", 2022, 9, 20), id="state-funeral"
        ),
        # The Coronation. Day 0 Fri 28 Apr 2023; Mon 1 May (early May); 1 Tue 2, 2 Wed 3,
        # 3 Thu 4, 4 Fri 5; Mon 8 May (Coronation); 5 Tue 9 May.
        pytest.param(
            ENGLAND, london("Fri", 2023, 4, 28, 10, 0), 5, end_of("Tue", 2023, 5, 9), id="coronation"
        ),
        # St Andrew's Day. Day 0 Fri 27 Nov 2026. England: 1 Mon 30 Nov. Scotland: Mon 30 is
        # St Andrew's Day; 1 Tue 1 Dec.
        pytest.param(
            ENGLAND,
            london("Fri", 2026, 11, 27, 10, 0),
            1,
            end_of("Mon", 2026, 11, 30),
            id="st-andrew-england",
        ),
        pytest.param(
            SCOTLAND,
            london("Fri", 2026, 11, 27, 10, 0),
            1,
            end_of("Tue", 2026, 12, 1),
            id="st-andrew-scotland",
        ),
        # 2 January. Day 0 Wed 31 Dec 2025; Thu 1 Jan New Year's Day. England: 1 Fri 2 Jan.
        # Scotland: Fri 2 Jan is a bank holiday, then the weekend; 1 Mon 5 Jan.
        pytest.param(
            ENGLAND, london("Wed", 2025, 12, 31, 10, 0), 1, end_of("Fri", 2026, 1, 2), id="2-january-england"
        ),
        pytest.param(
            SCOTLAND,
            london("Wed", 2025, 12, 31, 10, 0),
            1,
            end_of("Mon", 2026, 1, 5),
            id="2-january-scotland",
        ),
        # St Patrick's Day. Day 0 Mon 16 Mar 2026. England: 1 Tue 17. Northern Ireland: Tue 17
        # is St Patrick's Day; 1 Wed 18.
        pytest.param(
            ENGLAND, london("Mon", 2026, 3, 16, 10, 0), 1, end_of("Tue", 2026, 3, 17), id="st-patrick-england"
        ),
        pytest.param(
            NORTHERN_IRELAND,
            london("Mon", 2026, 3, 16, 10, 0),
            1,
            end_of("Wed", 2026, 3, 18),
            id="st-patrick-ni",
        ),
        # 12 July. Day 0 Fri 9 July 2027. England: 1 Mon 12. Northern Ireland: Mon 12 July is
        # the Battle of the Boyne holiday; 1 Tue 13.
        pytest.param(
            ENGLAND, london("Fri", 2027, 7, 9, 10, 0), 1, end_of("Mon", 2027, 7, 12), id="twelfth-england"
        ),
        pytest.param(
            NORTHERN_IRELAND, london("Fri", 2027, 7, 9, 10, 0), 1, end_of("Tue", 2027, 7, 13), id="twelfth-ni"
        ),
    ],
)
def test_a_working_days_deadline_is_the_end_of_the_nth_working_day(
    calendar: WorkingCalendar, received: dt.datetime, days: int, due: dt.datetime
) -> None:
    assert calendar.add_working_days(received, days) == due


def test_closure_days_push_a_working_days_deadline_back() -> None:
    closed = frozenset({day("Tue", 2026, 12, 29), day("Wed", 2026, 12, 30), day("Thu", 2026, 12, 31)})
    calendar = WorkingCalendar(closure_days=closed)
    # Day 0 Mon 21 Dec 2026; 1 Tue 22, 2 Wed 23, 3 Thu 24; then Christmas, the weekend,
    # the Boxing Day substitute, the closure (29-31), New Year's Day and the weekend;
    # 4 Mon 4 Jan, 5 Tue 5, 6 Wed 6, 7 Thu 7, 8 Fri 8, 9 Mon 11, 10 Tue 12 Jan 2027.
    assert calendar.add_working_days(london("Mon", 2026, 12, 21, 10, 0), 10) == end_of("Tue", 2027, 1, 12)
    # Without the closure it is Thu 7 Jan (see the Christmas 2026 case above).
    assert ENGLAND.add_working_days(london("Mon", 2026, 12, 21, 10, 0), 10) == end_of("Thu", 2027, 1, 7)


def test_extending_a_deadline_moves_it_on_by_working_days() -> None:
    # Due Mon 26 Jan 2026; 10 more working days: Tue 27 ... Fri 30 (4), Mon 2 ... Fri 6 Feb (9), Mon 9 Feb.
    assert ENGLAND.extend(end_of("Mon", 2026, 1, 26), 10) == end_of("Mon", 2026, 2, 9)
    # Due Thu 24 Dec 2026; 3 more: Tue 29, Wed 30, Thu 31 Dec.
    assert ENGLAND.extend(end_of("Thu", 2026, 12, 24), 3) == end_of("Thu", 2026, 12, 31)


# --- N working hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("calendar", "received", "hours", "due"),
    [
        # 24 working hours from Tuesday 10:00 is Wednesday 10:00.
        pytest.param(
            ENGLAND, london("Tue", 2026, 1, 13, 10, 0), 24, london("Wed", 2026, 1, 14, 10, 0), id="tuesday"
        ),
        # A few hours within the same day.
        pytest.param(
            ENGLAND, london("Tue", 2026, 1, 13, 10, 0), 5, london("Tue", 2026, 1, 13, 15, 0), id="same-day"
        ),
        # Friday 10:00: 14 hours of Friday, none of the weekend, 10 of Monday.
        pytest.param(
            ENGLAND, london("Fri", 2026, 1, 16, 10, 0), 24, london("Mon", 2026, 1, 19, 10, 0), id="weekend"
        ),
        # Friday 10:00 before the Spring bank holiday (Mon 25 May 2026): Tuesday 10:00.
        pytest.param(
            ENGLAND,
            london("Fri", 2026, 5, 22, 10, 0),
            24,
            london("Tue", 2026, 5, 26, 10, 0),
            id="bank-holiday-monday",
        ),
        # After the cut-off on Tuesday the clock starts at 00:00 Wednesday, and 24 working
        # hours is the whole of Wednesday: due at the end of Wednesday.
        pytest.param(
            ENGLAND, london("Tue", 2026, 1, 13, 18, 0), 24, end_of("Wed", 2026, 1, 14), id="after-cut-off"
        ),
        # Saturday: the clock starts at 00:00 Monday; the whole of Monday.
        pytest.param(
            ENGLAND, london("Sat", 2026, 1, 17, 11, 0), 24, end_of("Mon", 2026, 1, 19), id="saturday"
        ),
        # Tuesday 10:00 plus the 14 hours left in Tuesday runs to the end of Tuesday.
        pytest.param(
            ENGLAND, london("Tue", 2026, 1, 13, 10, 0), 14, end_of("Tue", 2026, 1, 13), id="to-midnight"
        ),
        # Thu 24 Dec 2026 10:00, 48 working hours: 14 on Thursday; Christmas, the weekend and
        # the Boxing Day substitute do not count; 24 on Tue 29 (38 so far); 10 on Wed 30.
        pytest.param(
            ENGLAND,
            london("Thu", 2026, 12, 24, 10, 0),
            48,
            london("Wed", 2026, 12, 30, 10, 0),
            id="christmas",
        ),
        # St Andrew's Day in Scotland: Fri 27 Nov 2026 10:00, Mon 30 Nov does not count.
        pytest.param(
            SCOTLAND,
            london("Fri", 2026, 11, 27, 10, 0),
            24,
            london("Tue", 2026, 12, 1, 10, 0),
            id="st-andrew-scotland",
        ),
        pytest.param(
            ENGLAND,
            london("Fri", 2026, 11, 27, 10, 0),
            24,
            london("Mon", 2026, 11, 30, 10, 0),
            id="st-andrew-england",
        ),
    ],
)
def test_a_working_hours_deadline_counts_only_the_hours_of_working_days(
    calendar: WorkingCalendar, received: dt.datetime, hours: int, due: dt.datetime
) -> None:
    assert calendar.add_working_hours(received, hours) == due


# --- N weeks ---------------------------------------------------------------------------------------


def test_weeks_are_calendar_weeks_at_the_same_wall_clock_time() -> None:
    # Mon 12 Jan 2026 + 56 days: 19 to the end of January, 28 in February, 9 in March: Mon 9 Mar.
    assert ENGLAND.add_weeks(london("Mon", 2026, 1, 12, 10, 0), 8) == london("Mon", 2026, 3, 9, 10, 0)


def test_weeks_count_bank_holidays_weekends_and_evenings_like_any_other_time() -> None:
    assert ENGLAND.add_weeks(london("Thu", 2026, 12, 24, 10, 0), 1) == london("Thu", 2026, 12, 31, 10, 0)
    assert ENGLAND.add_weeks(london("Sat", 2026, 1, 17, 20, 0), 1) == london("Sat", 2026, 1, 24, 20, 0)


def test_zero_weeks_is_the_instant_itself() -> None:
    final_response = london("Sat", 2026, 1, 17, 20, 0)
    assert ENGLAND.add_weeks(final_response, 0) == final_response


def test_due_follows_the_unit_of_the_period() -> None:
    received = london("Tue", 2026, 1, 13, 10, 0)
    assert ENGLAND.due(received, Period(working_hours=24)) == london("Wed", 2026, 1, 14, 10, 0)
    # Day 0 Tue 13 Jan; 5 working days: Wed 14, Thu 15, Fri 16, Mon 19, Tue 20.
    assert ENGLAND.due(received, Period(working_days=5)) == end_of("Tue", 2026, 1, 20)
    assert ENGLAND.due(received, Period(weeks=2)) == london("Tue", 2026, 1, 27, 10, 0)


# --- Clock changes ---------------------------------------------------------------------------------
# British Summer Time began at 01:00 GMT on Sun 30 March 2025 and ended at 02:00 BST
# on Sun 26 October 2025.


def test_24_working_hours_over_the_spring_clock_change_keep_the_wall_clock_time() -> None:
    received = london("Fri", 2025, 3, 28, 10, 0)
    assert received == utc(2025, 3, 28, 10, 0)  # GMT
    due = ENGLAND.add_working_hours(received, 24)
    # Monday 31 March 10:00 BST, which is 09:00 UTC: not 11:00 BST, not 10:00 UTC.
    assert due == london("Mon", 2025, 3, 31, 10, 0)
    assert due == utc(2025, 3, 31, 9, 0)


def test_24_working_hours_over_the_autumn_clock_change_keep_the_wall_clock_time() -> None:
    received = london("Fri", 2025, 10, 24, 10, 0)
    assert received == utc(2025, 10, 24, 9, 0)  # BST
    due = ENGLAND.add_working_hours(received, 24)
    # Monday 27 October 10:00 GMT, which is 10:00 UTC.
    assert due == london("Mon", 2025, 10, 27, 10, 0)
    assert due == utc(2025, 10, 27, 10, 0)


def test_a_working_days_deadline_over_a_clock_change_is_the_end_of_the_london_day() -> None:
    # Day 0 Fri 28 Mar 2025; 1 Mon 31 Mar, ending 23:59:59 BST = 22:59:59 UTC.
    assert ENGLAND.add_working_days(london("Fri", 2025, 3, 28, 10, 0), 1) == utc(2025, 3, 31, 22, 59, 59)
    # Day 0 Fri 24 Oct 2025; 1 Mon 27 Oct, ending 23:59:59 GMT = 23:59:59 UTC.
    assert ENGLAND.add_working_days(london("Fri", 2025, 10, 24, 10, 0), 1) == utc(2025, 10, 27, 23, 59, 59)


def test_a_receipt_given_in_utc_is_counted_on_london_time() -> None:
    # 15:30 UTC on Mon 31 Mar 2025 is 16:30 BST, before the cut-off; 24 working hours
    # later is Tue 1 April 16:30 BST = 15:30 UTC.
    assert ENGLAND.add_working_hours(utc(2025, 3, 31, 15, 30), 24) == utc(2025, 4, 1, 15, 30)


def test_weeks_over_a_clock_change_keep_the_wall_clock_time() -> None:
    # Fri 7 Mar 2025 10:00 GMT + 28 days: 24 to the end of March, then 4 April: Fri 4 Apr 10:00 BST.
    due = ENGLAND.add_weeks(london("Fri", 2025, 3, 7, 10, 0), 4)
    assert due == london("Fri", 2025, 4, 4, 10, 0)
    assert due == utc(2025, 4, 4, 9, 0)


def test_weeks_from_the_repeated_hour_of_the_autumn_change_are_not_an_hour_early() -> None:
    # 01:30 UTC on Sun 26 Oct 2025 is the second 01:30 in London (GMT, after the clocks
    # went back). Zero weeks later is that same instant, not the first 01:30 (BST) an
    # hour before it; a week later is Sun 2 Nov 01:30 GMT.
    # (Python never finds a time in a repeated hour equal to a time in another zone,
    # so both sides are compared in UTC.)
    final_response = utc(2025, 10, 26, 1, 30)
    assert ENGLAND.add_weeks(final_response, 0).astimezone(dt.UTC) == final_response
    assert ENGLAND.add_weeks(final_response, 1).astimezone(dt.UTC) == utc(2025, 11, 2, 1, 30)


# --- Naive times are refused -----------------------------------------------------------------------


NAIVE = dt.datetime(2026, 1, 13, 10, 0)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda: ENGLAND.local(NAIVE), id="local"),
        pytest.param(lambda: ENGLAND.clock_start(NAIVE), id="clock_start"),
        pytest.param(lambda: ENGLAND.add_working_days(NAIVE, 10), id="add_working_days"),
        pytest.param(lambda: ENGLAND.add_working_hours(NAIVE, 24), id="add_working_hours"),
        pytest.param(lambda: ENGLAND.add_weeks(NAIVE, 8), id="add_weeks"),
        pytest.param(lambda: ENGLAND.extend(NAIVE, 10), id="extend"),
        pytest.param(lambda: ENGLAND.due(NAIVE, Period(working_days=10)), id="due"),
    ],
)
def test_a_time_without_a_time_zone_is_refused(call: object) -> None:
    assert callable(call)
    with pytest.raises(NaiveTimeError, match="no time zone"):
        call()


def test_naive_time_error_is_a_value_error() -> None:
    assert issubclass(NaiveTimeError, ValueError)


# --- A calendar from a policy's rules --------------------------------------------------------------


def test_a_calendar_follows_the_policy_calendar_rules() -> None:
    closure = day("Wed", 2026, 12, 30)
    rules = CalendarRules(nation=Nation.SCOTLAND, cutoff=dt.time(16, 0), closure_days=(closure,))
    calendar = WorkingCalendar.from_rules(rules)
    assert not calendar.is_working_day(day("Fri", 2026, 1, 2))  # Scottish 2 January
    assert not calendar.is_working_day(closure)
    assert calendar.clock_start(london("Tue", 2026, 1, 13, 16, 0)) == london("Wed", 2026, 1, 14)
    assert calendar.tz == LONDON


def test_a_calendar_from_rules_may_be_for_another_nation() -> None:
    calendar = WorkingCalendar.from_rules(CalendarRules(), nation=Nation.NORTHERN_IRELAND)
    assert not calendar.is_working_day(day("Tue", 2026, 3, 17))  # St Patrick's Day
    assert WorkingCalendar.from_rules(CalendarRules()).is_working_day(day("Tue", 2026, 3, 17))


# --- Calendar months -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        # February 2026 has 28 days, so 31 August + 6 months is its last day.
        pytest.param(day("Sun", 2025, 8, 31), 6, day("Sat", 2026, 2, 28), id="end-of-august-to-february"),
        # 2024 is a leap year: February has 29 days.
        pytest.param(day("Thu", 2023, 8, 31), 6, day("Thu", 2024, 2, 29), id="into-a-leap-february"),
        pytest.param(day("Thu", 2024, 2, 29), 12, day("Fri", 2025, 2, 28), id="from-a-leap-day"),
        pytest.param(day("Thu", 2024, 2, 29), 48, day("Tue", 2028, 2, 29), id="leap-day-to-leap-day"),
        pytest.param(day("Thu", 2026, 1, 15), 6, day("Wed", 2026, 7, 15), id="mid-month"),
        pytest.param(day("Sun", 2025, 11, 30), 3, day("Sat", 2026, 2, 28), id="over-the-new-year"),
        pytest.param(day("Fri", 2025, 10, 31), 12, day("Sat", 2026, 10, 31), id="a-year"),
        pytest.param(day("Tue", 2026, 3, 31), 1, day("Thu", 2026, 4, 30), id="to-a-30-day-month"),
        pytest.param(day("Tue", 2026, 3, 31), -1, day("Sat", 2026, 2, 28), id="backwards"),
        pytest.param(day("Thu", 2026, 1, 15), 0, day("Thu", 2026, 1, 15), id="none"),
    ],
)
def test_add_months_keeps_the_day_or_uses_the_last_day_of_a_shorter_month(
    start: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(start, months) == expected
