"""Who a case, an action or a concern may be given to, and the order steps may be dated in."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.errors import InvalidInput, StepNotAllowed
from putright.cases.services import changes, escalation, investigation, responses, triage
from putright.cases.services.customers import add_representative
from tests.cases.helpers import at, day, on, refused


@pytest.fixture
def stranger(db):
    """A Senior Manager of another landlord of the group."""
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    user = User.objects.create_user(
        username="stan", first_name="Stan", last_name="Ger", role=Role.SENIOR_MANAGER
    )
    user.organisations.add(suffolk)
    return user


def test_stage_1_goes_to_someone_who_can_respond_at_stage_1(log, frontline):
    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
        with refused(complaint, InvalidInput) as info:
            triage.accept(complaint, owner=frontline, actor=frontline, reasoning="Meets the definition.")
    assert info.value.field == "owner"
    assert info.value.detail == (
        "Fran Staff is a Customer services (front line): this needs a Resolution Officer or a Senior Manager"
    )


def test_a_case_goes_only_to_staff_of_its_organisation(log, frontline, stranger):
    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
        with refused(complaint, InvalidInput, "owner: Stan Ger does not work for Victory Housing Trust"):
            triage.accept(complaint, owner=stranger, actor=frontline, reasoning="Meets the definition.")


def test_the_review_is_by_a_senior_manager_other_than_the_stage_1_handler(
    journey, officer, frontline, senior
):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 10:00"):
        with refused(complaint, InvalidInput) as info:
            escalation.escalate(complaint, grounds=["b"], owner=frontline, actor=officer)
        assert "this needs a Senior Manager" in info.value.detail
    # A Senior Manager who handled stage 1 may not review it.
    other = journey.until("received")
    with at("Mon 2026-03-02 11:00"):
        triage.accept(other, owner=senior, actor=senior, reasoning="Meets the definition.")
    with at("Tue 2026-03-03 10:00"):
        responses.respond(
            other,
            outcomes=dict.fromkeys(other.points.values_list("pk", flat=True), ("upheld", "")),
            method="letter",
            summary="Sorry",
            actor=senior,
        )
        with refused(
            other,
            StepNotAllowed,
            "Sam Staff cannot review stage 2: they handled stage 1. "
            "The stage 2 review must be by someone who did not handle stage 1.",
        ):
            escalation.escalate(other, grounds=["b"], owner=senior, actor=senior)


def test_an_action_is_given_only_to_staff_of_the_organisation(journey, officer, stranger):
    complaint = journey.until("contacted")
    with (
        at("Wed 2026-03-04 10:00"),
        refused(complaint, InvalidInput, "owner: Stan Ger does not work for Victory Housing Trust"),
    ):
        responses.add_action(
            complaint, description="Fix it", due_on=day("Fri 2026-03-20"), owner=stranger, actor=officer
        )


def test_an_extension_agreed_after_the_date_has_passed_is_refused_and_the_miss_stays(journey, officer):
    # Received Mon 2 March 10:00: the response was due by the end of Mon 16 March.
    complaint = journey.until("contacted")
    with at("Wed 2026-03-18 10:00"), refused(complaint, StepNotAllowed) as info:
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-27"), reason="Surveyor", actor=officer)
    assert info.value.message.startswith("The response was due by the end of Monday 16 March 2026")


def test_an_escalation_cannot_be_dated_before_the_response_it_follows(journey, senior):
    complaint = journey.until("responded")  # responded Thu 12 March 15:00
    with at("Fri 2026-03-13 10:00"), refused(complaint, InvalidInput) as info:
        escalation.escalate(
            complaint, grounds=["b"], owner=senior, actor=senior, occurred_at=on("Thu 2026-03-12 14:00")
        )
    assert info.value.detail == "cannot be before the stage 1 response (12 March 2026 at 15:00)"


def test_the_review_is_answered_in_writing(journey, senior):
    complaint = journey.until("contacted2")
    with at("Wed 2026-03-18 10:00"), refused(complaint, StepNotAllowed) as info:
        responses.respond(
            complaint,
            outcomes=dict.fromkeys(complaint.points.values_list("pk", flat=True), ("upheld", "")),
            method="phone",
            summary="Told them on the phone",
            actor=senior,
        )
    assert info.value.message.startswith("The stage 2 response must be in writing")


def test_a_representative_acts_only_with_consent(log, customer):
    rep = add_representative(customer=customer, name="Cllr Jones", kind="designated_person")
    with at("Mon 2026-03-02 11:00"), pytest.raises(InvalidInput) as info:
        log("2026-03-02 10:00", representative=rep)
    assert info.value.message == (
        "representative: the customer's consent for this representative is not recorded"
    )


def test_a_new_matter_does_not_carry_a_representative_whose_consent_was_withdrawn(journey, officer, customer):
    from putright.cases.services.customers import withdraw_consent

    rep = add_representative(
        customer=customer,
        name="Mo Jones",
        kind="family_or_friend",
        consent_given_at=on("Mon 2026-03-02 09:00"),
        consent_how="Signed form",
    )
    complaint = journey.until("contacted", representative=rep)
    withdraw_consent(rep, at=on("Tue 2026-03-03 12:00"))
    with at("Wed 2026-03-04 10:00"):
        new = changes.raise_new_matter(
            complaint, route="new_complaint", description="The fence is down too", actor=officer
        )
    assert new is not None
    assert new.representative is None
