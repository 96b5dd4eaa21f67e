"""Fixtures the workspace tests share (tests/conftest.py has the organisation, staff and ``log``)."""

from __future__ import annotations

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.services.customers import create_customer

# The case-service tests' fast password hasher (for every test here) and standard journey.
from tests.cases.conftest import _fast_passwords, journey  # noqa: F401 (fixtures)
from tests.web.helpers import make_user


@pytest.fixture
def elsewhere(db):
    """Another landlord and one of its customers: none of our staff may see their complaints."""
    org = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, homes=3000
    )
    return org, create_customer(
        organisation=org, first_name="Grace", last_name="Hopper", phone="01473 000000"
    )


@pytest.fixture
def outsider(db):
    """A Senior Manager of another landlord: none of our cases are theirs to see."""
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD, homes=10
    )
    return make_user("otto", Role.SENIOR_MANAGER, other)
