"""Staff of a subsidiary name the group's own staff (its Senior Managers, its Resolution Team)
wherever a step names a colleague, and the services accept exactly the colleagues offered.

The fixtures' Victory Housing Trust belongs to Flagship Group; Fran (front line) works for Victory
only, so before the group's staff were offered she could not record a review request at all.
"""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.cases.demo.organisations import ensure_staff
from putright.cases.errors import InvalidInput
from putright.cases.selectors.assignees import assignable_staff
from putright.cases.services import escalation
from putright.cases.services.assignment import check_assignee
from putright.portal.drafts import landlords
from tests.cases.helpers import at
from tests.web.helpers import make_user


@pytest.fixture
def group_manager(org):
    return make_user("rachel", Role.SENIOR_MANAGER, org.parent)


@pytest.fixture
def sibling_manager(org):
    """A Senior Manager of another company of the group: not Victory's."""
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    return make_user("stan", Role.SENIOR_MANAGER, suffolk)


def test_a_subsidiary_adviser_is_offered_the_groups_senior_managers(
    journey, frontline, group_manager, sibling_manager
):
    complaint = journey.until("responded")
    offered = list(assignable_staff(frontline, complaint, Capability.RESPOND_STAGE2))
    assert group_manager in offered
    assert sibling_manager not in offered  # a sister company's manager does not work for Victory


def test_a_subsidiary_adviser_records_a_review_for_a_group_senior_manager(journey, frontline, group_manager):
    complaint = journey.until("responded")
    with at("Fri 2026-03-13 10:00"):
        escalation.escalate(complaint, grounds={"b"}, owner=group_manager, actor=frontline)
    complaint.refresh_from_db()
    assert (complaint.state, complaint.owner) == ("stage2", group_manager)


@pytest.mark.parametrize(
    "capability", [None, Capability.RESPOND_STAGE1, Capability.RESPOND_STAGE2, Capability.MANAGE_CONCERNS]
)
def test_the_service_accepts_exactly_the_colleagues_offered(
    journey, frontline, officer, senior, group_manager, sibling_manager, capability
):
    make_user("lena", Role.SAFEGUARDING_LEAD, officer.organisations.get().parent)
    gone = make_user("gone", Role.SENIOR_MANAGER, officer.organisations.get())
    gone.is_active = False
    gone.save()
    complaint = journey.until("accepted")
    offered = set(assignable_staff(frontline, complaint, capability))
    for person in User.objects.all():
        try:
            check_assignee(person, complaint, field="owner", capability=capability)
        except InvalidInput:
            accepted = False
        else:
            accepted = True
        assert accepted == (person in offered), person


def test_every_organisation_the_public_form_offers_has_a_resolution_officer_who_sees_it(db):
    """The demo's Learning and Resolution Team serves the whole group, as the procedure says: a
    complaint to any of its companies (the public form's landlords, and the companies staff may
    log a complaint against) has a Resolution Officer who can see it."""
    ensure_staff("a demo password")
    officers = list(User.objects.filter(role=Role.RESOLUTION_OFFICER, is_active=True))
    assert {o.short_name for o in landlords()} == {"FH", "SH", "VHT"}
    for organisation in {*landlords(), *Organisation.objects.all()}:
        seen_by = [u for u in officers if organisation.pk in (visible_organisation_ids(u) or ())]
        assert seen_by, f"no Resolution Officer can see {organisation}'s complaints"
