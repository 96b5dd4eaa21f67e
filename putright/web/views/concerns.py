"""My concerns: the safeguarding or health and safety lead's own queue of referred concerns."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from putright.accounts.permissions import Capability
from putright.cases.models import Concern
from putright.cases.selectors.concerns import concerns_for_lead
from putright.web.access import staff_user, staff_view


@dataclass(frozen=True)
class ConcernRow:
    concern: Concern
    overdue: bool


@staff_view(capability=Capability.MANAGE_CONCERNS)
def my_concerns(request: HttpRequest) -> HttpResponse:
    """One query for the list (and the user's organisations), whatever the number of concerns."""
    user = staff_user(request)
    now = timezone.now()
    rows = [
        ConcernRow(c, c.outcome_due_at is not None and c.outcome_due_at < now)
        for c in concerns_for_lead(user)
    ]
    return render(request, "web/concerns.html", {"rows": rows})


urlpatterns = [path("concerns/", my_concerns, name="concerns")]
