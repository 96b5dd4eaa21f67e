"""The group's staff named from a subsidiary over the API, exactly as the workspace's pickers
offer them: the group's Senior Managers are accepted, a sister company's are not."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role
from tests.api.helpers import Journey, step
from tests.web.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


@pytest.fixture
def group_manager(org):
    return make_user("rachel", Role.SENIOR_MANAGER, org.parent)


def test_a_subsidiary_adviser_escalates_to_a_group_senior_manager(api, journey, frontline, group_manager):
    case = journey.until("responded")
    case = step(api.as_(frontline), case, "escalate", "Fri 2026-03-13 10:00", grounds=["b"], owner="rachel")
    assert (case["state"], case["owner"]["username"]) == ("stage2", "rachel")


def test_a_sister_companys_manager_is_not_offered_nor_accepted(api, journey, frontline, org):
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    make_user("stan", Role.SENIOR_MANAGER, suffolk)
    case = journey.until("responded")
    refused = step(
        api.as_(frontline), case, "escalate", "Fri 2026-03-13 10:00", grounds=["b"], owner="stan", expect=422
    )
    assert refused["errors"] == [
        {"field": "owner", "message": "no active member of staff 'stan' works for Victory Housing Trust"}
    ]
