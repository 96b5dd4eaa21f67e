"""issue 15, anonymise: the person goes, the figures stay; erasure takes the same path.

The case is driven through the real procedure (tests/cases/conftest.py's journey, to the appeal's
final response) with a letter sent (its PDF stored, its email queued), a file, a note, a private
link and a draft; the rows no step of the journey writes (a concern, a restriction, an action, an
evidence request, an extension, a remedy, a decision not to investigate...) are added with a
personal value in every free-text column. After anonymising, every text column of every table
in the database is read back and none of those values may remain; the files are gone from disk,
and ``putright audit verify`` passes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import StepNotAllowed
from putright.cases.models import (
    Action,
    AppealHearing,
    Attachment,
    CaseNote,
    Complaint,
    Concern,
    Contact,
    Customer,
    EventKind,
    EvidenceRequest,
    Extension,
    InvestigationDeclined,
    PointOutcome,
    ReasonableAdjustment,
    Representative,
    Response,
    Restriction,
    Stage,
    TimelineEvent,
    Vulnerability,
    copied_from,
)
from putright.cases.selectors.chain import verify
from putright.cases.services import changes, timeline
from putright.cases.services.anonymisation import (
    ErasureRefused,
    anonymise_complaint,
    erase_customer,
    erasure_plan,
)
from putright.cases.services.customers import add_representative
from putright.cases.services.evidence import attach
from putright.cases.services.notes import add_note
from putright.comms.models import Letter, OutboundAttachment, OutboundEmail
from putright.learning.models import PointLearning, Remedy
from putright.portal.models import CaseLink, Draft, DraftFile
from putright.reports.subject_access import build_export
from tests.cases.conftest import JOURNEY
from tests.cases.helpers import at
from tests.conftest import OUTBOX
from tests.web.comms_helpers import send

#: Every personal value put on the case: none may be left anywhere once it is anonymised.
SECRET = "Zebedee"
PERSONAL = [
    SECRET,
    "Lovelace",
    "ada@example.org",
    "01603 000000",
    "NR28 0NB",
    "TEN-991",
    "Tuesday mornings",
    "Cllr Quentin",
    "quentin@example.org",
    "1 Quill Lane",
]
FILE = b"A photo of the damp in Zebedee's kitchen, as text for the test.\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def said(what: str) -> str:
    return f"{what} ({SECRET})"


@pytest.fixture
def person(customer):
    Customer.objects.filter(pk=customer.pk).update(
        title="Ms",
        address="1 Quill Lane, Norwich",
        tenancy_reference="TEN-991",
        preferred_contact_time="Tuesday mornings",
    )
    ReasonableAdjustment.objects.create(customer=customer, kind="other", detail=said("Needs a ramp"))
    # issue 15, vuln: a disclosed vulnerability goes with the customer's details (special category)
    Vulnerability.objects.create(
        customer=customer,
        kind="mental_health",
        detail=said("Panic attacks after a fire"),
        support_needed=said("Write first"),
        disclosed_on=dt.date(2026, 3, 16),
        disclosed_via="phone",
        consent_given_at=timezone.now(),
        consent_how=said("Said yes on the call"),
        review_on=dt.date(2026, 9, 16),
        review_note=said("Still needed"),
    )
    return Customer.objects.get(pk=customer.pk)


@pytest.fixture
def rich(journey, person, officer, senior, settings):
    """A complaint with a personal value in every column that can hold one."""
    settings.EMAIL_BACKEND = OUTBOX  # Django's mail to the outbox, as in production
    representative = add_representative(
        customer=person,
        name="Cllr Quentin",
        kind="designated_person",
        role="Councillor",
        email="quentin@example.org",
        phone="01603 111111",
        consent_given_at=timezone.now() - dt.timedelta(days=400),
        consent_how=said("Signed form"),
    )
    fields = {
        "summary": said("Roof"),
        "description": said("The roof leaks over Ada Lovelace's bed"),
        "desired_outcome": said("A new roof"),
        "points": [said("Repair not done"), said("Nobody called")],
        "representative": representative,
    }
    case = None
    for name, when in JOURNEY.items():  # the journey to the final response, a letter on the way
        with at(when):
            case = getattr(journey, name)(case, **(fields if name == "received" else {}))
            if name == "accepted":
                send(case, senior)
    case.refresh_from_db()
    Complaint.objects.filter(pk=case.pk).update(triage_note=said("Triage note"))
    note_file_attachment(case, officer)
    assert OutboundEmail.objects.filter(complaint=None, body_text__contains=SECRET).exists()
    stage = Stage.objects.get(complaint=case, number=1)
    Stage.objects.filter(complaint=case).update(request_text=said("Why"), refusal_reason=said("No"))
    Extension.objects.create(
        stage=stage,
        number=9,
        occurred_at=stage.opened_at,
        previous_due_at=stage.opened_at,
        new_due_at=stage.opened_at,
        reason="Waiting for the contractor's report",  # kept: the dashboard lists the reasons
        good_reason="The contractor went into administration",
    )
    Response.objects.filter(stage__complaint=case).update(summary=said("Response"))
    PointOutcome.objects.filter(point__complaint=case).update(reasons=said("Reasons"))
    AppealHearing.objects.filter(stage__complaint=case).update(
        companion_name="Zebedee Friend", companion_relationship=said("Neighbour")
    )
    now = timezone.now()
    Contact.objects.create(
        complaint=case, stage_number=1, occurred_at=now, method="phone", summary=said("Call")
    )
    EvidenceRequest.objects.create(
        complaint=case, stage_number=1, occurred_at=now, description=said("Photos")
    )
    Action.objects.create(
        complaint=case,
        stage_number=1,
        description=said("Fix"),
        due_on=now.date(),
        agreed_at=now,
        completed_at=now,
        completion_note=said("Done"),
    )
    Concern.objects.create(
        complaint=case, kind="safeguarding", description=said("Concern"), raised_at=now, outcome=said("Out")
    )
    Restriction.objects.create(
        customer=person,
        complaint=case,
        reason=said("Shouting"),
        restrictions=said("Email only"),
        starts_on=now.date(),
        review_on=now.date(),
        review_conclusion=said("Kept"),
        end_reason=said("Ended"),
        contact_meanwhile=said("Write"),
    )
    InvestigationDeclined.objects.create(
        complaint=case,
        reason=said("Abuse"),
        legal_advice=said("Advice"),
        advice_on=now.date(),
        decided_at=now,
    )
    Remedy.objects.create(
        complaint=case,
        **copied_from(case),
        stage_number=1,
        remedy_type="financial",
        amount="150.00",
        purpose="time_and_trouble",
        description=said("For the trouble"),
        offered_on=now.date(),
        payment_reference=said("PAY"),
    )
    PointLearning.objects.update_or_create(
        point=case.points.first(),
        defaults={"root_cause_note": said("Root cause")},
        create_defaults={"root_cause_note": said("Root cause"), **copied_from(case)},
    )
    CaseLink.objects.create(
        complaint=case, email="ada@example.org", digest="d" * 64, expires_at=now + dt.timedelta(days=1)
    )
    draft = Draft.objects.create(key="k" * 64, answers={"name": "Ada Lovelace"}, complaint=case)
    draft_file = DraftFile(
        draft=draft, name=said("photo"), content_type="text/plain", size=3, sha256="a" * 64
    )
    draft_file.file.save("f.txt", ContentFile(FILE), save=True)
    timeline.append(timeline.event(case, EventKind.CONTACT_RECORDED, said("Told Ada"), who="Ada Lovelace"))
    return Complaint.objects.get(pk=case.pk)


def note_file_attachment(case, officer):
    User.objects.filter(pk=case.owner_id).update(email="sam@victory.example")
    add_note(case, text=said("Ada Lovelace rang"), actor=officer, tell=[User.objects.get(pk=case.owner_id)])
    attach(case, name="damp.txt", content=FILE, description=said("Kitchen"), actor=officer)


def text_columns():
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            yield model, fields


def personal_values_left() -> list[str]:
    """Every text value in the database that still holds a personal value: (table.column: value)."""
    left = []
    for model, fields in text_columns():
        for row in models.QuerySet(model).values_list("pk", *fields):
            for name, value in zip(fields, row[1:], strict=True):
                text = str(value).lower()
                for personal in PERSONAL:
                    if personal.lower() in text:
                        left.append(f"{model._meta.db_table}.{name} #{row[0]}: {personal}")
    return left


def stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def counts(case):
    """What the reports read: the same before and after."""
    return {
        "case": Complaint.objects.filter(pk=case.pk)
        .values(
            "reference",
            "state",
            "stage",
            "received_at",
            "closed_at",
            "final_response_at",
            "category",
            "channel",
            "stock_type",
            "owner_id",
            "team_id",
            "organisation_id",
        )
        .get(),
        "outcomes": sorted(
            PointOutcome.objects.filter(point__complaint=case).values_list("point__number", "outcome")
        ),
        "deadlines": sorted(case.deadlines.values_list("name", "due_at", "met_at")),
        "extensions": list(
            Extension.objects.filter(stage__complaint=case).values_list("number", "new_due_at")
        ),
        "remedies": list(
            Remedy.objects.filter(complaint=case).values_list("amount", "remedy_type", "offered_on")
        ),
        "stages": list(
            Stage.objects.filter(complaint=case).values_list("number", "opened_at", "responded_at")
        ),
        "letters": list(Letter.objects.filter(complaint=case).values_list("kind", "sent_at", "status")),
        "learning": list(
            PointLearning.objects.filter(point__complaint=case).values_list("theme", "root_cause")
        ),
        "events": list(TimelineEvent.objects.filter(complaint=case).values_list("pk", "kind", "occurred_at")),
    }


def test_every_personal_value_goes_the_figures_stay_and_the_chain_holds(
    rich, person, senior, settings, django_capture_on_commit_callbacks
):
    assert len(personal_values_left()) > 40  # the search finds them while they are there
    files = stored_files(settings)
    assert len(files) >= 3  # the evidence, the letter's PDF, the draft's file
    before = counts(rich)

    with django_capture_on_commit_callbacks(execute=True):
        anonymise_complaint(rich, actor=senior, reason="Retention period ended")

    assert personal_values_left() == []
    assert stored_files(settings) == []
    after = counts(rich)
    events = after.pop("events")
    assert events[: len(before["events"])] == before.pop("events")
    assert after == before
    assert [EventKind(kind) for _, kind, _ in events[-2:]] == [EventKind.TEXT_REDACTED, EventKind.ANONYMISED]
    redaction = TimelineEvent.objects.get(complaint=rich, kind=EventKind.TEXT_REDACTED)
    assert redaction.data["events"] == [pk for pk, _, _ in events[:-2]]
    assert verify(Complaint.objects.filter(pk=rich.pk)).ok
    call_command("audit", "verify", rich.reference, stdout=io.StringIO())
    case = Complaint.objects.get(pk=rich.pk)
    assert case.anonymised_at is not None and case.representative is None
    customer = Customer.objects.get(pk=person.pk)
    assert (customer.full_name, customer.email, customer.tenure, customer.organisation_id) == (
        "Anonymised customer",
        "",
        person.tenure,
        person.organisation_id,
    )
    assert not ReasonableAdjustment.objects.filter(customer=person).exists()
    assert not Representative.objects.filter(customer=person).exists()
    assert not Vulnerability.objects.filter(customer=person).exists()
    assert not CaseLink.objects.exists() and not DraftFile.objects.exists()
    assert not OutboundAttachment.objects.filter(email__complaint=rich).exists()
    assert OutboundEmail.objects.filter(complaint=rich, to=[]).exists()
    assert Attachment.objects.get(complaint=rich).size == len(FILE)  # the row stays, the file goes
    assert CaseNote.objects.get(complaint=rich).text == "[removed]"


def test_anonymising_takes_as_many_queries_for_a_long_timeline_as_for_a_short_one(journey, customer, senior):
    def queries(case) -> int:
        with CaptureQueriesContext(connection) as captured:
            anonymise_complaint(case, actor=senior, reason="Retention period ended")
        return len(captured)

    short = journey.until("accepted")
    long = journey.until("final")
    for n in range(30):
        timeline.append(timeline.event(long, EventKind.CONTACT_RECORDED, f"Call {n}"))
    assert long.timeline.count() > 3 * short.timeline.count()
    first, second = queries(short), queries(long)
    # the second anonymises the customer too (their last complaint): a fixed few more
    assert second - first <= 12, (first, second)


def test_legal_hold_refuses_and_changes_nothing(rich, senior, settings):
    Complaint.objects.filter(pk=rich.pk).update(
        legal_hold_since=timezone.now(), legal_hold_reason="Court claim"
    )
    before, files, events = personal_values_left(), stored_files(settings), rich.timeline.count()
    with pytest.raises(StepNotAllowed, match="under legal hold: Court claim"):
        anonymise_complaint(rich, actor=senior, reason="Retention period ended")
    assert personal_values_left() == before and stored_files(settings) == files
    assert rich.timeline.count() == events and Complaint.objects.get(pk=rich.pk).anonymised_at is None


def test_erasure_is_refused_for_an_open_case_naming_it(journey, customer, senior):
    ended = changes.withdraw(journey.until("accepted"), reason="Sorted", actor=senior)
    still_open = journey.until("contacted")
    events = TimelineEvent.objects.count()
    with pytest.raises(ErasureRefused) as refused:
        erase_customer(customer, actor=senior, reason="Asked in writing")
    assert refused.value.message == (
        f"Personal data not erased, nothing changed: {still_open.reference} is still open."
    )
    assert TimelineEvent.objects.count() == events
    assert not Complaint.objects.filter(anonymised_at__isnull=False).exists()
    assert Customer.objects.get(pk=customer.pk).last_name == "Lovelace"
    assert ended.reference not in refused.value.message


def test_erasure_anonymises_every_complaint_and_the_customer(journey, customer, senior):
    first = changes.withdraw(journey.until("accepted"), reason="Sorted", actor=senior)
    second = changes.withdraw(journey.until("contacted"), reason="Sorted", actor=senior)
    plan = erasure_plan(customer)
    assert plan.allowed and plan.counts["complaints"] == 2
    erase_customer(customer, actor=senior, reason="Asked in writing")
    for case in (first, second):
        case.refresh_from_db()
        assert case.anonymised_at is not None
        event = case.timeline.get(kind=EventKind.ANONYMISED)
        assert event.data["reason"] == "Right to erasure: Asked in writing" and event.actor == senior
    assert Customer.objects.get(pk=customer.pk).full_name == "Anonymised customer"
    assert verify().ok


def test_erasure_refused_under_legal_hold_and_without_a_reason(journey, customer, senior):
    case = changes.withdraw(journey.until("accepted"), reason="Sorted", actor=senior)
    Complaint.objects.filter(pk=case.pk).update(
        legal_hold_since=timezone.now(), legal_hold_reason="Ombudsman"
    )
    with pytest.raises(ErasureRefused, match=f"{case.reference} is under legal hold: Ombudsman"):
        erase_customer(customer, actor=senior, reason="Asked")
    with pytest.raises(ValueError, match="needs a reason"):
        erase_customer(customer, actor=senior, reason="  ")
    assert Customer.objects.get(pk=customer.pk).last_name == "Lovelace"


def test_the_command_dry_run_changes_nothing_and_the_run_erases(journey, customer, senior, capsys):
    case = changes.withdraw(journey.until("accepted"), reason="Sorted", actor=senior)
    events = TimelineEvent.objects.count()
    call_command("erase", str(customer.pk), reason="Asked in writing", dry_run=True)
    out = capsys.readouterr().out
    assert "Dry run" in out and case.reference in out and "nothing was changed" in out
    assert TimelineEvent.objects.count() == events
    assert Customer.objects.get(pk=customer.pk).last_name == "Lovelace"
    call_command("erase", str(customer.pk), reason="Asked in writing")
    assert "Erased" in capsys.readouterr().out
    assert Customer.objects.get(pk=customer.pk).last_name == "customer"
    with pytest.raises(CommandError, match="No customer"):
        call_command("erase", "999999", reason="x")


def test_the_subject_access_export_of_an_anonymised_case_still_opens(rich, person, senior):
    anonymise_complaint(rich, actor=senior, reason="Retention period ended")
    document = build_export(Customer.objects.get(pk=person.pk), actor=senior).document
    (complaint,) = document["complaints"]
    assert complaint["reference"] == rich.reference and complaint["files"][0]["file_in_export"] is None
    assert SECRET not in json.dumps(document, default=str)
