"""The appeal panel over the API: a seat given to a panel member by username (one of the group's,
named from a subsidiary), the others to people named without a login."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from tests.api.helpers import Journey, step
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def test_a_panel_member_is_named_by_username_and_the_rest_by_name(api, journey, senior, officer, org):
    make_user("bea", Role.PANEL_MEMBER, org.parent)
    case = journey.until("appealed")
    body = {
        "meeting_at": "2026-04-21T14:00:00+01:00",
        "location": "Tom Moore House",
        "agreed_with_customer": True,
        "panel": {"resident": "Rita Resident", "executive": "Ed Executive"},
    }
    refused = step(
        api.as_(senior),
        case,
        "appeal/schedule",
        "Wed 2026-03-25 14:00",
        **body,
        panel_staff={"board_member": "olivia"},
        expect=422,
    )
    assert refused["errors"][0]["message"] == (
        "Olivia Staff is a Resolution Officer: this needs an appeal panel member"
    )
    case = step(
        api.as_(senior),
        case,
        "appeal/schedule",
        "Wed 2026-03-25 14:00",
        **body,
        panel_staff={"board_member": "bea"},
    )
    assert case["state"] == "appeal_scheduled"
    assert case["stages"][-1]["panel"] == {
        "board_member": "Bea Staff",
        "resident": "Rita Resident",
        "executive": "Ed Executive",
    }
