"""The London date and month of a moment, worked out in the database, agree with Python's."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db.models import DateTimeField, Value

from putright.accounts.models import Organisation
from putright.reports.london import LondonDate, LondonMonth

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def _moments() -> list[dt.datetime]:
    """Either side of every change of the clocks from 1996 to 2040, midnights in both seasons,
    the turn of the year and of the months, with and without microseconds."""
    found = []
    for year in range(1996, 2041):
        for month in (3, 10):
            # The last Sunday of the month, 01:00 UTC: the clocks change.
            day = max(d for d in range(25, 32) if dt.date(year, month, d).weekday() == 6)
            change = dt.datetime(year, month, day, 1, tzinfo=UTC)
            found += [change + dt.timedelta(seconds=s) for s in (-3601, -1, 0, 1, 3599, 3600)]
            found += [change + dt.timedelta(microseconds=-1), change - dt.timedelta(hours=2)]
        found += [
            dt.datetime(year, 6, 30, 23, 0, tzinfo=UTC),  # midnight on 1 July in London
            dt.datetime(year, 6, 30, 22, 59, 59, 999999, tzinfo=UTC),
            dt.datetime(year, 12, 31, 23, 59, 59, tzinfo=UTC),
            dt.datetime(year, 1, 1, 0, 0, tzinfo=UTC),
            dt.datetime(year, 3, 31, 23, 30, tzinfo=UTC),  # 00:30 on 1 April in London
        ]
    return found


@pytest.mark.django_db
def test_the_database_reads_london_dates_and_months_as_python_does(org):
    moments = _moments()
    got = [
        Organisation.objects.filter(pk=org.pk)
        .annotate(
            day=LondonDate(Value(moment, output_field=DateTimeField())),
            month=LondonMonth(Value(moment, output_field=DateTimeField())),
        )
        .values_list("day", "month")
        .get()
        for moment in moments
    ]
    days = [moment.astimezone(LONDON).date() for moment in moments]
    wanted = [(day, day.replace(day=1)) for day in days]
    wrong = [(m, g, w) for m, g, w in zip(moments, got, wanted, strict=True) if g != w]
    assert not wrong


@pytest.mark.django_db
def test_nothing_has_no_london_date(org):
    found = (
        Organisation.objects.filter(pk=org.pk)
        .annotate(day=LondonDate(Value(None, output_field=DateTimeField())))
        .values_list("day", flat=True)
        .get()
    )
    assert found is None
