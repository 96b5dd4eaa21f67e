"""When each kind of letter can be written: one table, read from the case's recorded facts.

A letter written before its facts exist says something false (an appeal decision
before the final response gave the stage 2 Ombudsman date; a "final response" at
stage 1 had no points). The drafts, the sending, the suggestions and the chooser
all follow ``availability.RULES``; a refusal changes nothing.
"""

# The letter fixtures are imported from tests.comms.letter_cases (the conftest here belongs to
# the reminder tests); pytest passes them back in as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import re

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.models import TimelineEvent
from putright.cases.services import changes, customers, escalation, investigation, responses, triage
from putright.comms.letters import availability
from putright.comms.letters.letter_context import load
from putright.comms.letters.services import letters, templates
from putright.comms.models import Letter, LetterKind, OutboundEmail
from tests.cases.conftest import all_points, code_2024  # noqa: F401 (a fixture)
from tests.cases.helpers import at, on, wall
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_text,
    send,
)
from tests.learning.helpers import record_learning

K = LetterKind
pytestmark = pytest.mark.django_db


def available(complaint) -> list[LetterKind]:
    return availability.available(load(complaint.pk))


def snapshot(complaint) -> tuple[int, int, int, int]:
    return (
        Letter.objects.filter(complaint=complaint).count(),
        OutboundEmail.objects.filter(complaint=complaint).count(),
        TimelineEvent.objects.filter(complaint=complaint).count(),
        complaint.__class__.objects.get(pk=complaint.pk).version,
    )


def test_the_table_has_a_rule_for_every_kind():
    assert set(availability.RULES) == set(K)


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        ("received", []),
        ("accepted", [K.ACKNOWLEDGEMENT]),
        ("contacted", [K.ACKNOWLEDGEMENT, K.CONTACT_RECORD]),
        # Once the response is given, no acknowledgement promises its date any more.
        ("responded", [K.CONTACT_RECORD, K.STAGE1_RESPONSE]),
        ("escalated", [K.ACKNOWLEDGEMENT, K.STAGE1_RESPONSE]),
        ("contacted2", [K.ACKNOWLEDGEMENT, K.CONTACT_RECORD, K.STAGE1_RESPONSE]),
        ("responded2", [K.CONTACT_RECORD, K.STAGE1_RESPONSE, K.STAGE2_RESPONSE]),
        ("appealed", [K.STAGE1_RESPONSE, K.STAGE2_RESPONSE]),
        ("scheduled", [K.STAGE1_RESPONSE, K.STAGE2_RESPONSE, K.APPEAL_INVITATION]),
        # Decided, but the final response is not recorded: no decision letter yet.
        ("decided", [K.STAGE1_RESPONSE, K.STAGE2_RESPONSE]),
        # The appeal's final response replaces the stage 2 one (and its Ombudsman date).
        ("final", [K.STAGE1_RESPONSE, K.APPEAL_DECISION]),
    ],
)
def test_what_can_be_written_follows_the_recorded_facts_along_the_journey(journey, until, expected):
    assert available(journey.until(until)) == expected


def test_the_appeal_decision_is_refused_before_the_final_response_is_recorded(journey, senior):
    """The reviewer's case: before, the draft gave "8 weeks after this final response" from the
    stage 2 response's date."""
    complaint = journey.until("decided")
    before = snapshot(complaint)
    with pytest.raises(InvalidInput) as refused:
        letters.draft(complaint, K.APPEAL_DECISION)
    assert refused.value.field == "kind"
    assert "the final response has not been recorded yet" in refused.value.detail
    template = templates.current(K.APPEAL_DECISION)
    with at("Thu 2026-04-23 16:30"), pytest.raises(InvalidInput) as refused:
        letters.send_letter(
            complaint.pk,
            K.APPEAL_DECISION,
            subject="The panel's decision",
            body="Dear Ada, this is our final response.",
            template_id=template.pk,
            actor=senior,
        )
    assert refused.value.field == "kind"
    assert snapshot(complaint) == before


def test_a_final_response_letter_at_stage_1_is_refused(journey, officer):
    complaint = journey.until("responded")
    with pytest.raises(InvalidInput, match="no appeal has been requested") as refused:
        letters.draft(complaint, K.APPEAL_DECISION)
    assert refused.value.field == "kind"
    with pytest.raises(InvalidInput, match="stage 2 response has not been recorded yet"):
        letters.draft(complaint, K.STAGE2_RESPONSE)


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        (K.STAGE1_RESPONSE, "the stage 1 response has not been recorded yet"),
        (K.EXTENSION, "the response date at stage 1 has not been extended"),
        (K.EVIDENCE_REQUEST, "no request for evidence has been recorded at stage 1"),
        (K.CONTACT_RECORD, "no contact with the customer has been recorded at stage 1"),
        (K.NOT_ACCEPTED, "this letter is for a complaint we did not accept"),
        (K.INFORMAL_RESOLUTION, "this complaint was not resolved informally"),
        (K.APPEAL_INVITATION, "no appeal has been requested"),
        (K.APPEAL_REFUSAL, "no appeal has been requested"),
        (K.DESIGNATED_PERSON, "no designated person (an MP or councillor) is acting for the customer"),
    ],
)
def test_a_letter_whose_facts_do_not_exist_is_refused_with_the_reason_and_changes_nothing(
    journey, officer, kind, reason
):
    complaint = journey.until("accepted")
    assert reason in availability.why_not(load(complaint.pk), kind)
    before = snapshot(complaint)
    with pytest.raises(InvalidInput, match=re.escape(reason)):
        letters.draft(complaint, kind)
    with at("Mon 2026-03-02 11:30"), pytest.raises(InvalidInput) as refused:
        letters.send_letter(
            complaint.pk,
            kind,
            subject="Hello",
            body="Dear Ada",
            template_id=templates.current(kind).pk,
            actor=officer,
        )
    assert (refused.value.field, refused.value.detail) == (
        "kind",
        availability.why_not(load(complaint.pk), kind),
    )
    assert snapshot(complaint) == before
    assert kind not in letters.suggested_kinds(complaint)


def test_each_letter_becomes_available_once_its_fact_is_recorded(journey, officer, customer):
    complaint = journey.until("contacted")
    with at("Wed 2026-03-04 09:00"):
        investigation.request_evidence(complaint, description="Photos of the damp", actor=officer)
    with at("Tue 2026-03-10 12:00"):
        investigation.extend(
            complaint, new_due_on=dt.date(2026, 3, 30), reason="The roofer's report", actor=officer
        )
    customers.add_representative(
        customer=customer,
        name="Harriet Member MP",
        kind="designated_person",
        consent_given_at=on("Mon 2026-03-09 09:00"),
        consent_how="Signed consent form",
    )
    assert available(complaint) == [
        K.ACKNOWLEDGEMENT,
        K.CONTACT_RECORD,
        K.EVIDENCE_REQUEST,
        K.EXTENSION,
        K.DESIGNATED_PERSON,
    ]
    with at("Tue 2026-03-10 12:30"):
        assert letters.suggested_kinds(complaint) == available(complaint)
    # Once the response is given, the extension no longer promises anything.
    with at("Wed 2026-03-11 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=officer
        )
    assert K.EXTENSION not in available(complaint)
    assert K.STAGE1_RESPONSE in available(complaint)


def test_triage_outcomes_and_a_refused_appeal(log, frontline, journey, senior, landlord):
    with at("Mon 2026-03-02 10:00"):
        refused = log(wall("Mon 2026-03-02 10:00"))
        informal = log(wall("Mon 2026-03-02 10:00"))
        triage.not_accept(refused, reason="neighbour_or_asb", explanation="Noise next door.", actor=frontline)
        triage.resolve_informally(informal, resolution="We booked the roof repair", actor=frontline)
    assert available(refused) == [K.NOT_ACCEPTED]
    assert available(informal) == [K.INFORMAL_RESOLUTION]

    appeal = journey.until("appealed")
    with at("Wed 2026-03-25 11:00"):
        record_learning(appeal, senior)
        escalation.refuse_appeal(appeal, reason="Nothing is outstanding.", actor=senior)
    assert available(appeal) == [K.STAGE1_RESPONSE, K.STAGE2_RESPONSE, K.APPEAL_REFUSAL]
    assert letters.suggested_kinds(appeal) == [K.APPEAL_REFUSAL]


def test_a_withdrawn_complaint_is_not_acknowledged(journey, officer):
    complaint = journey.until("accepted")
    with at("Mon 2026-03-02 12:00"):
        changes.withdraw(complaint, reason="Sorted it myself", actor=officer)
    assert "the complaint is no longer being investigated" in availability.why_not(
        load(complaint.pk), K.ACKNOWLEDGEMENT
    )
    assert available(complaint) == []


# The PDF is drawn before the complaint is locked, and the checks are made again under the lock.


def _watch(monkeypatch, during_first_pdf=None) -> list[str]:
    """Record the order of PDF drawing and locking; run ``during_first_pdf`` while the first PDF is drawn."""
    calls: list[str] = []
    draw, lock = letters.letter_pdf, letters.lock_complaint

    def drawing(page):
        calls.append("pdf")
        if during_first_pdf is not None and calls.count("pdf") == 1:
            during_first_pdf()
        return draw(page)

    def locking(complaint_id):
        calls.append("lock")
        return lock(complaint_id)

    monkeypatch.setattr(letters, "letter_pdf", drawing)
    monkeypatch.setattr(letters, "lock_complaint", locking)
    return calls


def test_the_pdf_is_drawn_before_the_complaint_is_locked(journey, officer, monkeypatch):
    complaint = journey.until("accepted")
    calls = _watch(monkeypatch)
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    assert calls == ["pdf", "lock"]
    assert letter.pdf.size > 0


def test_a_step_taken_while_the_pdf_is_drawn_is_seen_under_the_lock(journey, officer, monkeypatch):
    complaint = journey.until("contacted")
    draft = letters.draft(complaint, K.ACKNOWLEDGEMENT)

    def respond() -> None:
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=officer
        )

    calls = _watch(monkeypatch, respond)
    before = snapshot(complaint)
    with at("Tue 2026-03-03 11:30"), pytest.raises(InvalidInput) as refused:
        letters.send_letter(
            complaint.pk,
            K.ACKNOWLEDGEMENT,
            subject=draft.subject,
            body=draft.body,
            template_id=draft.template.pk,
            actor=officer,
        )
    assert (refused.value.field, refused.value.detail) == (
        "kind",
        "the stage 1 response has already been given",
    )
    assert calls == ["pdf", "lock"]
    # The response's own events and version are there; nothing of the letter.
    assert snapshot(complaint)[:2] == before[:2]
    assert not Letter.objects.filter(complaint=complaint).exists()


def test_a_recipient_changed_while_the_pdf_is_drawn_gets_a_pdf_drawn_again(
    journey, officer, customer, monkeypatch
):
    complaint = journey.until("accepted")

    def move() -> None:
        customer.address = "12 Mundesley Road\nNorth Walsham"
        customer.save(update_fields=["address"])

    calls = _watch(monkeypatch, move)
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    assert calls == ["pdf", "lock", "pdf"]  # the address is printed: the PDF is drawn again
    assert "12 Mundesley Road" in letter.recipient_address
    assert "12 Mundesley Road" in pdf_text(letter)


def test_an_email_address_changed_while_the_pdf_is_drawn_is_used_without_drawing_again(
    journey, officer, customer, monkeypatch
):
    complaint = journey.until("accepted")

    def change() -> None:
        customer.email = "ada.new@example.org"
        customer.save(update_fields=["email"])

    calls = _watch(monkeypatch, change)
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:30")
    assert calls == ["pdf", "lock"]  # the email address is not printed on the letter
    assert letter.email == "ada.new@example.org"
    assert OutboundEmail.objects.get(letter=letter).to == ["ada.new@example.org"]


# Words longer than a letter keeps


@pytest.mark.parametrize(
    ("field", "words", "message"),
    [
        ("subject", {"subject": "x" * 201}, "the subject is 201 characters: shorten it to 200 or fewer"),
        ("body", {"body": "x" * (letters.MAX_BODY + 1)}, "shorten it to 60,000 or fewer"),
    ],
)
def test_a_subject_or_body_longer_than_a_letter_keeps_is_refused(journey, officer, field, words, message):
    complaint = journey.until("accepted")
    arguments = {"subject": "Hello", "body": "Dear Ada", **words}
    before = snapshot(complaint)
    with at("Mon 2026-03-02 11:30"), pytest.raises(InvalidInput) as refused:
        letters.send_letter(
            complaint.pk,
            K.ACKNOWLEDGEMENT,
            template_id=templates.current(K.ACKNOWLEDGEMENT).pk,
            actor=officer,
            **arguments,
        )
    assert refused.value.field == field
    assert message in refused.value.detail
    assert snapshot(complaint) == before


@pytest.mark.usefixtures("code_2024")
def test_a_review_is_acknowledged_under_the_code_too(journey):
    complaint = journey.until("escalated")
    assert K.ACKNOWLEDGEMENT in available(complaint)
    assert "will contact you by" in letters.draft(complaint, K.ACKNOWLEDGEMENT).body


def test_a_contact_record_after_the_response_promises_no_response_date(journey, officer):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 09:00"):
        investigation.record_contact(
            complaint, method="phone", summary="Went through the response", actor=officer
        )
    body = letters.draft(complaint, K.CONTACT_RECORD).body
    assert "Went through the response" in body
    assert "We will send you our response by" not in body
