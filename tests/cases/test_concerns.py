"""Safeguarding and health and safety concerns, flagged and tracked; restrictions kept under review."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.models import ConcernStatus, EventKind
from putright.cases.services import concerns, triage
from tests.cases.helpers import at, day, kinds, last_event, make_lead, on, refused


@pytest.fixture
def safeguarding_lead(org):
    return make_lead("sally", Role.SAFEGUARDING_LEAD, org)


@pytest.fixture
def safety_lead(org):
    return make_lead("harry", Role.HEALTH_SAFETY_LEAD, org)


def test_a_concern_goes_at_once_to_the_organisations_lead(journey, officer, safeguarding_lead):
    complaint = journey.until("contacted")

    with at("Tue 2026-03-03 09:45"):
        concern = concerns.flag_concern(
            complaint, kind="safeguarding", description="No heating", actor=officer
        )

    assert (concern.status, concern.referred_to) == (ConcernStatus.REFERRED, safeguarding_lead)
    assert kinds(complaint)[-2:] == [EventKind.CONCERN_FLAGGED, EventKind.CONCERN_REFERRED]
    assert last_event(complaint).summary == "Safeguarding concern referred to Sally Lead"


def test_a_concern_can_only_be_referred_to_a_lead_of_the_organisation(journey, officer, frontline):
    complaint = journey.until("contacted")
    with at("Tue 2026-03-03 09:45"), refused(complaint, InvalidInput) as info:
        concerns.flag_concern(
            complaint, kind="safeguarding", description="Worry", refer_to=frontline, actor=officer
        )
    assert info.value.field == "refer_to"
    assert "this needs a safeguarding or health and safety lead" in info.value.detail


def test_a_safeguarding_concern_is_flagged_referred_and_closed(journey, officer, org):
    # No safeguarding lead works for the organisation yet: the concern waits, flagged.
    complaint = journey.until("contacted")
    version = complaint.version

    with at("Tue 2026-03-03 09:45"):
        concern = concerns.flag_concern(
            complaint,
            kind="safeguarding",
            description="  The customer's elderly father is living without heating ",
            actor=officer,
        )
    assert (concern.kind, concern.status, concern.raised_by) == (
        "safeguarding",
        ConcernStatus.FLAGGED,
        officer,
    )
    assert concern.description == "The customer's elderly father is living without heating"
    assert concern.raised_at == on("Tue 2026-03-03 09:45")
    assert last_event(complaint).summary == "Safeguarding concern flagged"

    safeguarding_lead = make_lead("sally", Role.SAFEGUARDING_LEAD, org)
    with at("Tue 2026-03-03 10:15"):
        concerns.refer_concern(concern, to=safeguarding_lead, actor=officer)
    assert (concern.status, concern.referred_to, concern.referred_at) == (
        ConcernStatus.REFERRED,
        safeguarding_lead,
        on("Tue 2026-03-03 10:15"),
    )
    assert last_event(complaint).summary == "Concern referred to Sally Lead"

    with at("Thu 2026-03-05 16:00"):
        concerns.close_concern(
            concern, outcome="  Adult social care visited; heaters supplied ", actor=safeguarding_lead
        )
    assert (concern.status, concern.closed_at, concern.outcome) == (
        ConcernStatus.CLOSED,
        on("Thu 2026-03-05 16:00"),
        "Adult social care visited; heaters supplied",
    )

    complaint.refresh_from_db()
    assert kinds(complaint)[-3:] == [
        EventKind.CONCERN_FLAGGED,
        EventKind.CONCERN_REFERRED,
        EventKind.CONCERN_CLOSED,
    ]
    assert last_event(complaint).summary == "Concern closed: Adult social care visited; heaters supplied"
    # The complaint itself carries on at stage 1; each step is on its record.
    assert complaint.state == "stage1"
    assert complaint.version == version + 3


def test_a_health_and_safety_concern_can_be_referred_as_it_is_flagged(journey, officer, safety_lead):
    complaint = journey.until("contacted")

    with at("Tue 2026-03-03 09:45"):
        concern = concerns.flag_concern(
            complaint,
            kind="health_and_safety",
            description="Exposed wiring where the ceiling came down",
            refer_to=safety_lead,
            actor=officer,
        )

    assert (concern.status, concern.referred_to, concern.referred_at) == (
        ConcernStatus.REFERRED,
        safety_lead,
        on("Tue 2026-03-03 09:45"),
    )
    assert kinds(complaint)[-2:] == [EventKind.CONCERN_FLAGGED, EventKind.CONCERN_REFERRED]
    assert last_event(complaint).summary == "Health and safety concern referred to Harry Lead"


def test_a_concern_can_be_raised_even_on_a_complaint_that_was_not_accepted(log, frontline, safety_lead):
    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
        triage.not_accept(
            complaint, reason="first_request_for_service", explanation="A repair", actor=frontline
        )
        concern = concerns.flag_concern(
            complaint,
            kind="health_and_safety",
            description="Gas smell reported",
            refer_to=safety_lead,
            actor=frontline,
        )

    assert concern.status == ConcernStatus.REFERRED
    assert complaint.state == "not_accepted"


def test_a_closed_concern_cannot_be_closed_or_referred_again(journey, officer, org):
    complaint = journey.until("contacted")
    safeguarding_lead = make_lead("sally", Role.SAFEGUARDING_LEAD, org)
    with at("Tue 2026-03-03 09:45"):
        concern = concerns.flag_concern(complaint, kind="safeguarding", description="Worry", actor=officer)
        concerns.close_concern(concern, outcome="No risk found", actor=officer)

    with at("Tue 2026-03-03 10:00"):
        with refused(complaint, InvalidInput, "concern: this concern is already closed"):
            concerns.close_concern(concern, outcome="Again", actor=officer)
        with refused(complaint, InvalidInput, "concern: this concern is closed"):
            concerns.refer_concern(concern, to=safeguarding_lead, actor=officer)
        with refused(complaint, InvalidInput, "outcome: record what was done about the concern"):
            concerns.close_concern(concern, outcome=" ", actor=officer)


def test_a_concern_needs_a_known_kind_and_a_description(journey, officer):
    complaint = journey.until("contacted")

    with at("Tue 2026-03-03 09:45"):
        with refused(complaint, InvalidInput, "kind: must be safeguarding or health_and_safety"):
            concerns.flag_concern(complaint, kind="fire", description="Smoke", actor=officer)
        with refused(complaint, InvalidInput, "description: describe the concern"):
            concerns.flag_concern(complaint, kind="safeguarding", description="", actor=officer)


# --- Restrictions ----------------------------------------------------------------------------------


def test_a_restriction_is_recorded_with_its_reason_and_a_review_date(journey, customer, senior):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 12:00"):
        restriction = concerns.record_restriction(
            complaint,
            reason="  Abusive calls to staff on 3 and 4 March ",
            restrictions="Written contact only, through the case officer",
            review_on=day("Thu 2026-06-04"),
            actor=senior,
        )

    assert restriction.customer == customer
    assert restriction.complaint == complaint
    assert restriction.reason == "Abusive calls to staff on 3 and 4 March"
    assert (restriction.starts_on, restriction.review_on) == (day("Wed 2026-03-04"), day("Thu 2026-06-04"))
    assert restriction.recorded_by == senior
    event = last_event(complaint)
    assert event.kind == EventKind.RESTRICTION_RECORDED
    assert event.summary == (
        "Restriction recorded, to be reviewed on 4 June 2026: Written contact only, through the case officer"
    )
    assert list(customer.restrictions.all()) == [restriction]


def test_a_restriction_must_be_reviewed_in_the_future_and_say_why(journey, senior):
    complaint = journey.until("contacted")

    with at("Wed 2026-03-04 12:00"):
        with refused(complaint, StepNotAllowed, "A restriction needs a review date in the future."):
            concerns.record_restriction(
                complaint,
                reason="Abuse",
                restrictions="Written only",
                review_on=day("Wed 2026-03-04"),
                actor=senior,
            )
        with refused(complaint, InvalidInput, "reason: record why the restriction is needed"):
            concerns.record_restriction(
                complaint,
                reason=" ",
                restrictions="Written only",
                review_on=day("Thu 2026-06-04"),
                actor=senior,
            )
        with refused(complaint, InvalidInput, "restrictions: say what is restricted"):
            concerns.record_restriction(
                complaint, reason="Abuse", restrictions="", review_on=day("Thu 2026-06-04"), actor=senior
            )


def test_a_restriction_recorded_later_starts_on_the_day_it_was_decided(journey, senior):
    complaint = journey.until("contacted")

    with at("Fri 2026-03-06 09:00"):
        restriction = concerns.record_restriction(
            complaint,
            reason="Threats on the phone on Wednesday",
            restrictions="Written contact only",
            review_on=day("Mon 2026-06-08"),
            occurred_at=on("Wed 2026-03-04 16:00"),
            actor=senior,
        )

    assert restriction.starts_on == day("Wed 2026-03-04")
