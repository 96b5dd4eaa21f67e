"""Shared fixtures: organisations, staff and customers, made through the real models and services."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

LONDON = ZoneInfo("Europe/London")


def london(text: str) -> dt.datetime:
    """A London wall-clock time, e.g. london("2026-12-23 16:30")."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=LONDON)


def sign_in_with_code(client, user):
    """Sign a test client in as someone who has also given a code from an authenticator app:
    the admin site asks everyone for one, and the workspace asks administrators."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def org(db):
    from putright.accounts.models import Organisation, OrganisationKind

    group = Organisation.objects.create(
        name="Flagship Group", short_name="FG", kind=OrganisationKind.GROUP, homes=0
    )
    return Organisation.objects.create(
        name="Victory Housing Trust",
        short_name="VHT",
        kind=OrganisationKind.LANDLORD,
        parent=group,
        homes=5000,
    )


@pytest.fixture
def team(org):
    from putright.accounts.models import Team

    return Team.objects.create(name="Learning and Resolution Team", organisation=org)


def _user(username, role, team=None, org=None):
    from putright.accounts.models import User

    user = User.objects.create_user(
        username=username,
        password="correct-horse-battery",
        first_name=username.title(),
        last_name="Staff",
        role=role,
        team=team,
    )
    if org is not None:
        user.organisations.add(org)
    return user


@pytest.fixture
def officer(org, team):
    from putright.accounts.models import Role

    return _user("olivia", Role.RESOLUTION_OFFICER, team, org)


@pytest.fixture
def second_officer(org, team):
    from putright.accounts.models import Role

    return _user("oscar", Role.RESOLUTION_OFFICER, team, org)


@pytest.fixture
def senior(org, team):
    from putright.accounts.models import Role

    return _user("sam", Role.SENIOR_MANAGER, team, org)


@pytest.fixture
def frontline(org, team):
    from putright.accounts.models import Role

    return _user("fran", Role.CUSTOMER_SERVICES, team, org)


@pytest.fixture
def customer(org):
    from putright.cases.services.customers import create_customer

    return create_customer(
        organisation=org,
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.org",
        phone="01603 000000",
        postcode="nr28 0nb",
    )


@pytest.fixture
def log(org, customer, frontline):
    """Log a complaint received at a London time: log("2026-03-02 10:00", points=[...])."""
    from putright.cases.services.intake import log_complaint

    def make(received: str, *, points=("The repair was not done", "Nobody called back"), **extra):
        fields = {
            "organisation": org,
            "customer": customer,
            "channel": "phone",
            "received_at": london(received),
            "summary": "Leaking roof not repaired",
            "description": "The roof has leaked since January and the repair was cancelled twice.",
            "points": list(points),
            "category": "service_failure",
            "actor": frontline,
        }
        fields.update(extra)
        return log_complaint(**fields)

    return make
