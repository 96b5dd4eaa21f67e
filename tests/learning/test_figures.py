"""The quarter's figures, against complaints made by hand (see publish_cases.py for the working)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation, OrganisationKind
from putright.learning.figures import ThemeCount, quarter_figures
from putright.learning.quarters import Quarter
from tests.learning.publish_cases import make_quarter

Q1 = Quarter.parse("2026-Q1")


@pytest.fixture
def made(log, officer, senior):
    return make_quarter(log, officer, senior)


def test_figures_of_a_quarter_made_by_hand(made, org):
    figures = quarter_figures(org, Q1)
    assert figures.received == 5  # A, B, C, D and F: not E (31 March, 23:59) nor G (1 July, 00:00)
    assert figures.stage2_requests == 1
    assert figures.responses == 5  # E's response counts: given in April
    assert figures.upheld == 3  # A and D upheld, C partly
    assert figures.on_time == 3  # A (after Easter), C (extended within the policy), E
    assert figures.on_time_percent == 60
    assert figures.top_themes == [
        ThemeCount("communication", "Communication and information", 3),
        ThemeCount("damp_and_mould", "Repairs: damp and mould", 3),
        ThemeCount("rent_and_charges", "Rent, service charges and payments", 1),
    ]


def test_the_quarter_boundaries_are_midnight_in_london(made, org):
    before = quarter_figures(org, Q1.previous())
    after = quarter_figures(org, Q1.next())
    assert (before.received, after.received) == (1, 1)  # E in January to March, G in July to September
    assert before.top_themes == [ThemeCount("rent_and_charges", "Rent, service charges and payments", 1)]
    assert before.responses == after.responses == 0


def test_a_group_counts_the_organisations_below_it_and_no_other(made, org):
    group = org.parent
    assert quarter_figures(group, Q1) == quarter_figures(org, Q1)
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    empty = quarter_figures(other, Q1)
    assert (empty.received, empty.responses, empty.on_time_percent, empty.top_themes) == (0, 0, None, [])


def test_the_figures_take_the_same_queries_whatever_the_data(log, officer, senior, org):
    with CaptureQueriesContext(connection) as small:
        quarter_figures(org, Q1)
    make_quarter(log, officer, senior)
    with CaptureQueriesContext(connection) as big:
        figures = quarter_figures(org, Q1)
    assert figures.received == 5
    assert len(big) == len(small) + 1  # the themes table is read only once there are themes to name
    assert len(big) <= 7
