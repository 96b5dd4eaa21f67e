"""issue 15, anonymise: the year's figures are the same before and after every complaint is anonymised.

The dashboard's quarter (tests/reports/dashboard_cases.py) and the TSM's year (tests/reports/
tsm_cases.py), both worked out by hand elsewhere, are read through the reports' own selectors,
every complaint is anonymised (its customer too, once all of theirs are), and read again.
"""

from __future__ import annotations

from putright.cases.models import Complaint, Customer
from putright.cases.selectors.chain import verify
from putright.cases.services.anonymisation import anonymise_complaint
from putright.reports.dashboard import dashboard, scope_for
from putright.reports.tsm import tsm_report
from tests.reports.dashboard_cases import make_dashboard_set
from tests.reports.test_dashboard import NOW, Q1
from tests.reports.test_tsm import YEAR, fresh
from tests.reports.tsm_cases import make_year


def anonymise_everything(actor) -> None:
    for complaint in Complaint.objects.order_by("pk"):
        anonymise_complaint(complaint, actor=actor, reason="Retention period ended")
    assert not Complaint.objects.filter(anonymised_at__isnull=True).exists()
    assert set(Customer.objects.values_list("first_name", flat=True)) == {"Anonymised"}
    assert verify().ok


def test_the_dashboard_gives_the_same_figures(log, officer, senior, org):
    make_dashboard_set(log, officer, senior, org)
    before = dashboard(scope_for(senior, None), Q1, now=NOW)
    assert before.figure("summary", "received") == 8
    anonymise_everything(senior)
    after = dashboard(scope_for(fresh(senior), None), Q1, now=NOW)
    changed = [(a, b) for a, b in zip(after.tables, before.tables, strict=True) if a != b]
    assert changed == []
    assert after == before


def test_the_tsm_gives_the_same_figures(log, org, officer, senior):
    make_year(log, org, officer, senior)
    before = tsm_report(user=fresh(senior), period=YEAR)
    assert before.organisations
    anonymise_everything(senior)
    after = tsm_report(user=fresh(senior), period=YEAR)
    assert after == before
