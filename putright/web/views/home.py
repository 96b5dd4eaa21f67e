"""My work: what is overdue, due today and due soon, my team's queue, triage, actions due."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from putright.accounts.permissions import Capability, can
from putright.cases.selectors import workload
from putright.cases.selectors.complaints import complaints_for
from putright.procedure.deadlines import Due
from putright.web.access import staff_user, staff_view


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    """Each list is one query (and a count when it is cut short), whatever the caseload."""
    user = staff_user(request)
    when = workload.horizon(timezone.now())
    visible = complaints_for(user)
    mine = workload.my_cases(visible, user, when)
    context = {
        "when": when,
        "mine": mine,
        "groups": [(due, mine.groups[due], mine.counts[due]) for due in Due],
        "team": user.team,
        "queue": workload.team_queue(visible, user, when),
        "triage": workload.awaiting_triage(visible, when) if can(user, Capability.TRIAGE) else None,
        "actions": workload.actions_due(visible, user),
        "links": _links(user.username, user.team_id),
    }
    return render(request, "web/home.html", context)


def _links(username: str, team_id: int | None) -> dict[str, str]:
    """The full case list, filtered as each section of the page is."""
    listing = reverse("web:case-list")
    links = {
        "mine": f"{listing}?{urlencode({'owner': username, 'state': 'open'})}",
        "triage": f"{listing}?{urlencode({'state': 'received', 'sort': 'received_at'})}",
    }
    if team_id is not None:
        links["team"] = f"{listing}?{urlencode({'team': team_id, 'state': 'open'})}"
    return links


urlpatterns = [path("", home, name="home")]
