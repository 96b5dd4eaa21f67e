"""issue 16, overhead: the case page reads only the lists a case has rows of, and shows the same.

``selectors.lists``: the complaint's query says by an EXISTS per list which have rows; only those
are prefetched, the others left empty as an empty prefetch leaves them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import prefetch_related_objects
from django.test.utils import CaptureQueriesContext

from putright.cases.models import Complaint, ReasonableAdjustment, Restriction
from putright.cases.selectors.case_page import CASE_PAGE_LISTS, case_page
from putright.cases.selectors.complaints import DETAIL_ALWAYS, DETAIL_LISTS
from putright.cases.services import concerns, investigation, notes, triage
from tests.cases.helpers import at, day, wall
from tests.web.helpers import grow

pytestmark = pytest.mark.django_db

COMPLAINT = 'SELECT "cases_complaint"."id"'
LISTS = [*DETAIL_LISTS, *CASE_PAGE_LISTS]
TABLES = re.compile(
    r'FROM "cases_(action|concern|restriction|attachment|reasonableadjustment|contact|evidencerequest'
    r'|response|extension|casenote|pointoutcome)"'
)


def rows(instance: Any, path: str) -> list[Any]:
    """The ids of the rows at the end of ``path`` (``stages__responses``), list by list."""
    first, _, rest = path.partition("__")
    value = getattr(instance, first)
    found = list(value.all()) if hasattr(value, "all") else ([] if value is None else [value])
    return [rows(each, rest) for each in found] if rest else [each.pk for each in found]


def everything(complaint: Complaint) -> Complaint:
    """The complaint with every list prefetched, as the page read them before."""
    loaded = Complaint.objects.select_related("customer").get(pk=complaint.pk)
    prefetch_related_objects([loaded], *DETAIL_ALWAYS, *(each.lookup for each in LISTS))
    return loaded


def accepted(log, officer) -> Complaint:
    with at("Mon 2026-03-02 10:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    complaint.refresh_from_db()
    return complaint


def test_a_case_with_none_of_the_lists_reads_none_of_them_and_shows_them_empty(log, officer, senior):
    complaint = accepted(log, officer)
    with CaptureQueriesContext(connection) as captured:
        page = case_page(user=senior, reference=complaint.reference)
        shown = {each.path: rows(page, each.path) for each in LISTS}
    # The complaint's own query names them in its EXISTS probes; no query reads them.
    read = [q["sql"] for q in captured if TABLES.search(q["sql"]) and not q["sql"].startswith(COMPLAINT)]
    assert not read, read
    assert shown == {each.path: rows(everything(complaint), each.path) for each in LISTS}
    assert not page.actions.all() and not page.notes.all() and not page.stages.all()[0].responses.all()


def test_a_case_with_every_list_shows_each_as_reading_every_one_does(log, officer, senior, customer):
    complaint = accepted(log, officer)
    with at("Tue 2026-03-10 10:00"):
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-27"), reason="Roofer", actor=officer)
    grow(complaint, officer, 2)  # contacts, actions, files, evidence asked for
    with at("Tue 2026-03-17 10:00"):
        concerns.flag_concern(
            complaint, kind="health_and_safety", description="Exposed wiring", actor=officer
        )
        notes.add_note(complaint, text="Called the roofer", actor=officer)
    ReasonableAdjustment.objects.create(customer=customer, kind="other", detail="Large print")
    Restriction.objects.create(
        customer=customer,
        complaint=complaint,
        reason="Abusive calls",
        restrictions="Email only",
        starts_on=day("Tue 2026-03-17"),
        review_on=day("Fri 2026-04-17"),
    )
    page = case_page(user=senior, reference=complaint.reference)
    reference = everything(complaint)
    for each in LISTS:
        assert rows(page, each.path) == rows(reference, each.path), each.path
    present = {each.path for each in LISTS if getattr(page, each.name)}
    assert present >= {"actions", "concerns", "restrictions", "attachments", "contacts", "notes"}
    assert present >= {
        "evidence_requests",
        "stages__extensions",
        "customer__restrictions",
        "customer__adjustments",
    }
