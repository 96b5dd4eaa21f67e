"""Properties of the working calendar that hold for every instant, every count and every nation.

The hand-worked examples in test_calendar.py pin down particular dates; these
check that no instant between 2021 and 2029 breaks the rules a caseworker
relies on: a deadline is never on a day the office is shut, never before the
clock started, and never earlier for a longer period.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Nation

LONDON_END_OF_DAY = dt.time(23, 59, 59)

instants = st.datetimes(
    min_value=dt.datetime(2021, 1, 1),
    max_value=dt.datetime(2029, 12, 31),
    timezones=st.just(dt.UTC),
)
nations = st.sampled_from(list(Nation))
closures = st.frozensets(
    st.dates(min_value=dt.date(2021, 1, 1), max_value=dt.date(2030, 12, 31)), max_size=20
)
working_days = st.integers(min_value=0, max_value=60)
working_hours = st.integers(min_value=1, max_value=24 * 15)
weeks = st.integers(min_value=0, max_value=26)


@st.composite
def calendars(draw: st.DrawFn) -> WorkingCalendar:
    """A calendar for any nation, with or without closure days of its own."""
    return WorkingCalendar(nation=draw(nations), closure_days=draw(closures))


quick = settings(max_examples=200, deadline=None)


@quick
@given(calendars(), instants, working_days)
def test_a_working_days_deadline_is_the_end_of_a_working_day(
    calendar: WorkingCalendar, received: dt.datetime, days: int
) -> None:
    due = calendar.local(calendar.add_working_days(received, days))
    assert calendar.is_working_day(due.date())
    assert due.time() == LONDON_END_OF_DAY


@quick
@given(calendars(), instants, working_days)
def test_a_working_days_deadline_is_exactly_that_many_working_days_after_the_clock_starts(
    calendar: WorkingCalendar, received: dt.datetime, days: int
) -> None:
    day0 = calendar.clock_start(received).date()
    due = calendar.local(calendar.add_working_days(received, days)).date()
    assert calendar.working_days_between(day0, due) == days


@quick
@given(calendars(), instants, working_hours)
def test_a_working_hours_deadline_falls_on_a_working_day_in_london(
    calendar: WorkingCalendar, received: dt.datetime, hours: int
) -> None:
    due = calendar.add_working_hours(received, hours)
    assert calendar.is_working_day(calendar.local(due).date())


@quick
@given(calendars(), instants, working_days, working_days)
def test_more_working_days_never_give_an_earlier_deadline(
    calendar: WorkingCalendar, received: dt.datetime, a: int, b: int
) -> None:
    fewer, more = sorted((a, b))
    assert calendar.add_working_days(received, fewer) <= calendar.add_working_days(received, more)
    if more > fewer:
        assert calendar.add_working_days(received, fewer) < calendar.add_working_days(received, more)


@quick
@given(calendars(), instants, working_hours, working_hours)
def test_more_working_hours_never_give_an_earlier_deadline(
    calendar: WorkingCalendar, received: dt.datetime, a: int, b: int
) -> None:
    fewer, more = sorted((a, b))
    assert calendar.add_working_hours(received, fewer) <= calendar.add_working_hours(received, more)


@quick
@given(calendars(), instants, working_days, working_hours, weeks)
def test_a_deadline_is_never_before_its_start(
    calendar: WorkingCalendar, received: dt.datetime, days: int, hours: int, count: int
) -> None:
    assert calendar.clock_start(received) >= received
    assert calendar.add_working_days(received, days) >= received
    assert calendar.add_working_hours(received, hours) > received
    assert calendar.add_weeks(received, count) >= received


@quick
@given(calendars(), instants)
def test_clock_start_is_idempotent_and_on_a_working_day_before_the_cut_off(
    calendar: WorkingCalendar, received: dt.datetime
) -> None:
    started = calendar.clock_start(received)
    assert calendar.clock_start(started) == started
    local = calendar.local(started)
    assert calendar.is_working_day(local.date())
    assert local.time() < calendar.cutoff


@quick
@given(nations, instants, st.integers(min_value=1, max_value=20))
def test_whole_days_of_working_hours_keep_the_wall_clock_time_whatever_the_season(
    nation: Nation, received: dt.datetime, days: int
) -> None:
    # Received during a working day, before the cut-off (so the clock starts at once) and
    # not at midnight: 24 x N working hours later is the same London wall-clock time on
    # the Nth working day after, even when the clocks change in between.
    calendar = WorkingCalendar(nation=nation)
    local = calendar.local(received)
    assume(calendar.clock_start(received) == received and local.time() != dt.time(0))
    due = calendar.local(calendar.add_working_hours(received, 24 * days))
    assert due.date() == calendar.working_day_after(local.date(), days)
    assert due.time() == local.time()


@quick
@given(nations, instants, weeks)
def test_weeks_keep_the_wall_clock_time_and_the_weekday(
    nation: Nation, received: dt.datetime, count: int
) -> None:
    # The clocks change only early on a Sunday, when a wall-clock time may not exist.
    calendar = WorkingCalendar(nation=nation)
    local = calendar.local(received)
    assume(local.weekday() != 6)
    due = calendar.local(calendar.add_weeks(received, count))
    assert due.date() == local.date() + dt.timedelta(weeks=count)
    assert due.time() == local.time()
