"""Logging a complaint taken by phone, letter, email or in person."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from putright.accounts.permissions import Capability
from putright.web.access import staff_view


@staff_view(Capability.LOG_COMPLAINT)
def log_complaint(request: HttpRequest) -> HttpResponse:
    return render(request, "web/intake/log.html")


urlpatterns = [path("log/", log_complaint, name="log-complaint")]
