"""The complaint list with its filters, search and export; and the team lead's view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from putright.accounts.permissions import Capability
from putright.web.access import staff_view


@staff_view()
def case_list(request: HttpRequest) -> HttpResponse:
    return render(request, "web/cases/list.html")


@staff_view(Capability.VIEW_STAFF)
def team(request: HttpRequest) -> HttpResponse:
    return render(request, "web/team.html")


urlpatterns = [
    path("complaints/", case_list, name="case-list"),
    path("team/", team, name="team"),
]
