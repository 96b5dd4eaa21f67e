"""The case page: everything about one complaint, and the steps open now."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from putright.cases.errors import NotFound
from putright.cases.selectors.complaints import complaint_detail
from putright.web.access import staff_user, staff_view
from putright.web.steps.framework import allowed_now


@staff_view()
def case(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    try:
        complaint = complaint_detail(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    context = {"complaint": complaint, "steps": allowed_now(complaint, user)}
    return render(request, "web/cases/case.html", context)


urlpatterns = [path("complaints/<str:reference>/", case, name="case")]
