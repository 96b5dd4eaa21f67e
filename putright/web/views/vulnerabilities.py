"""Disclosed vulnerabilities on the case page: record, review, withdraw (issue 15, vuln).

A case the user may not see is "not found" (404) first, as everywhere; then only roles with
``RECORD_VULNERABILITIES`` go on (403 for the others); a vulnerability of another customer is
"not found". Each page
calls one service and returns to the case page's "Vulnerabilities" section.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import InvalidInput, NotFound
from putright.cases.models import Complaint, Vulnerability
from putright.cases.selectors.complaints import complaint_for_user
from putright.cases.selectors.vulnerabilities import vulnerability_for_user
from putright.cases.services import vulnerabilities as service
from putright.web.access import staff_user, staff_view
from putright.web.forms.vulnerabilities import (
    RecordVulnerabilityForm,
    ReviewVulnerabilityForm,
    WithdrawConsentForm,
)

TEMPLATE = "web/cases/vulnerability.html"


def _back(complaint: Complaint) -> HttpResponse:
    return redirect(reverse("web:case", kwargs={"reference": complaint.reference}) + "#vulnerabilities")


def _complaint(user: User, reference: str) -> Complaint:
    """The case (404 outside the user's), then the role's capability (403)."""
    try:
        complaint = complaint_for_user(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    if not can(user, Capability.RECORD_VULNERABILITIES):
        raise PermissionDenied("Your role does not allow this.")
    return complaint


def _one(user: User, reference: str, vulnerability_id: int) -> tuple[Complaint, Vulnerability]:
    _complaint(user, reference)
    try:
        return vulnerability_for_user(user=user, reference=reference, vulnerability_id=vulnerability_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _form_page(
    request: HttpRequest,
    context: dict[str, Any],
    form_class: type[Form],
    act: Callable[[Any], str],
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    """The form (GET); a valid POST calls ``act`` (one service) and returns to the case with the
    message it gives; a refusal shows the form again with it (400), nothing changed."""
    if request.method != "POST":
        return render(request, TEMPLATE, {**context, "form": form_class(initial=initial)})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            done = act(form)
        except InvalidInput as refused:
            form.refuse(refused)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return _back(context["complaint"])
    return render(request, TEMPLATE, {**context, "form": form}, status=400)


@staff_view()
def record(request: HttpRequest, reference: str) -> HttpResponse:
    """Record a vulnerability the customer disclosed, with their consent."""
    user = staff_user(request)
    complaint = _complaint(user, reference)

    def act(form: RecordVulnerabilityForm) -> str:
        data = form.cleaned_data
        found = service.record_vulnerability(
            complaint.customer,
            kind=data["kind"],
            detail=data["detail"],
            support_needed=data["support_needed"],
            disclosed_on=data["disclosed_on"],
            disclosed_via=data["disclosed_via"],
            consent_given_at=form.consent_given_at(),
            consent_how=data["consent_how"],
            consent_to_share=data["consent"] == "yes",
            review_on=data["review_on"],
            actor=user,
            complaint=complaint,
        )
        return f"Vulnerability recorded: {found.get_kind_display().lower()}."

    context = {"complaint": complaint, "title": "Record a vulnerability", "button": "Record it"}
    return _form_page(request, context, RecordVulnerabilityForm, act)


@staff_view()
def review(request: HttpRequest, reference: str, vulnerability_id: int) -> HttpResponse:
    """Record a review of a vulnerability with the customer, and when the next is due."""
    user = staff_user(request)
    complaint, found = _one(user, reference, vulnerability_id)

    def act(form: ReviewVulnerabilityForm) -> str:
        data = form.cleaned_data
        service.review_vulnerability(
            found,
            note=data["review_note"],
            support_needed=data["support_needed"],
            next_review_on=data["next_review_on"],
            actor=user,
            complaint=complaint,
        )
        return "Review recorded."

    context = {
        "complaint": complaint,
        "vulnerability": found,
        "title": f"Review: {found.get_kind_display().lower()}",
        "button": "Record the review",
    }
    initial = {"support_needed": found.support_needed}
    return _form_page(request, context, ReviewVulnerabilityForm, act, initial)


@staff_view()
def withdraw(request: HttpRequest, reference: str, vulnerability_id: int) -> HttpResponse:
    """The customer withdrew their consent: remove what they told us."""
    user = staff_user(request)
    complaint, found = _one(user, reference, vulnerability_id)

    def act(form: WithdrawConsentForm) -> str:
        service.withdraw_consent(found, actor=user, complaint=complaint)
        return "Consent withdrawn: what the customer told us was removed."

    context = {
        "complaint": complaint,
        "vulnerability": found,
        "title": f"Consent withdrawn: {found.get_kind_display().lower()}",
        "button": "Remove what they told us",
        "warning": True,
    }
    return _form_page(request, context, WithdrawConsentForm, act)


urlpatterns = [
    path("complaints/<str:reference>/vulnerabilities/new/", record, name="vulnerability-record"),
    path(
        "complaints/<str:reference>/vulnerabilities/<int:vulnerability_id>/review/",
        review,
        name="vulnerability-review",
    ),
    path(
        "complaints/<str:reference>/vulnerabilities/<int:vulnerability_id>/withdraw/",
        withdraw,
        name="vulnerability-withdraw",
    ),
]
