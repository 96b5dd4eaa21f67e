"""Template helpers for learning on the points (issue 12, points)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from putright.accounts.models import User
from putright.accounts.permissions import can_take
from putright.cases.models import Complaint, Point
from putright.procedure.states import Step

register = template.Library()


@register.simple_tag
def record_learning_url(complaint: Complaint, point: Point, user: User | None) -> str:
    """The point's "Record learning" page, when the user's role may record it (else "")."""
    if user is None or not can_take(user, Step.RECORD_LEARNING, complaint.stage):
        return ""
    return reverse("web:step-record-learning", kwargs={"reference": complaint.reference, "item": point.pk})
