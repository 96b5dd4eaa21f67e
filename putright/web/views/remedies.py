"""Putting things right on the case page: the remedies offered, and their three step pages.

"Offer a remedy" has a second button, "Work it out", in its box "Suggest an
amount from our rates": it shows the amount worked out from the chosen rate
and number of days, weeks or occasions, with its working, and puts it in the
amount box marked as suggested. Nothing is saved until the caseworker presses
"Offer the remedy" (so it works without JavaScript; with htmx only the form is
swapped). "Record the customer's answer" and "Record the payment" each take one
remedy. Each page calls one service of ``learning.services.remedies``, as the
API does, and shows its refusal on the form with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms.utils import ErrorDict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers

from putright.accounts.models import User
from putright.accounts.permissions import can_take
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.policies import rules_for
from putright.cases.selectors.complaints import complaint_detail
from putright.cases.selectors.facts import facts_of
from putright.learning.models import Remedy
from putright.learning.remedy_selectors import remedies_of, suggestion, totals
from putright.learning.services import remedies as services
from putright.procedure import machine
from putright.procedure.learning import RemedyStatus, RemedyType, Suggestion, remedy_move_refusal
from putright.procedure.states import Step
from putright.web.access import staff_user, staff_view
from putright.web.forms.base import StepForm
from putright.web.forms.remedies import AnswerForm, OfferRemedyForm, PaymentForm, RemedyForm

# The case page's section


@dataclass(frozen=True)
class RemedyRow:
    remedy: Remedy
    answer_url: str | None
    pay_url: str | None


def remedies_section(complaint: Complaint, steps: list[Step]) -> dict[str, Any]:
    """The remedies of the case, each with the steps open on it now, their totals, and the offer
    button (when the procedure and the role allow): one query, whatever their number."""
    found = remedies_of(complaint)
    reference = complaint.reference
    may_update = Step.UPDATE_REMEDY in steps
    rows = [
        RemedyRow(
            r,
            reverse("web:remedy-answer", args=[reference, r.pk])
            if may_update and r.current_status is RemedyStatus.OFFERED
            else None,
            reverse("web:remedy-pay", args=[reference, r.pk])
            if may_update
            and r.current_status is RemedyStatus.ACCEPTED
            and r.remedy_type == RemedyType.FINANCIAL.value
            else None,
        )
        for r in found
    ]
    return {
        "remedy_rows": rows,
        "remedy_totals": totals(found),
        "offer_remedy_url": reverse("web:remedy-offer", args=[reference])
        if Step.ADD_REMEDY in steps
        else None,
    }


# The step pages


@dataclass(frozen=True)
class Page:
    step: Step
    title: str
    button: str
    template: str


OFFER = Page(Step.ADD_REMEDY, "Offer a remedy", "Offer the remedy", "web/remedies/offer.html")
ANSWER = Page(Step.UPDATE_REMEDY, "Record the customer's answer", "Save the answer", "web/remedies/move.html")
PAY = Page(Step.UPDATE_REMEDY, "Record the payment", "Save the payment", "web/remedies/move.html")


def _complaint(user: User, reference: str, step: Step) -> Complaint:
    try:
        complaint = complaint_detail(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    if not can_take(user, step, complaint.stage):
        raise PermissionDenied("Your role does not allow this step.")
    return complaint


def _refused_now(request: HttpRequest, complaint: Complaint, step: Step) -> HttpResponse | None:
    """A typed-in or stale link to a step the procedure does not allow now: why, on the case page."""
    refusal = machine.why_not(step, facts_of(complaint), rules_for(complaint))
    if refusal:
        messages.error(request, refusal)
        return redirect("web:case", reference=complaint.reference)
    return None


def _render(
    request: HttpRequest, page: Page, complaint: Complaint, form: StepForm, **extra: Any
) -> HttpResponse:
    context = {"page": page, "complaint": complaint, "form": form, **extra}
    status = 400 if form.errors else 200
    if request.headers.get("HX-Request") == "true":
        # htmx swaps the form alone (a suggestion, or what was refused): it does not swap a 400.
        response = render(request, "web/remedies/_offer_form.html", {**context, "fragment": True})
        patch_vary_headers(response, ["HX-Request"])
        return response
    return render(request, page.template, context, status=status)


def _run(form: StepForm, act: Callable[[], Remedy]) -> Remedy | None:
    try:
        return act()
    except InvalidInput as refused:
        form.refuse(refused)
    except CaseError as refused:
        form.add_error(None, refused.message)
    return None


@staff_view(capability=None)
def offer(request: HttpRequest, reference: str) -> HttpResponse:
    user = staff_user(request)
    complaint = _complaint(user, reference, Step.ADD_REMEDY)
    if request.method != "POST":
        refused = _refused_now(request, complaint, Step.ADD_REMEDY)
        if refused is not None:
            return refused
        form = OfferRemedyForm(initial={"version": complaint.version}, complaint=complaint, user=user)
        return _render(request, OFFER, complaint, form)
    if "suggest" in request.POST:
        return _suggest(request, complaint, user)
    form = OfferRemedyForm(request.POST, complaint=complaint, user=user)
    worked_out = None
    if form.is_valid():
        data = form.cleaned_data
        worked_out = _same_suggestion(complaint, data)
        remedy = _run(
            form,
            lambda: services.offer_remedy(
                complaint,
                remedy_type=data["remedy_type"],
                description=data["description"],
                amount=data["amount"],
                purpose=data["purpose"] or None,
                point_id=data["point"],
                rate_key=data["rate"] if worked_out else "",
                rate_units=data["units"] if worked_out else None,
                offered_on=data["offered_on"],
                actor=user,
                expected_version=data["version"],
            ),
        )
        if remedy is not None:
            messages.success(request, f"Remedy offered: {services.what(remedy)}.")
            return redirect(f"{reverse('web:case', args=[complaint.reference])}#remedies")
    return _render(request, OFFER, complaint, form, suggestion=worked_out, suggested=bool(worked_out))


def _same_suggestion(complaint: Complaint, data: dict[str, Any]) -> Suggestion | None:
    """The suggestion the amount came from, when the rate and number given still work it out to the
    amount offered (a changed amount is the caseworker's own, and no rate is recorded)."""
    if not (data.get("rate") and data.get("units") and data.get("amount") is not None):
        return None
    if data.get("remedy_type") != RemedyType.FINANCIAL.value:
        return None
    try:
        found = suggestion(complaint, data["rate"], data["units"])
    except InvalidInput:
        return None
    return found if found.amount == Decimal(data["amount"]) else None


def _suggest(request: HttpRequest, complaint: Complaint, user: User) -> HttpResponse:
    """ "Work it out": the amount from the rate, put in the amount box and marked as suggested, the
    rest of the form as it was typed, its other answers not yet checked; nothing is saved."""
    data = request.POST.copy()
    found = None
    problem: InvalidInput | None = None
    rate, units = data.get("rate", ""), data.get("units", "")
    try:
        if not rate:
            raise InvalidInput("rate", "Choose one of our rates")
        if not str(units).strip():
            raise InvalidInput("units", "Enter how many days, weeks or occasions")
        found = suggestion(complaint, rate, units)
    except InvalidInput as refused:
        problem = refused
    if found is not None:
        chosen = rules_for(complaint).policy.remedies.rate(rate)
        data["amount"] = str(found.amount)
        data["remedy_type"] = RemedyType.FINANCIAL.value
        if chosen is not None and not data.get("purpose"):
            data["purpose"] = chosen.purpose.value
    form = OfferRemedyForm(data, complaint=complaint, user=user)
    form._errors = ErrorDict()  # type: ignore[attr-defined]  # the rest of the form is checked when the remedy is offered
    form.cleaned_data = {}
    if problem is not None:
        detail = problem.detail[0].upper() + problem.detail[1:]
        form.add_error(problem.field if problem.field in form.fields else "rate", detail)
    return _render(request, OFFER, complaint, form, suggestion=found, suggested=found is not None)


def _remedy_page(page: Page, form_class: type[RemedyForm]) -> Callable[..., Any]:
    """A step on one remedy: the customer's answer, or the payment."""

    @staff_view(capability=None)
    def view(request: HttpRequest, reference: str, item: int) -> HttpResponse:
        user = staff_user(request)
        complaint = _complaint(user, reference, Step.UPDATE_REMEDY)
        if request.method != "POST":
            form = form_class(
                initial={"version": complaint.version}, complaint=complaint, user=user, item=item
            )
            refused = _refused_now(request, complaint, Step.UPDATE_REMEDY) or _not_now(
                request,
                complaint,
                form.remedy,
                page,
            )
            if refused is not None:
                return refused
            return _render(request, page, complaint, form, remedy=form.remedy)
        form = form_class(request.POST, complaint=complaint, user=user, item=item)
        remedy = form.remedy
        if form.is_valid():
            moved = _run(form, lambda: _act(page, complaint, user, remedy, form.cleaned_data))
            if moved is not None:
                messages.success(request, _done(moved))
                return redirect(f"{reverse('web:case', args=[complaint.reference])}#remedies")
        return _render(request, page, complaint, form, remedy=remedy)

    view.__name__ = f"remedy_{page.button.split()[-1]}"
    return view


def _not_now(request: HttpRequest, complaint: Complaint, remedy: Remedy, page: Page) -> HttpResponse | None:
    """A link to a move the remedy cannot make now (already answered, not yet accepted): why, on the
    case page."""
    if page is PAY:
        new = RemedyStatus.PAID
    else:
        new = (
            RemedyStatus.ACCEPTED
            if remedy.current_status is not RemedyStatus.ACCEPTED
            else RemedyStatus.DECLINED
        )
    refusal = remedy_move_refusal(
        remedy.current_status,
        new,
        financial=remedy.remedy_type == RemedyType.FINANCIAL.value,
        on=remedy.last_moved_on,
        since=remedy.last_moved_on,
    )
    if refusal:
        messages.error(request, refusal)
        return redirect(f"{reverse('web:case', args=[complaint.reference])}#remedies")
    return None


def _act(page: Page, complaint: Complaint, user: User, remedy: Remedy, data: dict[str, Any]) -> Remedy:
    common = {"remedy_id": remedy.pk, "actor": user, "expected_version": data["version"]}
    if page is PAY:
        return services.pay_remedy(
            complaint, paid_on=data["paid_on"], payment_reference=data["payment_reference"], **common
        )
    if data["answer"] == RemedyStatus.ACCEPTED.value:
        return services.accept_remedy(complaint, accepted_on=data["answered_on"], **common)
    return services.decline_remedy(complaint, declined_on=data["answered_on"], **common)


def _done(remedy: Remedy) -> str:
    said = services.what(remedy)
    if remedy.current_status is RemedyStatus.PAID:
        return f"Payment recorded: {said}."
    return f"The customer {remedy.current_status.label.lower()} the remedy: {said}."


answer = _remedy_page(ANSWER, AnswerForm)
pay = _remedy_page(PAY, PaymentForm)

urlpatterns = [
    path("complaints/<str:reference>/remedies/new/", offer, name="remedy-offer"),
    path("complaints/<str:reference>/remedies/<int:item>/answer/", answer, name="remedy-answer"),
    path("complaints/<str:reference>/remedies/<int:item>/pay/", pay, name="remedy-pay"),
]
