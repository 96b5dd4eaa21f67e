"""The Code's clocks read on London dates (``reports.tsm.CodeClock``) give what ``procedure.tsm``
gives for the moments themselves, so reading a year of stages by their days changes no figure."""

from __future__ import annotations

import datetime as dt
import random
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from putright.procedure import tsm
from putright.procedure.policy import Nation
from putright.reports.tsm import CodeClock

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def _moment(rng: random.Random, after: dt.datetime, most_days: int) -> dt.datetime:
    """A moment up to ``most_days`` after ``after``, at any time of day (late evenings, midnights
    and the changes of the clocks included, where a UTC date and a London one differ)."""
    moment = after + dt.timedelta(days=rng.randint(0, most_days), minutes=rng.randint(0, 24 * 60 - 1))
    # Not 23:59:59.999999, the one moment of a day the two differ on: the Code's calendar (cut-off
    # ``time.max``) starts a clock then on the next working day; a report reads it as its own day.
    # A system records no such moment but by chance.
    return moment.replace(second=rng.choice((0, 59)), microsecond=rng.choice((0, 999_998)))


def _stages(count: int) -> list[tsm.StageTiming]:
    rng = random.Random(16)  # fixed: the same stages every run
    found = []
    for _ in range(count):
        received = _moment(rng, dt.datetime(2024, 1, 1, tzinfo=UTC), 900)
        acknowledged = None if rng.random() < 0.1 else _moment(rng, received, 12)
        responded = _moment(rng, acknowledged or received, 40)
        extensions = tuple(
            tsm.ExtensionTiming(_moment(rng, received, 60), rng.random() < 0.8, rng.random() < 0.5)
            for _ in range(rng.choice((0, 0, 0, 1, 2)))
        )
        found.append(tsm.StageTiming(rng.choice((1, 2)), received, acknowledged, responded, extensions))
    return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return None if moment is None else moment.astimezone(LONDON).date()


@pytest.mark.parametrize(
    ("nation", "within", "good_reason"),
    list(product(list(Nation), (True, False), (True, False))),
)
def test_reading_the_days_gives_what_reading_the_moments_gives(nation, within, good_reason):
    reading = tsm.TsmReading(
        extensions_within_code_count_as_within=within, extensions_with_good_reason_count_as_within=good_reason
    )
    calendar = tsm.code_calendar(nation)
    clock = CodeClock(nation.value, reading)
    for stage in _stages(2_000):
        start = _day(stage.received_at)
        assert start is not None
        assert clock.within(
            stage.number, start, _day(stage.acknowledged_at), _day(stage.responded_at), stage.extensions
        ) == tsm.within_code(calendar, stage, reading), stage
        first, last = clock.acknowledgement(start)
        assert (first, last) == (
            tsm.counted_from(calendar, stage),
            tsm.acknowledgement_last_day(calendar, stage),
        )
