"""Fixtures for the reminder sweep and digest tests: staff who can be emailed, cases made by the services."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.models import Complaint
from putright.cases.services import investigation, triage
from putright.comms.models import OutboundEmail
from tests.cases.helpers import at, wall
from tests.conftest import _user


@pytest.fixture(autouse=True)
def _fast_passwords_for_reminders(settings):
    """Staff are made with passwords; a slow hasher would spend seconds per test on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def lead(org, team):
    """The team's lead, with an email address."""
    user = _user("lena", Role.SENIOR_MANAGER, team, org)
    user.email = "lena@example.org"
    user.save(update_fields=["email"])
    team.lead = user
    team.save(update_fields=["lead"])
    return user


@pytest.fixture
def caseworker(officer):
    """Olivia, a Resolution Officer in the lead's team, with an email address."""
    officer.email = "olivia@example.org"
    officer.save(update_fields=["email"])
    return officer


@pytest.fixture
def accepted(log, caseworker, lead):
    """A complaint received and accepted at a London time ("Thu 2027-03-18 10:00"), contact made.

    The first contact is recorded at once unless ``contact=False``, so that
    only the stage 1 response deadline is open.
    """

    def make(received: str, *, owner=None, contact: bool = True, **fields) -> Complaint:
        owner = owner or caseworker
        with at(received):
            complaint = log(wall(received), **fields)
            triage.accept(complaint, owner=owner, actor=owner, reasoning="Meets the definition.")
            if contact:
                investigation.record_contact(
                    complaint, method="phone", summary="Talked it through", actor=owner
                )
        complaint.refresh_from_db()
        return complaint

    return make


def reminder_emails(**filters) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(purpose="reminder", **filters).order_by("pk"))
