"""The demo's learning actions: a handful per landlord, in every state, linked to complaints of a theme."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from putright.accounts.models import Role
from putright.learning.models import LearningAction, PointLearning
from putright.learning.services.lessons import status_of

pytestmark = pytest.mark.django_db


def test_the_demo_has_learning_actions_in_every_state_for_each_landlord():
    call_command("demo", complaints=40, stdout=io.StringIO())
    now, today = timezone.now(), timezone.localdate()
    actions = list(
        LearningAction.objects.select_related("organisation", "owner").prefetch_related(
            "themes", "complaints"
        )
    )
    assert actions
    landlords = {a.organisation.short_name for a in actions}
    assert landlords <= {"FH", "SH", "VHT"} and len(landlords) >= 2
    assert {status_of(a, today) for a in actions} == {"open", "overdue", "done"}
    for action in actions:
        assert action.owner.role in (Role.SENIOR_MANAGER, Role.RESOLUTION_OFFICER)
        [theme] = action.themes.all()
        assert action.complaints.exists()
        for complaint in action.complaints.all():
            assert complaint.organisation_id == action.organisation_id
            assert PointLearning.objects.filter(point__complaint=complaint, theme=theme).exists()
        if action.is_done:
            assert action.evidence and action.completed_at <= now
        assert action.events.filter(occurred_at__gt=now).count() == 0
