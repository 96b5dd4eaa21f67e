"""Choosing a colleague: every form offers exactly the people the service then accepts.

Flagship Group has two landlords, Victory Housing Trust (the complaint's) and Suffolk
Sands. Gina, a Senior Manager of the group, sees the cases of both; Olivia, of Victory,
names the group's staff too (they serve its landlords). But Sid, of Suffolk Sands only,
does not work for a Victory complaint, and the service would refuse him as the owner of
one of its actions, so no form offers him.
"""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.selectors.assignees import assignable_staff
from putright.cases.services.assignment import check_assignee
from tests.cases.helpers import at
from tests.web.helpers import make_user, text
from tests.web.test_case_page import stage1_case

pytestmark = pytest.mark.django_db

WHEN = "Tue 2026-03-17 09:00"


@pytest.fixture
def sands(org):
    return Organisation.objects.create(
        name="Suffolk Sands", short_name="SS", kind=OrganisationKind.LANDLORD, parent=org.parent, homes=900
    )


@pytest.fixture
def gina(org):
    return make_user("gina", Role.SENIOR_MANAGER, org.parent)


@pytest.fixture
def staff(org, team, sands, gina, officer, senior, frontline, elsewhere):
    """Everyone, of every role and place: the group, each landlord, another landlord, and the inactive."""
    other, _ = elsewhere
    made = [
        make_user("sid", Role.RESOLUTION_OFFICER, sands),
        make_user("lee", Role.SAFEGUARDING_LEAD, org),
        make_user("pat", Role.PANEL_MEMBER, org),
        make_user("ada", Role.ADMINISTRATOR, org.parent),
        make_user("amy", Role.ADMINISTRATOR, other),
        make_user("gus", Role.SENIOR_MANAGER, org.parent),
    ]
    gone = make_user("ian", Role.RESOLUTION_OFFICER, org, team)
    gone.is_active = False
    gone.save()
    return [gina, officer, senior, frontline, *made, gone]


def _accepted(colleague: User, complaint: Complaint, capability: Capability | None) -> bool:
    try:
        check_assignee(colleague, complaint, field="owner", capability=capability)
    except InvalidInput:
        return False
    return True


@pytest.mark.parametrize(
    "capability",
    [
        None,
        Capability.TRIAGE,
        Capability.RESPOND_STAGE1,
        Capability.RESPOND_STAGE2,
        Capability.MANAGE_CONCERNS,
        Capability.DECIDE_APPEAL,
    ],
)
@pytest.mark.parametrize("chooser", ["gina", "olivia"])
def test_the_colleagues_offered_are_exactly_those_the_service_accepts(
    log, officer, staff, chooser, capability
):
    complaint = stage1_case(log, officer)
    user = User.objects.get(username=chooser)
    offered = set(assignable_staff(user, complaint, capability))
    for colleague in User.objects.all():
        assert (colleague in offered) == _accepted(colleague, complaint, capability), (
            colleague.username,
            capability,
        )


def test_an_action_is_never_offered_to_someone_who_does_not_work_for_the_case(
    client, log, officer, staff, gina
):
    complaint = stage1_case(log, officer)
    with at(WHEN):
        client.force_login(gina)
        page = text(client.get(f"/work/complaints/{complaint.reference}/add-action/"))
    assert "Olivia Staff" in page and "Gus Staff" in page
    assert "Sid Staff" not in page, "Sid works for Suffolk Sands, not for Victory Housing Trust"
    sid = User.objects.get(username="sid")
    with at(WHEN):
        response = client.post(
            f"/work/complaints/{complaint.reference}/add-action/",
            {"version": complaint.version, "description": "Fix it", "due_on": "2026-04-10", "owner": sid.pk},
        )
    assert response.status_code == 400
    assert "Choose a colleague from the list" in text(response)
    assert not complaint.actions.exists()
