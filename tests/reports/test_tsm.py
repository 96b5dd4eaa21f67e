"""CH01 and CH02 for 2025-26 over the complaints of tsm_cases.py, whose answers are worked out there."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, User
from putright.procedure.tsm import CH01_1, CH01_2, CH02_1, CH02_2, TsmReading
from putright.reports.periods import reporting_year
from putright.reports.tsm import tsm_report
from tests.reports.tsm_cases import make_year, respond, staff

YEAR = reporting_year(2025)


@pytest.fixture
def made(log, org, officer, senior):
    return make_year(log, org, officer, senior)


@pytest.fixture
def manager(org):
    """A manager of the whole group: sees FG, VHT and GWH, not Elsewhere Homes."""
    return staff("mona", Role.MANAGER, org.parent)


def fresh(user):
    """The user as a new request loads it (what it may see is worked out once per request)."""
    return User.objects.get(pk=user.pk)


def figures(report, short_name, stock):
    row = next(o for o in report.organisations if o.short_name == short_name)
    return row.stock(stock)


def summary(stock):
    return {m.key: (m.numerator, m.denominator, m.value) for m in stock.measures}


def refs(made, *letters):
    return tuple(sorted(made[letter].reference for letter in letters))


def test_the_year_worked_out_by_hand(made, manager):
    report = tsm_report(user=manager, period=YEAR)
    assert [o.short_name for o in report.organisations] == ["FG", "GWH", "VHT"]  # not EH
    vht = figures(report, "VHT", "lcra")
    assert vht.homes == 4000
    assert summary(vht) == {
        CH01_1: (10, 4000, 2.5),
        CH01_2: (2, 4000, 0.5),
        CH02_1: (6, 8, 75.0),
        CH02_2: (1, 2, 50.0),
    }
    assert vht.measure(CH01_1).numerator_references == refs(made, *"ABCDFGHILR")
    assert vht.measure(CH01_2).numerator_references == refs(made, "G", "H")
    assert vht.measure(CH02_1).numerator_references == refs(made, *"ACEGHL")
    assert vht.measure(CH02_1).denominator_references == refs(made, *"ABCDEGHL")
    assert vht.measure(CH02_2).numerator_references == refs(made, "G")
    assert vht.measure(CH02_2).denominator_references == refs(made, "G", "H")
    assert vht.informal_resolutions == refs(made, "L")

    assert summary(figures(report, "VHT", "lcho")) == {
        CH01_1: (1, 1000, 1.0),
        CH01_2: (0, 1000, 0.0),
        CH02_1: (1, 1, 100.0),
        CH02_2: (0, 0, None),
    }
    vht_row = next(o for o in report.organisations if o.short_name == "VHT")
    assert vht_row.without_stock_type == refs(made, "N")

    assert summary(figures(report, "GWH", "lcra"))[CH01_1] == (1, 2000, 0.5)
    assert summary(figures(report, "GWH", "lcho"))[CH01_1] == (0, 0, None)  # no homes recorded

    group = figures(report, "FG", "lcra")
    assert summary(group) == {
        CH01_1: (11, 6000, 1.8),
        CH01_2: (2, 6000, 0.3),
        CH02_1: (7, 9, 77.8),
        CH02_2: (1, 2, 50.0),
    }


def test_the_reading_decides_extensions_and_informal_resolutions(made, manager):
    strict = TsmReading(
        extensions_within_code_count_as_within=False, informal_resolutions_count_as_stage1=False
    )
    vht = figures(tsm_report(user=manager, period=YEAR, reading=strict), "VHT", "lcra")
    assert summary(vht)[CH01_1] == (9, 4000, 2.3)  # 2.25, halves up
    assert summary(vht)[CH02_1] == (4, 7, 57.1)
    assert vht.informal_resolutions == refs(made, "L")  # told, though not counted
    generous = TsmReading(extensions_with_good_reason_count_as_within=True)
    assert summary(figures(tsm_report(user=manager, period=YEAR, reading=generous), "VHT", "lcra"))[
        CH02_1
    ] == (
        7,
        8,
        87.5,
    )


def test_one_organisation_and_what_a_user_may_see(made, org, officer):
    report = tsm_report(user=officer, period=YEAR)  # Olivia works for VHT only
    assert [o.short_name for o in report.organisations] == ["VHT"]
    admin = staff("ada", Role.ADMINISTRATOR, org)
    everything = tsm_report(user=admin, period=YEAR)
    assert [o.short_name for o in everything.organisations] == ["EH", "FG", "GWH", "VHT"]
    assert figures(everything, "EH", "lcra").measure(CH01_1).numerator_references == refs(made, "Q")
    only = tsm_report(user=admin, period=YEAR, organisation=org.parent)
    assert [o.short_name for o in only.organisations] == ["FG", "GWH", "VHT"]


def test_a_later_response_changes_the_figure(made, manager, officer):
    before = figures(tsm_report(user=manager, period=YEAR), "VHT", "lcra")
    respond(made["R"], officer, "Tue 2026-03-31 10:00")  # the Code's last day was Mon 23 March
    after = figures(tsm_report(user=fresh(manager), period=YEAR), "VHT", "lcra")
    assert summary(before)[CH02_1] == (6, 8, 75.0)
    assert summary(after)[CH02_1] == (6, 9, 66.7)
    assert made["R"].reference in after.measure(CH02_1).denominator_references


def test_the_year_before_and_after(made, manager):
    before = figures(tsm_report(user=manager, period=reporting_year(2024)), "VHT", "lcra")
    assert summary(before)[CH01_1] == (1, 3900, 0.3)  # E, received in March 2025
    assert summary(before)[CH02_1] == (0, 0, None)  # E was answered in April
    after = tsm_report(user=fresh(manager), period=reporting_year(2026))
    assert [o.short_name for o in after.organisations] == ["FG"]  # no homes recorded for 2026-27
    # F, received in March, answered Thu 2 April 2026: the Code's last day was Thu 9 April
    # (from Tue 24 March: 25, 26, 27, 30, 31 March, 1, 2, [Good Friday, Easter Monday], 7, 8, 9).
    assert summary(figures(after, "FG", "lcra"))[CH02_1] == (1, 1, 100.0)
    assert summary(figures(after, "FG", "lcra"))[CH01_1] == (0, 0, None)


def test_the_same_queries_whatever_the_data(log, org, officer, senior, manager):
    first, second = fresh(manager), fresh(manager)
    with CaptureQueriesContext(connection) as small:
        tsm_report(user=first, period=YEAR)
    make_year(log, org, officer, senior)
    with CaptureQueriesContext(connection) as big:
        report = tsm_report(user=second, period=YEAR)
    assert summary(figures(report, "VHT", "lcra"))[CH01_1] == (10, 4000, 2.5)
    # what the user may see (2), organisations, homes, received (2), informal, responded,
    # extensions
    assert len(big) == len(small) == 9


def test_the_landlords_reading_comes_from_the_setting(made, manager, settings):
    settings.PUTRIGHT_TSM_READING = "strict"
    report = tsm_report(user=manager, period=YEAR)
    assert not report.reading.informal_resolutions_count_as_stage1
    assert "are not counted as stage 1" in report.as_dict()["reading"]["description"]
    assert summary(figures(report, "VHT", "lcra"))[CH01_1] == (9, 4000, 2.3)
