"""The appeal panel: each seat goes to a member of staff with the panel role, or to a person named
without a login (a resident or board member who does not use putright), never both."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.errors import InvalidInput
from putright.cases.services import escalation
from tests.cases.conftest import FULL_PANEL
from tests.cases.helpers import at, on
from tests.web.helpers import make_user


def _schedule(complaint, actor, **seats):
    return escalation.schedule_appeal(
        complaint,
        meeting_at=on("Tue 2026-04-21 14:00"),
        location="Tom Moore House",
        agreed_with_customer=True,
        actor=actor,
        **seats,
    )


def test_a_group_panel_member_takes_a_seat_beside_people_without_a_login(journey, senior, org):
    bea = make_user("bea", Role.PANEL_MEMBER, org.parent)
    complaint = journey.until("appealed")
    people = {k: v for k, v in FULL_PANEL.items() if k != "board_member"}
    with at("Wed 2026-03-25 14:00"):
        hearing = _schedule(complaint, senior, panel=people, panel_staff={"board_member": bea})
    assert hearing.panel == {**people, "board_member": "Bea Staff"}


@pytest.mark.parametrize(
    ("role", "message"),
    [
        (Role.RESOLUTION_OFFICER, "Rachel Staff is a Resolution Officer: this needs an appeal panel member"),
        (Role.ADMINISTRATOR, "Rachel Staff is not an appeal panel member: name them as a person instead"),
    ],
)
def test_staff_without_the_panel_role_cannot_take_a_seat(journey, senior, org, role, message):
    rachel = make_user("rachel", role, org)
    complaint = journey.until("appealed")
    people = {k: v for k, v in FULL_PANEL.items() if k != "board_member"}
    with at("Wed 2026-03-25 14:00"), pytest.raises(InvalidInput) as refused:
        _schedule(complaint, senior, panel=people, panel_staff={"board_member": rachel})
    assert (refused.value.field, refused.value.detail) == ("panel", message)
    complaint.refresh_from_db()
    assert complaint.state == "appeal_requested"


def test_a_seat_is_given_once(journey, senior, org):
    bea = make_user("bea", Role.PANEL_MEMBER, org)
    complaint = journey.until("appealed")
    with at("Wed 2026-03-25 14:00"), pytest.raises(InvalidInput) as refused:
        _schedule(complaint, senior, panel=FULL_PANEL, panel_staff={"board_member": bea})
    assert (
        refused.value.detail == "name one board member: a panel member or someone without a login, not both"
    )
