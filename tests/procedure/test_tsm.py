"""The Code's timescales as the TSM CH02 reads them (putright.procedure.tsm).

Every date below is worked out by hand from a printed calendar of England's bank holidays:
Good Friday 18 April 2025, Easter Monday 21 April 2025, the early May bank holiday on 5 May
2025, Christmas Day and Boxing Day 2025 (Thursday, Friday) and New Year's Day 2026 (Thursday).
Summer time ended at 02:00 on Sunday 26 October 2025.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from putright.procedure.policy import Nation
from putright.procedure.tsm import (
    PRESETS,
    ExtensionTiming,
    StageTiming,
    TsmReading,
    acknowledgement_last_day,
    code_calendar,
    extended_last_day,
    per_thousand,
    percentage,
    reading_from_setting,
    response_last_day,
    within_code,
)
from tests.procedure.when import day, london

CAL = code_calendar(Nation.ENGLAND_AND_WALES)
READING = TsmReading()
UTC = dt.UTC


def stage1(acknowledged: dt.datetime | None, responded: dt.datetime | None, *extensions: ExtensionTiming):
    # Received on Wednesday 16 April 2025, the day before Easter.
    return StageTiming(1, london("Wed", 2025, 4, 16, 10), acknowledged, responded, tuple(extensions))


class TestStageOne:
    def test_acknowledgement_is_due_five_working_days_after_receipt_skipping_easter(self):
        # Thu 17 (1), [Good Friday, Easter Monday], Tue 22 (2), Wed 23 (3), Thu 24 (4), Fri 25 (5).
        assert acknowledgement_last_day(CAL, stage1(None, None)) == day("Fri", 2025, 4, 25)

    def test_response_counts_ten_working_days_from_the_acknowledgement(self):
        # From Thu 17 April: 22, 23, 24, 25, 28, 29, 30 April, 1, 2 May, [5 May], Tue 6 May (10).
        timing = stage1(london("Thu", 2025, 4, 17, 9), None)
        assert response_last_day(CAL, timing) == day("Tue", 2025, 5, 6)

    def test_a_late_or_missing_acknowledgement_counts_from_its_last_day(self):
        # From Fri 25 April: 28, 29, 30, 1, 2, [5], 6, 7, 8, 9, Mon 12 May (10).
        assert response_last_day(CAL, stage1(None, None)) == day("Mon", 2025, 5, 12)
        late = stage1(london("Wed", 2025, 4, 30, 11), None)
        assert response_last_day(CAL, late) == day("Mon", 2025, 5, 12)

    def test_a_response_late_in_the_evening_of_the_last_day_is_within(self):
        timing = stage1(london("Thu", 2025, 4, 17, 9), london("Tue", 2025, 5, 6, 23, 30))
        assert within_code(CAL, timing, READING)

    def test_the_day_is_londons_not_utcs(self):
        # 23:30 UTC on Tuesday 6 May is 00:30 on Wednesday 7 May in London (summer time): late.
        responded = dt.datetime(2025, 5, 6, 23, 30, tzinfo=UTC)
        assert not within_code(CAL, stage1(london("Thu", 2025, 4, 17, 9), responded), READING)

    def test_an_evening_receipt_counts_from_that_day_the_code_has_no_cut_off(self):
        # Received Fri 24 October 2025 at 17:30 (summer time), acknowledged at 18:00 that day.
        # From Fri 24: 27, 28, 29, 30, 31 October, 3, 4, 5, 6, Fri 7 November (10), in winter time.
        timing = StageTiming(1, london("Fri", 2025, 10, 24, 17, 30), london("Fri", 2025, 10, 24, 18), None)
        assert acknowledgement_last_day(CAL, timing) == day("Fri", 2025, 10, 31)
        assert response_last_day(CAL, timing) == day("Fri", 2025, 11, 7)
        on_time = dt.datetime(2025, 11, 7, 23, 30, tzinfo=UTC)  # 23:30 GMT, the same day
        assert within_code(CAL, StageTiming(1, timing.received_at, timing.acknowledged_at, on_time), READING)

    def test_an_extension_the_code_allows_moves_the_limit(self):
        # Base limit Tue 6 May; at most 10 more: 7, 8, 9, 12, 13, 14, 15, 16, 19, Tue 20 May.
        ack = london("Thu", 2025, 4, 17, 9)
        told = ExtensionTiming(london("Tue", 2025, 5, 20, 23, 59, 59), reason_told=True)
        assert extended_last_day(CAL, stage1(ack, None, told), READING) == day("Tue", 2025, 5, 20)
        assert within_code(CAL, stage1(ack, london("Mon", 2025, 5, 19, 15), told), READING)

    def test_an_extension_without_the_reason_told_moves_nothing(self):
        ack = london("Thu", 2025, 4, 17, 9)
        untold = ExtensionTiming(london("Tue", 2025, 5, 20, 23, 59, 59), reason_told=False)
        assert not within_code(CAL, stage1(ack, london("Mon", 2025, 5, 19, 15), untold), READING)

    def test_an_extension_beyond_the_codes_counts_up_to_the_codes_limit_unless_a_good_reason_is_taken(self):
        ack = london("Thu", 2025, 4, 17, 9)
        beyond = ExtensionTiming(london("Wed", 2025, 5, 21, 23, 59, 59), reason_told=True, good_reason=True)
        # The Code's longest extension ends Tue 20 May: a response by then is within it.
        assert extended_last_day(CAL, stage1(ack, None, beyond), READING) == day("Tue", 2025, 5, 20)
        assert within_code(CAL, stage1(ack, london("Mon", 2025, 5, 19, 15), beyond), READING)
        late = stage1(ack, london("Wed", 2025, 5, 21, 10), beyond)
        assert not within_code(CAL, late, READING)
        assert within_code(CAL, late, TsmReading(extensions_with_good_reason_count_as_within=True))

    def test_the_reading_may_refuse_every_extension(self):
        ack = london("Thu", 2025, 4, 17, 9)
        told = ExtensionTiming(london("Tue", 2025, 5, 20, 23, 59, 59), reason_told=True)
        timing = stage1(ack, london("Mon", 2025, 5, 19, 15), told)
        assert not within_code(CAL, timing, PRESETS["strict"])


class TestStageTwo:
    def test_twenty_working_days_over_christmas_and_the_new_year(self):
        # Escalation requested Mon 1 December 2025; acknowledged Tue 2 December. From Tue 2:
        # 3, 4, 5 (3); 8-12 (8); 15-19 (13); 22, 23, 24 (16); [25, 26]; 29, 30, 31 (19);
        # [1 January]; Fri 2 January 2026 (20).
        timing = StageTiming(
            2, london("Mon", 2025, 12, 1, 10), london("Tue", 2025, 12, 2, 9), london("Fri", 2026, 1, 2, 16)
        )
        assert acknowledgement_last_day(CAL, timing) == day("Mon", 2025, 12, 8)
        assert response_last_day(CAL, timing) == day("Fri", 2026, 1, 2)
        assert within_code(CAL, timing, READING)

    def test_stage_two_extensions_may_be_twenty_working_days(self):
        # From Fri 2 January: 5-9 (5), 12-16 (10), 19-23 (15), 26-30 (20): Fri 30 January 2026.
        base = StageTiming(2, london("Mon", 2025, 12, 1, 10), london("Tue", 2025, 12, 2, 9), None)
        told = ExtensionTiming(london("Fri", 2026, 1, 30, 23, 59, 59), reason_told=True)
        extended = StageTiming(2, base.received_at, base.acknowledged_at, None, (told,))
        assert extended_last_day(CAL, extended, READING) == day("Fri", 2026, 1, 30)


def test_the_appeal_is_not_a_stage_of_the_code():
    with pytest.raises(ValueError, match="two stages"):
        StageTiming(3, london("Mon", 2025, 12, 1), None, None)


def test_an_unanswered_stage_is_not_measured():
    with pytest.raises(ValueError, match="responded"):
        within_code(CAL, stage1(None, None), READING)


class TestValues:
    def test_per_thousand_homes_to_one_decimal_place_halves_up(self):
        assert per_thousand(9, 4000) == 2.3  # 2.25 exactly: half up, not to even
        assert per_thousand(7, 3000) == 2.3  # 2.333...
        assert per_thousand(3, 0) is None

    def test_percentage_to_one_decimal_place(self):
        assert percentage(2, 3) == 66.7
        assert percentage(1, 8) == 12.5
        assert percentage(0, 0) is None


class TestReadingSetting:
    def test_default_preset_and_fields(self):
        assert reading_from_setting(None) == TsmReading()
        assert reading_from_setting("regulator") == TsmReading()
        chosen = reading_from_setting({"informal_resolutions_count_as_stage1": False})
        assert chosen == TsmReading(informal_resolutions_count_as_stage1=False)
        assert "are not counted as stage 1" in chosen.describe()

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("lenient", "no TSM reading"),
            ({"count_everything": True}, "unknown"),
            ({"informal_resolutions_count_as_stage1": "yes"}, "true or false"),
        ],
    )
    def test_a_reading_nobody_chose_is_refused(self, value, message):
        with pytest.raises(ValueError, match=message):
            reading_from_setting(value)


# Properties, over any receipt in 2024-2027 and any acknowledgement, extension and response after it.

_instants = st.datetimes(
    min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(UTC)
)
_delays = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=90))


@st.composite
def timings(draw: st.DrawFn) -> StageTiming:
    received = draw(_instants)
    acknowledged = draw(st.none() | _delays.map(lambda d: received + d))
    extensions = draw(
        st.lists(
            st.builds(ExtensionTiming, _delays.map(lambda d: received + d), st.booleans(), st.booleans()),
            max_size=2,
        )
    )
    responded = received + draw(_delays)
    return StageTiming(draw(st.sampled_from([1, 2])), received, acknowledged, responded, tuple(extensions))


@settings(max_examples=200, deadline=None)
@given(timings(), _delays)
def test_a_later_response_is_never_more_within(timing: StageTiming, later: dt.timedelta):
    assert timing.responded_at is not None
    delayed = StageTiming(
        timing.number,
        timing.received_at,
        timing.acknowledged_at,
        timing.responded_at + later,
        timing.extensions,
    )
    assert within_code(CAL, timing, READING) or not within_code(CAL, delayed, READING)


@settings(max_examples=200, deadline=None)
@given(timings())
def test_acknowledging_late_never_buys_time_and_extensions_never_take_it(timing: StageTiming):
    on_last_day = CAL.end_of_day(acknowledgement_last_day(CAL, timing))
    capped = StageTiming(timing.number, timing.received_at, on_last_day, None)
    assert response_last_day(CAL, timing) <= response_last_day(CAL, capped)
    assert extended_last_day(CAL, timing, READING) >= response_last_day(CAL, timing)
    # Never later than the longest the Code allows: 5 + response + extension working days.
    longest = 5 + {1: 20, 2: 40}[timing.number]
    first = CAL.clock_start(timing.received_at).date()
    assert extended_last_day(CAL, timing, READING) <= CAL.working_day_after(first, longest)
