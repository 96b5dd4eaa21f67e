"""Unacceptable behaviour followed through: restrictions reviewed, renewed and ended; a complaint
not investigated after legal advice; a referred concern emailed to its lead with a date for its outcome.
"""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import Customer, EventKind, InvestigationDeclined, Restriction
from putright.cases.services import concerns, declining, restrictions
from putright.comms.models import OutboundEmail
from tests.cases.helpers import at, day, end_of, last_event, make_lead, refused
from tests.conftest import OUTBOX


@pytest.fixture
def restriction(journey, senior) -> Restriction:
    complaint = journey.until("contacted")
    with at("Wed 2026-03-04 12:00"):
        return concerns.record_restriction(
            complaint,
            reason="Abusive calls to staff on 3 and 4 March",
            restrictions="Written contact only, through the case officer",
            review_on=day("Thu 2026-06-04"),
            actor=senior,
        )


# --- Restrictions ---------------------------------------------------------------------------------


def test_a_review_keeps_the_restriction_until_the_next_review_date(restriction, senior):
    complaint = restriction.complaint
    with at("Thu 2026-06-04 10:00"):
        reviewed = restrictions.review_restriction(
            complaint,
            restriction,
            conclusion="Calls are civil now, but two emails were abusive.",
            next_review_on=day("Fri 2026-09-04"),
            actor=senior,
        )

    assert (reviewed.review_on, reviewed.reviewed_on) == (day("Fri 2026-09-04"), day("Thu 2026-06-04"))
    assert reviewed.review_conclusion == "Calls are civil now, but two emails were abusive."
    assert reviewed.ended_on is None
    event = last_event(complaint)
    assert event.kind == EventKind.RESTRICTION_REVIEWED
    assert event.summary == (
        "Restriction reviewed: Calls are civil now, but two emails were abusive. "
        "Next review on 4 September 2026."
    )
    assert event.data["review_on"] == {"old": "2026-06-04", "new": "2026-09-04"}


def test_a_review_without_a_conclusion_or_a_later_date_changes_nothing(restriction, senior):
    complaint = restriction.complaint
    with at("Thu 2026-06-04 10:00"):
        with refused(
            complaint,
            StepNotAllowed,
            "Record what the review concluded: the restriction stays, with its next review date.",
        ):
            restrictions.review_restriction(
                complaint, restriction, conclusion=" ", next_review_on=day("Fri 2026-09-04"), actor=senior
            )
        with refused(complaint, StepNotAllowed, "A restriction needs a review date in the future."):
            restrictions.review_restriction(
                complaint,
                restriction,
                conclusion="Still needed",
                next_review_on=day("Thu 2026-06-04"),
                actor=senior,
            )
    restriction.refresh_from_db()
    assert (restriction.review_on, restriction.reviewed_on) == (day("Thu 2026-06-04"), None)


def test_renewing_changes_the_review_date_and_what_is_restricted(restriction, senior):
    complaint = restriction.complaint
    with at("Thu 2026-06-04 10:00"):
        renewed = restrictions.renew_restriction(
            complaint,
            restriction,
            reason="Threatening emails on 20 and 27 May.",
            review_on=day("Fri 2026-09-04"),
            restrictions="Letters only, to the case officer",
            actor=senior,
        )

    assert renewed.review_on == day("Fri 2026-09-04")
    assert renewed.restrictions == "Letters only, to the case officer"
    event = last_event(complaint)
    assert event.kind == EventKind.RESTRICTION_RENEWED
    assert event.summary == (
        "Restriction renewed until its review on 4 September 2026: Threatening emails on 20 and 27 May."
    )
    assert event.data["review_on"] == {"old": "2026-06-04", "new": "2026-09-04"}
    assert event.data["restrictions"] == {
        "old": "Written contact only, through the case officer",
        "new": "Letters only, to the case officer",
    }


def test_renewing_needs_a_reason(restriction, senior):
    complaint = restriction.complaint
    with (
        at("Thu 2026-06-04 10:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Give the reason for renewing the restriction: the customer is told it.",
        ),
    ):
        restrictions.renew_restriction(
            complaint, restriction, reason="", review_on=day("Fri 2026-09-04"), actor=senior
        )


def test_an_ended_restriction_cannot_be_reviewed_renewed_or_ended_again(restriction, senior):
    complaint = restriction.complaint
    with at("Mon 2026-05-04 10:00"):
        ended = restrictions.end_restriction(
            complaint, restriction, reason="No incidents for two months.", actor=senior
        )
    assert (ended.ended_on, ended.end_reason) == (day("Mon 2026-05-04"), "No incidents for two months.")
    event = last_event(complaint)
    assert (event.kind, event.summary) == (
        EventKind.RESTRICTION_ENDED,
        "Restriction ended: No incidents for two months.",
    )
    assert event.data["ended_on"] == {"old": None, "new": "2026-05-04"}

    with at("Tue 2026-05-05 10:00"):
        with refused(complaint, InvalidInput, "restriction: this restriction ended on 4 May 2026"):
            restrictions.end_restriction(complaint, restriction, reason="Again", actor=senior)
        with refused(complaint, InvalidInput, "restriction: this restriction ended on 4 May 2026"):
            restrictions.review_restriction(
                complaint, restriction, conclusion="x", next_review_on=day("Fri 2026-09-04"), actor=senior
            )


def test_a_restriction_of_another_customer_is_not_found(restriction, senior, log, org):
    neighbour = Customer.objects.create(organisation=org, first_name="Nina", last_name="Next-Door")
    other = log("2026-03-03 10:00", customer=neighbour)
    with (
        at("Thu 2026-03-05 10:00"),
        refused(other, InvalidInput, "restriction: no such restriction on this customer"),
    ):
        restrictions.end_restriction(other, restriction, reason="Wrong case", actor=senior)


def test_two_caseworkers_reviewing_at_once_never_lose_one(restriction, senior):
    complaint = restriction.complaint
    seen = complaint.version
    with at("Thu 2026-06-04 10:00"):
        restrictions.end_restriction(
            complaint, restriction, reason="Resolved", actor=senior, expected_version=seen
        )
        with refused(complaint, StaleCase):
            restrictions.renew_restriction(
                complaint.pk,
                restriction,
                reason="More abuse",
                review_on=day("Fri 2026-09-04"),
                actor=senior,
                expected_version=seen,
            )


def test_a_restriction_never_blocks_flagging_a_concern(restriction, officer):
    complaint = restriction.complaint
    with at("Thu 2026-03-05 10:00"):
        concern = concerns.flag_concern(
            complaint, kind="health_and_safety", description="Exposed wiring in the hall", actor=officer
        )
    assert concern.pk is not None


# --- Not investigating -----------------------------------------------------------------------------


def test_a_complaint_is_not_investigated_with_the_reason_and_the_legal_advice(journey, senior):
    complaint = journey.until("contacted")
    with at("Fri 2026-03-06 15:00"):
        declining.decline_to_investigate(
            complaint,
            reason="Threats to staff on 3 and 4 March.",
            legal_advice="Our solicitor advised that we may decline.",
            advice_on=day("Thu 2026-03-05"),
            actor=senior,
        )

    complaint.refresh_from_db()
    assert complaint.state == "not_investigated"
    assert complaint.closed_at is not None
    assert not complaint.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True).exists()
    decision = InvestigationDeclined.objects.get(complaint=complaint)
    assert (decision.advice_on, decision.decided_by) == (day("Thu 2026-03-05"), senior)
    event = last_event(complaint)
    assert event.kind == EventKind.NOT_INVESTIGATED
    assert event.summary == (
        "Decided not to investigate: Threats to staff on 3 and 4 March. "
        "(legal advice of 5 March 2026: Our solicitor advised that we may decline.)"
    )
    assert event.data["state"] == {"old": "stage1", "new": "not_investigated"}


def test_not_investigating_is_refused_without_a_reason_or_advice(journey, senior):
    complaint = journey.until("contacted")
    with at("Fri 2026-03-06 15:00"):
        with refused(
            complaint,
            StepNotAllowed,
            (
                "Give the reason for not investigating: the behaviour, with dates. "
                "The customer is told it, with how to reach the Ombudsman."
            ),
        ):
            declining.decline_to_investigate(
                complaint, reason=" ", legal_advice="Advice", advice_on=day("Thu 2026-03-05"), actor=senior
            )
        with refused(
            complaint,
            StepNotAllowed,
            "The procedure says we seek legal advice first: record the advice and the date it was given.",
        ):
            declining.decline_to_investigate(
                complaint, reason="Threats", legal_advice="", advice_on=None, actor=senior
            )
    assert not InvestigationDeclined.objects.exists()


def test_a_complaint_already_answered_cannot_be_declined(journey, senior):
    complaint = journey.until("responded")
    with (
        at("Fri 2026-03-13 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Decline to investigate is not possible while the complaint is “Stage 1: responded”.",
        ),
    ):
        declining.decline_to_investigate(
            complaint, reason="Threats", legal_advice="Advice", advice_on=day("Thu 2026-03-12"), actor=senior
        )


# --- Concerns: the lead is emailed at once, with a date for the outcome -----------------------------


@pytest.fixture(autouse=True)
def _outbox(settings):
    """Django's mail goes to the outbox, as in production (pytest-django swaps in locmem)."""
    settings.EMAIL_BACKEND = OUTBOX


def test_a_referred_concern_emails_its_lead_with_the_outcome_due_after_easter(journey, officer, org):
    lead = make_lead("sally", Role.SAFEGUARDING_LEAD, org, emailed=True)
    complaint = journey.until("contacted")
    # Referred on Thu 2 April 2026: Good Friday (3 Apr) and Easter Monday (6 Apr) are bank holidays,
    # so the 5 working days are Tue 7, Wed 8, Thu 9, Fri 10 and Mon 13 April.
    with at("Thu 2026-04-02 10:00"):
        concern = concerns.flag_concern(
            complaint,
            kind="safeguarding",
            description="The customer's son is not safe at home",
            actor=officer,
        )

    assert (concern.referred_to, concern.outcome_due_at) == (lead, end_of("Mon 2026-04-13"))
    assert last_event(complaint).data["outcome_due_at"] == "2026-04-13T23:59:59+01:00"
    email = OutboundEmail.objects.get(purpose="concern")
    assert email.to == ["sally@flagship.example"]
    assert email.subject == f"Safeguarding concern referred to you: {complaint.reference}"
    assert "The customer's son is not safe at home" in email.body_text
    assert "by Monday 13 April 2026" in email.body_text
    assert "/work/concerns/" in email.body_text


def test_referring_again_emails_the_new_lead_and_sets_a_new_date(journey, officer, senior, org):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-03 10:00"):
        concern = concerns.flag_concern(complaint, kind="safeguarding", description="Worry", actor=officer)
    assert concern.outcome_due_at is None  # no lead set up yet: flagged, not referred
    assert not OutboundEmail.objects.filter(purpose="concern").exists()

    lead = make_lead("sally", Role.SAFEGUARDING_LEAD, org, emailed=True)
    with at("Wed 2026-03-04 16:00"):
        concerns.refer_concern(concern, to=lead, actor=senior)
    assert concern.outcome_due_at == end_of("Wed 2026-03-11")
    assert OutboundEmail.objects.get(purpose="concern").to == ["sally@flagship.example"]


def test_a_refused_referral_sends_nothing(journey, officer, org):
    make_lead("sally", Role.SAFEGUARDING_LEAD, org, emailed=True)
    complaint = journey.until("contacted")
    with at("Tue 2026-03-03 10:00"), refused(complaint, StaleCase):
        concerns.flag_concern(
            complaint, kind="safeguarding", description="Worry", actor=officer, expected_version=1
        )
    assert not OutboundEmail.objects.exists()
