"""``putright demo``: believable data in every state, made through the services, never in production."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.demo import DEFAULT_PASSWORD, STAFF
from putright.cases.models import (
    Action,
    Complaint,
    Customer,
    EventKind,
    PointOutcome,
    Representative,
    RepresentativeKind,
    Response,
    TimelineEvent,
)
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import APPEAL, State

#: django-axes checks every sign-in against its request.
SIGN_IN = RequestFactory().post("/sign-in/")


def demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def stories() -> list[tuple[str, str, list[int]]]:
    """Each complaint as its summary, state and the kinds of its timeline events, in order."""
    found = []
    for complaint in Complaint.objects.order_by("summary", "state", "received_at"):
        kinds = list(complaint.timeline.order_by("occurred_at", "pk").values_list("kind", flat=True))
        found.append((complaint.summary, complaint.state, kinds))
    return sorted(found)


def test_loads_complaints_in_every_state_with_staff_in_every_role(db):
    out = demo(complaints=40)

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


def test_every_timeline_starts_with_the_complaint_logged_and_nothing_is_in_the_future(db):
    demo(complaints=40)

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


def test_if_empty_loads_once_and_then_only_prints_the_logins(db):
    demo(complaints=25, if_empty=True)
    before = Counter(Complaint.objects.values_list("state", flat=True))
    events = TimelineEvent.objects.count()

    out = demo(complaints=25, if_empty=True)

    assert "not loaded" in out and "admin" in out and DEFAULT_PASSWORD in out
    assert Counter(Complaint.objects.values_list("state", flat=True)) == before
    assert TimelineEvent.objects.count() == events
    with pytest.raises(CommandError, match="--reset"):
        demo(complaints=25)


def test_reset_replaces_the_complaints_with_the_same_stories_for_the_same_seed(db, monkeypatch):
    monkeypatch.setenv("PUTRIGHT_DEMO_PASSWORD", "another-demo-password")
    demo(complaints=30, seed=7)
    first = stories()

    out = demo(complaints=30, seed=7, reset=True)

    assert "Deleted 30 complaints" in out and "another-demo-password" in out
    assert Complaint.objects.count() == 30
    assert stories() == first
    assert authenticate(SIGN_IN, username="admin", password="another-demo-password") is not None


def test_refuses_to_run_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        demo(complaints=5)

    assert not Organisation.objects.exists()
    assert not Complaint.objects.exists()


def test_loads_under_every_shipped_policy_following_its_rules(db, shipped_policy):
    policy = shipped_policy
    demo(complaints=40)

    assert Complaint.objects.count() == 40
    # Every demo login exists and signs in, whatever the policy.
    for member in STAFF:
        assert authenticate(SIGN_IN, username=member.username, password=DEFAULT_PASSWORD), member.username
    # Every state the policy can reach, and none it cannot: no "stage 0" or appeal under the Code's.
    reachable = set(State)
    if not policy.eligibility.informal_resolution:
        reachable.discard(State.RESOLVED_INFORMALLY)
    if policy.appeal is None:
        reachable -= APPEAL
    assert set(Complaint.objects.values_list("state", flat=True)) == {s.value for s in reachable}
    refused = Complaint.objects.filter(state=State.NOT_ACCEPTED)
    excluded = set(refused.values_list("exclusion_reason", flat=True))
    assert excluded == {e.reason.value for e in policy.eligibility.exclusions}
    # Responses as the policy asks: in writing, with the reasons for each point.
    stage1 = Response.objects.filter(stage__number=1)
    assert stage1.exists()
    spoken = stage1.filter(method__in=["phone", "in_person"]).exists()
    assert spoken is not policy.stage1.written_response
    if policy.stage1.reasons_for_each_point:
        assert not PointOutcome.objects.filter(reasons="").exists()


def test_every_escalated_demo_case_is_reviewed_by_someone_who_did_not_handle_stage_1(db):
    from putright.cases.models import Stage
    from putright.cases.selectors.handlers import stage1_handlers

    demo(complaints=40)

    reviews = Stage.objects.filter(number=2).select_related("complaint")
    assert reviews.exists()
    for review in reviews:
        handlers = stage1_handlers(review.complaint)
        assert handlers, review.complaint.reference
        assert review.handler_id not in handlers, review.complaint.reference
