"""My work: what is overdue, due today and due soon, my team's queue, triage, actions due."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from putright.web.access import staff_view


@staff_view()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")


urlpatterns = [path("", home, name="home")]
