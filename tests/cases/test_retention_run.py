"""issue 15, retention: the daily run over a prepared database, and the legal hold that stops it.

The year is tsm_cases.py's 2025-26, plus: A closed on Thu 2025-05-01; B closed on Fri 2025-05-02
and put under legal hold; M closed on Mon 2026-03-16; a complaint received, answered and closed in
January 2027 ("recent"). The run is at Tue 2032-06-01 10:00, so with the default six years the cut
is Tue 2026-06-01: due are A, I and J (withdrawn), K (not accepted), L (resolved informally) and M;
not B (held), not the recent one (closed five years and a half before), not those still open or
answered but not closed. Old and new drafts, rate-limit attempts and delivered emails' attachments
sit either side of their own cuts (30, 2 and 30 days).
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command

from putright.accounts.models import Role
from putright.cases.errors import StepNotAllowed
from putright.cases.models import Complaint, EventKind
from putright.cases.services import responses
from putright.cases.services.legal_hold import lift_legal_hold, place_legal_hold
from putright.cases.services.retention import RecordType, apply_retention
from putright.comms.email import delivery, outbox
from putright.comms.models import OutboundAttachment
from putright.portal import drafts
from putright.portal.models import Draft, RateEvent
from putright.reports.dashboard import dashboard, scope_for
from putright.reports.periods import reporting_year
from putright.reports.tsm import tsm_report
from tests.cases.helpers import at, on
from tests.comms.helpers import letter_email
from tests.learning.helpers import record_learning
from tests.reports.tsm_cases import make_year, respond, staff, stage1

pytestmark = pytest.mark.django_db

RUN = "Tue 2032-06-01 10:00"
YEAR = reporting_year(2025)


def close(complaint, officer, when):
    complaint.refresh_from_db()
    with at(when):
        record_learning(complaint, officer, at=on(when))
        responses.close(complaint, actor=officer)


@pytest.fixture
def prepared(log, org, officer, senior, smtp_server):
    made = make_year(log, org, officer, senior)
    close(made["A"], officer, "Thu 2025-05-01 10:00")
    close(made["B"], officer, "Fri 2025-05-02 10:00")
    with at("Mon 2025-05-05 10:00"):
        place_legal_hold(made["B"], actor=senior, reason="Disrepair claim: solicitor's letter of 2 May")
    close(made["M"], officer, "Mon 2026-03-16 10:00")
    with at("Mon 2027-01-04 10:00"):
        made["recent"] = recent = stage1(log, officer, "Mon 2027-01-04 10:00", "Mon 2027-01-04 11:00")
    respond(recent, officer, "Fri 2027-01-08 10:00")
    close(recent, officer, "Wed 2027-01-20 10:00")
    # Either side of each other record type's cut.
    with at("Thu 2032-04-29 10:00"):  # 33 days before the run
        drafts.start(address="192.0.2.1")
        outbox.queue(letter_email(), purpose="letter")
        delivery.deliver_due()
    with at("Thu 2032-05-27 10:00"):  # 5 days before
        drafts.start(address="192.0.2.2")
        outbox.queue(letter_email(), purpose="letter")
        delivery.deliver_due()
    with at("Mon 2032-05-31 09:00"):  # a day and an hour before
        drafts.start(address="192.0.2.3")
    return made


def whole(made) -> dict[str, bool]:
    return {letter: Complaint.objects.get(pk=c.pk).anonymised_at is None for letter, c in made.items()}


def figures(manager):
    year = tsm_report(user=manager, period=YEAR)
    board = dashboard(scope_for(manager, None), YEAR, now=on(RUN))
    return year, board


def test_the_run_anonymises_exactly_the_due_complaints_and_forgets_exactly_the_old_records(prepared, org):
    manager = staff("mona", Role.MANAGER, org.parent)
    before = figures(manager)
    drafts_before, attempts_before = Draft.objects.count(), RateEvent.objects.count()
    attachments_before = OutboundAttachment.objects.count()
    assert (drafts_before, attachments_before) == (3, 2)

    with time_machine.travel(on(RUN), tick=False):
        dry = apply_retention(dry_run=True)
    assert dry == {
        RecordType.COMPLAINTS: 6,
        RecordType.DRAFTS: 1,
        RecordType.RATE_LIMIT_ATTEMPTS: attempts_before - 1,
        RecordType.EMAIL_ATTACHMENTS: 1,
    }
    assert all(whole(prepared).values())  # the dry run changed nothing
    assert (Draft.objects.count(), OutboundAttachment.objects.count()) == (3, 2)

    out = io.StringIO()
    with time_machine.travel(on(RUN), tick=False):
        call_command("retention", stdout=out)
    assert out.getvalue().splitlines() == [
        "complaints: 6 anonymised",
        "drafts: 1 removed",
        f"rate_limit_attempts: {attempts_before - 1} removed",
        "email_attachments: 1 removed",
    ]
    anonymised = sorted(letter for letter, kept in whole(prepared).items() if not kept)
    assert anonymised == ["A", "I", "J", "K", "L", "M"]
    for letter in anonymised:
        event = Complaint.objects.get(pk=prepared[letter].pk).timeline.order_by("-pk").first()
        assert event.kind == EventKind.ANONYMISED and "retention period ended (6 years" in event.summary
    assert Draft.objects.count() == 2 and OutboundAttachment.objects.count() == 1
    assert RateEvent.objects.count() == 1  # the attempt of a day and an hour before
    assert figures(manager) == before  # the year wholly before the cut counts the same

    with time_machine.travel(on(RUN) + dt.timedelta(hours=1), tick=False):
        assert set(apply_retention().values()) == {0}  # a second run removes nothing

    # Once the hold is lifted, the next run takes B too.
    with at("Wed 2032-06-02 10:00"):
        lift_legal_hold(prepared["B"], actor=prepared["B"].owner, reason="The claim was settled")
        assert apply_retention()[RecordType.COMPLAINTS] == 1
    assert not whole(prepared)["B"]


def test_a_hold_is_placed_once_lifted_once_and_each_time_recorded(log, senior):
    complaint = log("2026-03-02 10:00")
    with pytest.raises(StepNotAllowed, match="not under legal hold"):
        lift_legal_hold(complaint, actor=senior, reason="Nothing to lift")
    with at("Mon 2026-03-02 12:00"):
        place_legal_hold(complaint, actor=senior, reason="  Ombudsman inquiry 2026/123 ")
    assert complaint.legal_hold_since == on("Mon 2026-03-02 12:00")
    assert complaint.legal_hold_reason == "Ombudsman inquiry 2026/123"
    version = complaint.version
    with pytest.raises(StepNotAllowed, match="already under legal hold"):
        place_legal_hold(complaint, actor=senior, reason="Again")
    complaint.refresh_from_db()
    assert complaint.version == version and complaint.legal_hold_reason == "Ombudsman inquiry 2026/123"
    with at("Tue 2026-03-03 12:00"):
        lift_legal_hold(complaint, actor=senior, reason="Inquiry closed")
    assert complaint.legal_hold_since is None and complaint.legal_hold_reason == ""
    events = list(
        complaint.timeline.filter(kind__in=[EventKind.LEGAL_HOLD_PLACED, EventKind.LEGAL_HOLD_LIFTED])
    )
    assert [(e.kind, e.summary) for e in events] == [
        (EventKind.LEGAL_HOLD_PLACED, "Legal hold placed: Ombudsman inquiry 2026/123"),
        (EventKind.LEGAL_HOLD_LIFTED, "Legal hold lifted: Inquiry closed"),
    ]
