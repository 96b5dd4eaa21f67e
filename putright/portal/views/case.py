"""Public pages: a customer's own case under /your-complaint/.

A visitor sees a case only once it is in their session: put there by a
private link or by the reference, postcode and surname together. Anything
that does not match (an unknown reference, a wrong surname, a tampered,
expired or revoked link, someone else's case) gets the same answer as
something that does not exist. The steps a customer can take are offered only
when the procedure allows them now, and each is made by the case services,
with the version of the case the customer saw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import Complaint, Deadline, Representative
from putright.cases.policies import rules_for
from putright.cases.selectors.facts import facts_of
from putright.cases.selectors.reviewers import reviewer_for
from putright.cases.services import changes, customers, escalation, evidence
from putright.comms.letters.selectors import letter_on_case
from putright.comms.letters.services.letters import letter_filename
from putright.design.sizes import upload_limit_words
from putright.downloads import private_file
from putright.portal import access, limits
from putright.portal.forms.case import (
    AppealForm,
    CaseStepForm,
    ConsentForm,
    ConsentWithdrawForm,
    FindForm,
    InformationForm,
    NewLinkForm,
    ReviewForm,
    WithdrawForm,
)
from putright.portal.refusals import refusal_words
from putright.portal.selectors import (
    CUSTOMER_STEPS,
    companion_words,
    customer_case,
    landlord_phone,
    promise_words,
)
from putright.procedure.machine import why_not
from putright.procedure.states import Step

# issue 15, portalsec: limits that do not lock out the customer. A look-up that finds a case
# costs nothing; misses are counted per address. Asking for a new link is counted per address
# and email together (a stranger elsewhere cannot use up the owner's turns), and an email is
# sent at most once in LINK_EMAIL_GAP whoever asks (the owner has the one just sent).
FIND_LIMIT = limits.Limit("find:ip", 10)
LINK_ADDRESS_LIMIT = limits.Limit("link:ip", 10)
LINK_PAIR_LIMIT = limits.Limit("link:ip+email", 3)
LINK_EMAIL_GAP = limits.Limit("link:sent", 1, dt.timedelta(minutes=10))

NOT_FOUND = "We could not find a complaint with those details. Check them and try again."
STALE = (
    "Your complaint changed while you were on this page, so we have not saved your answer. "
    "Check the details and send it again."
)


def _page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    return render(request, template, context or {}, status=status)


def _too_many(request: HttpRequest, limited: limits.RateLimited) -> HttpResponse:
    retry = timezone.localtime(limited.retry_at)
    return _page(request, "portal/case/rate_limited.html", {"retry_at": f"{retry:%H:%M}"}, status=429)


def _not_found(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/case/not_found.html", status=404)


# Finding a case ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def find(request: HttpRequest) -> HttpResponse:
    """Reference, postcode and surname: all three must match, or the answer is the same "not found"."""
    form = FindForm(request.POST or None)
    if request.method == "POST":
        address = limits.client_address(request)
        try:
            limits.check(FIND_LIMIT, address)
        except limits.RateLimited as limited:
            return _too_many(request, limited)
        if form.is_valid():
            data = form.cleaned_data
            found = access.find_complaint(data["reference"], data["postcode"], data["surname"])
            if found is not None:
                access.grant(request, found)
                return redirect("portal:case", reference=found.reference)
            limits.record(FIND_LIMIT, address)  # only a miss counts: a customer coming back is not guessing
            form.add_error(None, NOT_FOUND)
    return _page(request, "portal/find.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def new_link(request: HttpRequest) -> HttpResponse:
    """Email a new private link; the answer never says whether the details matched."""
    form = NewLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        address = limits.client_address(request)
        try:
            limits.check(LINK_ADDRESS_LIMIT, address)
            limits.count(LINK_PAIR_LIMIT, f"{address} {email}")
        except limits.RateLimited as limited:
            return _too_many(request, limited)
        found = access.complaint_for_email(form.cleaned_data["reference"], email)
        if found is None:
            limits.record(LINK_ADDRESS_LIMIT, address)
        elif _may_send_link(found.customer.email):
            access.send_link_email(request, found, found.customer.email, asked=True)
        return redirect("portal:link-sent")
    return _page(request, "portal/case/new_link.html", {"form": form}, status=400 if form.errors else 200)


def _may_send_link(email: str) -> bool:
    """At most one asked-for link an email address per LINK_EMAIL_GAP, said to nobody.

    The link goes to the customer's own address, so a stranger asking for it
    sends the customer their link: the owner is never left without one, and
    nobody can fill their inbox or learn from the answer that it was not sent.
    """
    try:
        limits.count(LINK_EMAIL_GAP, email)
    except limits.RateLimited:
        return False
    return True


def link_sent(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/case/link_sent.html", {"days": access.link_days()})


def follow_link(request: HttpRequest, token: str) -> HttpResponse:
    """A valid link lets the visitor in and moves them on, so the secret leaves the address bar."""
    complaint = access.complaint_for_link(token)
    if complaint is None:
        return _page(request, "portal/case/link_invalid.html", status=404)
    access.grant(request, complaint)
    response = redirect("portal:case", reference=complaint.reference)
    response["Referrer-Policy"] = "no-referrer"
    return response


# The case page ----------------------------------------------------------------------


def _granted(request: HttpRequest, reference: str) -> Complaint | None:
    complaint_id = access.granted_complaint_id(request, reference)
    if complaint_id is None:
        return None
    return Complaint.objects.select_related("customer", "organisation__parent", "policy").get(pk=complaint_id)


def case(request: HttpRequest, reference: str) -> HttpResponse:
    complaint_id = access.granted_complaint_id(request, reference)
    if complaint_id is None:
        return _not_found(request)
    view = customer_case(complaint_id)
    context = {"case": view, "steps": view.steps, "idle_minutes": access.visit_idle_minutes()}
    return _page(request, "portal/case/case.html", context)


@require_safe
def letter_pdf(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """One letter of the customer's own case, as the PDF we sent.

    The same check as the case page: a letter of a case this session was not
    let into (or of another case than the one in the address) is "not found",
    exactly as an unknown case is, so nothing says it exists. The portal's
    ``no_store`` keeps it out of a shared computer's cache.
    """
    complaint_id = access.granted_complaint_id(request, reference)
    if complaint_id is None:
        return _not_found(request)
    letter = letter_on_case(complaint_id, letter_id)
    if letter is None or not letter.pdf:
        return _not_found(request)
    try:
        return private_file(letter.pdf, filename=letter_filename(letter), content_type="application/pdf")
    except FileNotFoundError:  # the file is gone: "not found", as any letter we cannot give
        return _not_found(request)


@require_http_methods(["GET", "POST"])
def stop_link(request: HttpRequest, reference: str) -> HttpResponse:
    """Stop every private link to this case working, and end this browser's visit too.

    Whoever fears someone else has the link may be on a shared computer: they
    come back with a new link, which a person holding the old one cannot ask for.
    """
    complaint = _granted(request, reference)
    if complaint is None:
        return _not_found(request)
    if request.method == "POST":
        access.revoke_links(complaint)
        access.end_visit(request)
        return redirect("portal:signed-out-stopped")
    return _page(request, "portal/case/stop_link.html", {"complaint": complaint})


@require_POST
def sign_out(request: HttpRequest, reference: str) -> HttpResponse:
    """End this browser's visit to every case (a POST with the CSRF token: no link can sign anyone out)."""
    access.end_visit(request)
    return redirect("portal:signed-out")


@require_safe
def signed_out(request: HttpRequest, links_stopped: bool = False) -> HttpResponse:
    return _page(request, "portal/case/signed_out.html", {"links_stopped": links_stopped})


# The customer's steps ---------------------------------------------------------------


def customer_name(complaint: Complaint) -> str:
    """How the timeline names a step the customer took online."""
    return f"{complaint.customer.first_name} {complaint.customer.last_name} (online)"


def _due(complaint: Complaint, name: str) -> str:
    deadline = Deadline.objects.filter(complaint=complaint, name=name, cancelled_at__isnull=True).first()
    if deadline is None:
        return ""
    return f" {promise_words(deadline.name, deadline.due_at, rules_for(complaint).calendar.tz)}."


def _ask_review(request: HttpRequest, complaint: Complaint, data: dict[str, Any]) -> str:
    owner = reviewer_for(complaint)
    if owner is None:
        raise StepNotAllowed("escalate", "There is nobody to take your review online at the moment.")
    escalation.escalate(
        complaint,
        grounds=data["grounds"],
        explanation=data["explanation"],
        owner=owner,
        actor=None,
        expected_version=data["version"],
        on_behalf_of=customer_name(complaint),
    )
    return "You have asked for a review." + _due(complaint, "stage2.contact")


def _ask_appeal(request: HttpRequest, complaint: Complaint, data: dict[str, Any]) -> str:
    escalation.request_appeal(
        complaint,
        criteria=data["criteria"],
        explanation=data["explanation"],
        actor=None,
        expected_version=data["version"],
        on_behalf_of=customer_name(complaint),
    )
    return "You have asked for an appeal. We will contact you to agree a date for the meeting." + _due(
        complaint, "appeal.meeting"
    )


def _add_information(request: HttpRequest, complaint: Complaint, data: dict[str, Any]) -> str:
    """A note is kept as words on the case (staff read it on the case page), a file as evidence."""
    who = customer_name(complaint)
    upload = data.get("file")
    content = b""
    if upload is not None:
        content = evidence.read_limited(upload, settings.PUTRIGHT_MAX_UPLOAD_BYTES)
        evidence.check_file(upload.name, content)  # before anything is stored
    version = data["version"]
    note = (data.get("information") or "").strip()
    if note:
        evidence.add_information(complaint, text=note, actor=None, expected_version=version, on_behalf_of=who)
        version = complaint.version
    if upload is not None:
        evidence.attach(
            complaint,
            name=upload.name,
            content=content,
            actor=None,
            expected_version=version,
            on_behalf_of=who,
        )
    due = complaint.next_due_at
    if due is None or due < timezone.now():
        return "Thank you. We have added this to your complaint."
    next_due = promise_words(complaint.next_due_name, due, rules_for(complaint).calendar.tz)
    return f"Thank you. We have added this to your complaint. {next_due}."


def _withdraw(request: HttpRequest, complaint: Complaint, data: dict[str, Any]) -> str:
    if data["confirm"] != "yes":
        return ""
    changes.withdraw(
        complaint,
        reason=data["reason"],
        actor=None,
        expected_version=data["version"],
        on_behalf_of=customer_name(complaint),
    )
    return "You have withdrawn your complaint. We will not look into it any further."


@dataclass(frozen=True)
class CustomerStep:
    step: Step
    template: str
    form: type[CaseStepForm]
    act: Callable[[HttpRequest, Complaint, dict[str, Any]], str]


STEPS = {
    "review": CustomerStep(Step.ESCALATE, "portal/case/review.html", ReviewForm, _ask_review),
    "appeal": CustomerStep(Step.REQUEST_APPEAL, "portal/case/appeal.html", AppealForm, _ask_appeal),
    "information": CustomerStep(
        Step.ADD_EVIDENCE, "portal/case/information.html", InformationForm, _add_information
    ),
    "withdraw": CustomerStep(Step.WITHDRAW, "portal/case/withdraw.html", WithdrawForm, _withdraw),
}
assert {name: s.step for name, s in STEPS.items()} == CUSTOMER_STEPS


def _closed(request: HttpRequest, complaint: Complaint, name: str, reason: str, status: int) -> HttpResponse:
    context = {"complaint": complaint, "step": name, "reason": reason, "phone": _phone(complaint)}
    return _page(request, "portal/case/closed.html", context, status=status)


def _phone(complaint: Complaint) -> str:
    return landlord_phone(complaint.organisation)


def _step_view(name: str) -> Callable[[HttpRequest, str], HttpResponse]:
    page = STEPS[name]

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        complaint = _granted(request, reference)
        if complaint is None:
            return _not_found(request)
        rules = rules_for(complaint)
        facts = facts_of(complaint)
        if why_not(page.step, facts, rules):
            reason = refusal_words(name, facts, rules.policy)
            return _closed(request, complaint, name, reason, 409 if request.method == "POST" else 200)
        if page.step is Step.ESCALATE and reviewer_for(complaint) is None:
            return _page(
                request, "portal/case/call_us.html", {"complaint": complaint, "phone": _phone(complaint)}
            )
        data = request.POST if request.method == "POST" else None
        form = page.form(rules.policy, data, request.FILES or None, initial={"version": complaint.version})
        if form.is_bound and form.is_valid():
            outcome = _take(request, complaint, name, page, form)
            if outcome is not None:
                return outcome
        context = {
            "complaint": complaint,
            "form": form,
            "policy": rules.policy,
            "companion": companion_words(rules.policy),
            "file_types": evidence.allowed_types(),
            "max_size": upload_limit_words(),
        }
        return _page(request, page.template, context, status=400 if form.errors else 200)

    view.__name__ = f"{name}_view"
    return view


def _take(
    request: HttpRequest, complaint: Complaint, name: str, page: CustomerStep, form: CaseStepForm
) -> HttpResponse | None:
    """Make the step; on success a banner on the case page, else the reason beside the form."""
    try:
        message = page.act(request, complaint, form.cleaned_data)
    except StepNotAllowed as refused:
        return _closed(request, complaint, name, _in_customer_words(complaint, name, refused), 409)
    except StaleCase:
        _refresh_version(form, complaint)
        form.add_error(None, STALE)
        return None
    except InvalidInput as bad:
        form.refuse(bad)
        return None
    if message:
        messages.success(request, message)
    return redirect("portal:case", reference=complaint.reference)


def _in_customer_words(complaint: Complaint, name: str, refused: StepNotAllowed) -> str:
    """A refusal by the case services, said as the step pages say it when the state forbids it."""
    complaint.refresh_from_db()
    facts, rules = facts_of(complaint), rules_for(complaint)
    if why_not(STEPS[name].step, facts, rules):
        return refusal_words(name, facts, rules.policy)
    return refused.reason  # the portal's own words (e.g. nobody to take a review online)


def _refresh_version(form: forms.Form, complaint: Complaint) -> None:
    """Let the customer send again after reading the change: the form now carries the new version."""
    complaint.refresh_from_db(fields=["version"])
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["version"] = str(complaint.version)
    form.data = data


# Consent ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, reference: str) -> HttpResponse:
    """Give consent for someone (an MP, a councillor, a relative) to act for the customer."""
    complaint = _granted(request, reference)
    if complaint is None:
        return _not_found(request)
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = customers.add_representative(
                customer=complaint.customer,
                name=data["name"],
                kind=data["kind"],
                role=data["role"],
                email=data["email"],
                phone=data["phone"],
                consent_given_at=timezone.now(),
                consent_how="given online by the customer",
            )
        except InvalidInput as bad:
            form.refuse(bad)
        else:
            messages.success(request, f"{added.name} can now act for you on your complaint.")
            return redirect("portal:case", reference=complaint.reference)
    context = {"complaint": complaint, "form": form}
    return _page(request, "portal/case/consent.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def consent_withdraw(request: HttpRequest, reference: str, representative_id: int) -> HttpResponse:
    complaint = _granted(request, reference)
    if complaint is None:
        return _not_found(request)
    representative = Representative.objects.filter(pk=representative_id, customer=complaint.customer).first()
    if representative is None or not representative.has_consent:
        return _not_found(request)
    form = ConsentWithdrawForm(request.POST or None, name=representative.name)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["confirm"] == "yes":
            customers.withdraw_consent(representative)
            messages.success(request, f"{representative.name} can no longer act for you.")
        return redirect("portal:case", reference=complaint.reference)
    context = {"complaint": complaint, "form": form, "representative": representative}
    return _page(request, "portal/case/consent_withdraw.html", context, status=400 if form.errors else 200)


urlpatterns: list[URLPattern] = [
    path("your-complaint/", find, name="find"),
    path("your-complaint/new-link/", new_link, name="new-link"),
    path("your-complaint/new-link/sent/", link_sent, name="link-sent"),
    path("your-complaint/link/<str:token>/", follow_link, name="link"),
    path("your-complaint/signed-out/", signed_out, name="signed-out"),
    path(
        "your-complaint/links-stopped/",
        signed_out,
        {"links_stopped": True},
        name="signed-out-stopped",
    ),
    path("your-complaint/<str:reference>/", case, name="case"),
    path("your-complaint/<str:reference>/stop-link/", stop_link, name="stop-link"),
    path("your-complaint/<str:reference>/sign-out/", sign_out, name="sign-out"),
    path("your-complaint/<str:reference>/letters/<int:letter_id>/", letter_pdf, name="letter"),
    *[path(f"your-complaint/<str:reference>/{name}/", _step_view(name), name=name) for name in STEPS],
    path("your-complaint/<str:reference>/consent/", consent, name="consent"),
    path(
        "your-complaint/<str:reference>/consent/<int:representative_id>/withdraw/",
        consent_withdraw,
        name="consent-withdraw",
    ),
]
