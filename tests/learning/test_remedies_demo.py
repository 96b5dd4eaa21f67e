"""The demo's remedies: on responses that upheld a point, money on some, in every status, dated after
the response and never in the future, each move on the complaint's timeline."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from putright.cases.models import EventKind, Response, TimelineEvent
from putright.learning.models import Remedy

pytestmark = pytest.mark.django_db


def test_the_demo_offers_remedies_money_on_some_and_answers_and_pays_them(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", complaints=60, stdout=io.StringIO())

    remedies = list(Remedy.objects.select_related("complaint", "point"))
    kinds = Counter(r.remedy_type for r in remedies)
    assert kinds["apology"] > kinds["action"] > 0
    money = [r for r in remedies if r.remedy_type == "financial"]
    assert money and all(r.amount > 0 and r.purpose for r in money)
    assert any(r.rate_key for r in money)  # worked out from the policy's rates
    statuses = Counter(r.status for r in money)
    assert statuses["paid"] and statuses["declined"], statuses
    assert {r.status for r in remedies} == {"offered", "accepted", "declined", "paid"}

    today = timezone.localdate()
    for remedy in remedies:
        complaint = remedy.complaint
        first_response = Response.objects.filter(stage__complaint=complaint).order_by("occurred_at").first()
        assert first_response is not None, complaint.reference
        assert remedy.offered_on >= timezone.localtime(first_response.occurred_at).date()
        dates = [remedy.offered_on, remedy.accepted_on or remedy.declined_on, remedy.paid_on]
        dates = [d for d in dates if d]
        assert dates == sorted(dates) and dates[-1] <= today, remedy.pk
        if remedy.point is not None:  # a point upheld (perhaps overturned by a later stage)
            assert remedy.point.outcomes.filter(outcome__in=("upheld", "partially_upheld")).exists()
        if remedy.status == "paid":
            assert remedy.payment_reference and remedy.accepted_on

    # Every move is on the timeline: one event per offer, answer and payment.
    events = Counter(TimelineEvent.objects.values_list("kind", flat=True))
    assert events[EventKind.REMEDY_OFFERED] == len(remedies)
    assert events[EventKind.REMEDY_PAID] == sum(1 for r in remedies if r.status == "paid")
