"""``putright demo``: believable data in every state, made through the services, never in production."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from putright.accounts.models import Organisation
from putright.cases.demo import DEFAULT_PASSWORD, STAFF
from putright.cases.models import (
    Complaint,
    PointOutcome,
    Response,
    TimelineEvent,
)
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
