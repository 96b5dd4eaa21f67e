"""Disclosed vulnerabilities (issue 15, vuln; Code 5.10): kept only with consent, reviewed,
withdrawn (the detail removed, the fact kept), forgotten with the customer; each step writes its
event on the customer's open complaints, naming the kind and never the detail."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, TimelineEvent, Vulnerability
from putright.cases.selectors.chain import verify
from putright.cases.services import triage
from putright.cases.services.vulnerabilities import (
    forget_vulnerabilities,
    record_vulnerability,
    review_vulnerability,
    withdraw_consent,
)
from tests.cases.helpers import at, kinds
from tests.conftest import london

DETAIL = "Has PTSD after a fire; phone calls without warning cause panic attacks"
SUPPORT = "Write first to arrange a call; no unannounced visits"
NOW = "Tue 2026-03-17 10:00"


def _record(customer, actor, **changes):
    fields = {
        "kind": "mental_health",
        "detail": DETAIL,
        "support_needed": SUPPORT,
        "disclosed_on": dt.date(2026, 3, 16),
        "disclosed_via": "phone",
        "consent_given_at": london("2026-03-16 11:00"),
        "consent_how": "Said yes on the call of 16 March",
        "consent_to_share": True,
        "review_on": dt.date(2026, 9, 16),
        "actor": actor,
    }
    fields.update(changes)
    return record_vulnerability(customer, **fields)


@pytest.fixture
def case(log, officer, frontline):
    with at("Mon 2026-03-16 10:00"):
        complaint = log("2026-03-16 10:00")
        triage.accept(complaint, owner=officer, actor=frontline, reasoning="Meets the definition.")
    complaint.refresh_from_db()
    return complaint


def _texts(complaint) -> str:
    return " ".join(f"{e.summary} {e.data}" for e in complaint.timeline.all())


def test_recorded_with_consent_its_event_names_the_kind_and_not_the_detail(case, customer, frontline):
    with at(NOW):
        found = _record(customer, frontline)
    assert found.detail == DETAIL and found.support_needed == SUPPORT
    assert found.consent_scope == "recorded and shared with the staff who handle my complaints"
    assert found.recorded_by == frontline
    event = case.timeline.order_by("pk").last()
    assert event.kind == EventKind.VULNERABILITY_RECORDED
    assert event.summary == "Vulnerability recorded (mental health)"
    assert event.actor == frontline
    assert "PTSD" not in _texts(case) and "unannounced" not in _texts(case)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent_to_share": False}, "consent"),
        ({"consent_given_at": None}, "consent"),
        ({"consent_how": "  "}, "consent"),
        ({"kind": "nosy"}, "kind"),
        ({"detail": " "}, "detail"),
        ({"disclosed_on": dt.date(2026, 3, 18)}, "disclosed_on"),
        ({"review_on": dt.date(2026, 3, 17)}, "review_on"),
        ({"disclosed_via": "carrier pigeon"}, "disclosed_via"),
    ],
)
def test_without_consent_or_with_bad_input_nothing_is_kept(case, customer, frontline, changes, field):
    events = case.timeline.count()
    with at(NOW), pytest.raises(InvalidInput) as refused:
        _record(customer, frontline, **changes)
    assert refused.value.field == field
    assert not Vulnerability.objects.exists()
    assert case.timeline.count() == events


def test_the_refusal_without_consent_says_what_is_needed(customer, frontline):
    with at(NOW), pytest.raises(InvalidInput) as refused:
        _record(customer, frontline, consent_to_share=False)
    assert "consent is needed" in refused.value.message
    assert "Nothing was saved" in refused.value.message


def test_reviewed_then_withdrawn_the_detail_goes_the_fact_stays(case, customer, officer):
    with at(NOW):
        found = _record(customer, officer)
    with at("Mon 2026-06-01 10:00"):
        review_vulnerability(
            found,
            note="Still applies; calls by arrangement work",
            next_review_on=dt.date(2026, 12, 1),
            actor=officer,
        )
    found.refresh_from_db()
    assert found.reviewed_on == dt.date(2026, 6, 1) and found.review_on == dt.date(2026, 12, 1)
    with at("Wed 2026-07-01 10:00"):
        withdraw_consent(found, actor=officer)
    found.refresh_from_db()
    assert (found.detail, found.support_needed, found.review_note, found.consent_how) == ("", "", "", "")
    assert found.kind == "mental_health" and found.disclosed_on == dt.date(2026, 3, 16)
    assert found.consent_withdrawn_at == london("2026-07-01 10:00")
    assert Vulnerability.objects.filter(customer=customer).count() == 1  # the count is not changed
    assert kinds(case)[-3:] == [
        EventKind.VULNERABILITY_RECORDED,
        EventKind.VULNERABILITY_REVIEWED,
        EventKind.VULNERABILITY_CONSENT_WITHDRAWN,
    ]
    assert "PTSD" not in _texts(case) and "calls by arrangement" not in _texts(case)
    # Once withdrawn, nothing more is done with it.
    with (
        at("Thu 2026-07-02 10:00"),
        pytest.raises(InvalidInput, match="withdrew their consent on 1 July 2026"),
    ):
        review_vulnerability(found, note="x", next_review_on=dt.date(2027, 1, 1), actor=officer)
    with pytest.raises(InvalidInput):
        withdraw_consent(found, actor=officer)


def test_the_events_keep_the_chain(case, customer, officer):
    with at(NOW):
        found = _record(customer, officer)
        review_vulnerability(found, note="Still applies", next_review_on=dt.date(2026, 9, 1), actor=officer)
        withdraw_consent(found, actor=officer)
    assert TimelineEvent.objects.filter(complaint=case).count() >= 4
    result = verify(Complaint.objects.filter(pk=case.pk))
    assert result.broken == [] and result.cases == 1


def test_events_go_to_every_open_complaint_and_the_one_it_was_recorded_from(
    log, customer, officer, frontline
):
    with at("Mon 2026-03-16 11:00"):
        open_one = log("2026-03-16 10:00")
        other = log("2026-03-16 10:05")
        finished = log("2026-03-16 10:10")
        triage.not_accept(
            finished, reason="first_request_for_service", explanation="A service request.", actor=frontline
        )
    with at(NOW):
        _record(customer, frontline)
    for complaint in (open_one, other):
        assert kinds(complaint)[-1] == EventKind.VULNERABILITY_RECORDED
    assert kinds(finished)[-1] != EventKind.VULNERABILITY_RECORDED
    with at(NOW):
        _record(customer, frontline, kind="bereavement", complaint=finished)
    assert kinds(finished)[-1] == EventKind.VULNERABILITY_RECORDED


def test_forget_removes_every_one_of_the_customer(customer, officer, org):
    from tests.conftest import make_customer

    with at(NOW):
        _record(customer, officer)
        _record(customer, officer, kind="age")
        someone = make_customer(org)
        _record(someone, officer)
    assert forget_vulnerabilities(customer) == 2
    assert list(Vulnerability.objects.values_list("customer_id", flat=True)) == [someone.pk]
