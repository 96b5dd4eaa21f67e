"""``putright demo --complaints 40``, loaded once for the tests that only read what it made.

A load takes half a minute; these tests each ran their own. The load is made
once for this module and rolled back after its last test (tests/shared_db.py);
each test's own changes are still rolled back after it (issue 13, speed). The
tests that load into an empty database, reset or refuse stay in test_demo.py.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.demo import DEFAULT_PASSWORD
from putright.cases.models import Action, Complaint, Customer, EventKind, Representative, RepresentativeKind
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import State
from tests.cases.test_demo import SIGN_IN, demo
from tests.shared_db import made_once


@pytest.fixture(scope="module")
def demo_of_40(django_db_setup, django_db_blocker):
    """What ``demo --complaints 40`` printed; its data stays loaded while this module's tests run."""
    yield from made_once(django_db_blocker, lambda: demo(complaints=40))


def test_loads_complaints_in_every_state_with_staff_in_every_role(db, demo_of_40):
    out = demo_of_40

    assert Complaint.objects.count() == 40
    assert set(Complaint.objects.values_list("state", flat=True)) == {s.value for s in State}
    reasons = set(
        Complaint.objects.filter(state=State.NOT_ACCEPTED).values_list("exclusion_reason", flat=True)
    )
    # Every reason the seed procedure has (legal proceedings is the Code's policy's only).
    assert reasons == {r.value for r in ExclusionReason} - {ExclusionReason.LEGAL_PROCEEDINGS.value}
    assert {u.role for u in User.objects.all()} == set(Role.values)
    admin = User.objects.get(role=Role.ADMINISTRATOR)
    assert admin.is_staff and admin.is_superuser
    assert User.objects.filter(is_staff=True).count() == User.objects.count()
    assert authenticate(SIGN_IN, username="amelia.hart", password=DEFAULT_PASSWORD) is not None
    assert "amelia.hart" in out and DEFAULT_PASSWORD in out and "Stage 2: under review" in out
    names = set(Organisation.objects.values_list("name", flat=True))
    assert {"Flagship Group", "Flagship Homes", "Suffolk Housing", "Victory Housing Trust"} <= names
    assert {"Flagship Housing Development", "Gasway Services", "RFT Services"} <= names
    assert all(o.homes > 0 for o in Organisation.objects.filter(kind=OrganisationKind.LANDLORD))


def test_every_timeline_starts_with_the_complaint_logged_and_nothing_is_in_the_future(db, demo_of_40):
    now = timezone.now()
    for complaint in Complaint.objects.all():
        events = list(complaint.timeline.order_by("occurred_at", "pk"))
        assert events[0].kind == EventKind.COMPLAINT_LOGGED, complaint.reference
        assert events[0].occurred_at == complaint.received_at
        assert all(complaint.received_at <= e.occurred_at <= now for e in events), complaint.reference
        if complaint.state != State.RECEIVED:
            assert len(events) > 1, complaint.reference
    assert not Action.objects.filter(complaint__state=State.CLOSED, completed_at=None).exists()
    assert Complaint.objects.filter(state=State.CLOSED, closed_at=None).count() == 0
    designated = Representative.objects.filter(kind=RepresentativeKind.DESIGNATED_PERSON)
    assert designated.filter(role__startswith="Member of Parliament", consent_given_at__isnull=False).exists()
    assert Customer.objects.exclude(adjustments=None).exists()


def test_every_escalated_demo_case_is_reviewed_by_someone_who_did_not_handle_stage_1(db, demo_of_40):
    from putright.cases.models import Stage
    from putright.cases.selectors.handlers import stage1_handlers

    reviews = Stage.objects.filter(number=2).select_related("complaint")
    assert reviews.exists()
    for review in reviews:
        handlers = stage1_handlers(review.complaint)
        assert handlers, review.complaint.reference
        assert review.handler_id not in handlers, review.complaint.reference
