"""One view for every step: show the form, run the service, say what happened.

A step page is declared, not written: the step it takes, its form, and the
one service call it makes. The view checks the user may see the case and
that their role may take the step, shows the form with the case's version,
and on a valid post calls the service. What the service refuses (a stale
version, a step the procedure does not allow now, a value it cannot use) is
shown on the form with the Design System's error summary, and nothing is
changed. Success redirects to the case page (so a refresh or a second click
never repeats the step: its version no longer matches), or, for a step that
calls for a letter (a response), to that letter, drafted and ready to send,
so that recording a response and writing it to the customer are one errand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse

from putright.accounts.models import User
from putright.accounts.permissions import can_take
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.policies import rules_for
from putright.cases.selectors.complaints import complaint_detail
from putright.cases.selectors.facts import facts_of, steps_offered
from putright.comms.letters.services import letters
from putright.comms.models import LetterKind
from putright.procedure import machine
from putright.procedure.states import Step
from putright.web.access import staff_user, staff_view
from putright.web.forms.base import StepForm

#: The service call: the case (as read for the page), the user, the valid form, the item's id.
Act = Callable[[Complaint, User, Any, int | None], object]


@dataclass(frozen=True)
class StepPage:
    step: Step
    form: type[StepForm]
    title: str
    act: Act
    #: What happened, in words: fixed, or made from what the service call returned.
    done: str | Callable[[Any], str]
    #: The URL below the case's: "extend", or "actions/<int:item>/complete" for an item's step.
    route: str = ""
    #: A template shown above the form (the points being answered, the action being completed).
    context_template: str = ""
    button: str = "Save"
    #: The letter the step's result calls for (a response's letter), offered at once on success.
    letter: Callable[[Any], LetterKind | None] | None = None

    @property
    def url_name(self) -> str:
        return f"step-{self.step.value.replace('_', '-')}"

    @property
    def for_item(self) -> bool:
        return "<int:item>" in self.route

    def done_message(self, result: object) -> str:
        return self.done(result) if callable(self.done) else self.done

    def url(self, reference: str, item: int | None = None) -> str:
        kwargs: dict[str, Any] = {"reference": reference}
        if item is not None:
            kwargs["item"] = item
        return reverse(f"web:{self.url_name}", kwargs=kwargs)


def allowed_now(complaint: Complaint, user: User) -> list[Step]:
    """The steps the procedure allows on this case now, and the user's role allows."""
    return [step for step, refusal in offered_now(complaint, user) if refusal is None]


def offered_now(complaint: Complaint, user: User) -> list[tuple[Step, str | None]]:
    """The steps this state allows and the user's role may take, each with why the facts of the
    case refuse it now (None when it can be taken): the case page shows the reason, not a button."""
    return steps_offered(complaint, user)


def step_view(page: StepPage) -> Callable[..., HttpResponse]:
    @staff_view(capability=None)
    def view(request: HttpRequest, reference: str, item: int | None = None) -> HttpResponse:
        user = staff_user(request)
        complaint = _complaint(user, reference)
        if not can_take(user, page.step, complaint.stage):
            raise PermissionDenied("Your role does not allow this step.")
        if request.method == "POST":
            form = page.form(request.POST, request.FILES, complaint=complaint, user=user, item=item)
            ran = _run(page, form, complaint, user, item) if form.is_valid() else None
            if ran is not None:
                done, result = ran
                letter = _letter_to_offer(page, complaint, user, result)
                if letter is None:
                    messages.success(request, done)
                    return redirect("web:case", reference=complaint.reference)
                messages.success(request, f"{done} Check the letter below, then send it to the customer.")
                slug = letter.value.replace("_", "-")
                return redirect("web:letter-write", reference=complaint.reference, letter_kind=slug)
        else:
            # A typed-in or stale link to a step the procedure does not allow now: say why
            # on the case page rather than offer a form that can only be refused.
            refusal = machine.why_not(page.step, facts_of(complaint), rules_for(complaint))
            if refusal:
                messages.error(request, refusal)
                return redirect("web:case", reference=complaint.reference)
            initial = {"version": complaint.version}
            form = page.form(initial=initial, complaint=complaint, user=user, item=item)
        context = {"page": page, "complaint": complaint, "form": form, "item": item}
        return render(request, "web/steps/step.html", context, status=400 if form.errors else 200)

    view.__name__ = page.url_name.replace("-", "_")
    return view


def _complaint(user: User, reference: str) -> Complaint:
    try:
        return complaint_detail(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _run(
    page: StepPage, form: StepForm, complaint: Complaint, user: User, item: int | None
) -> tuple[str, object] | None:
    """Call the service: what happened, in words, and what it returned; a refusal goes onto the form
    (None) and nothing is changed."""
    try:
        result = page.act(complaint, user, form, item)
    except InvalidInput as refused:
        form.refuse(refused)
        return None
    except CaseError as refused:
        form.add_error(None, refused.message)
        return None
    return page.done_message(result), result


def _letter_to_offer(page: StepPage, complaint: Complaint, user: User, result: object) -> LetterKind | None:
    """The letter to open after the step: the one it calls for, if the user's role sends it and the
    case's facts allow it now (else None, and the case page)."""
    kind = page.letter(result) if page.letter is not None else None
    if kind is None or not letters.may_send(user, complaint, kind):
        return None
    return None if letters.unavailable_reason(complaint, kind) else kind


def urls(pages: list[StepPage]) -> list[URLPattern]:
    routes = []
    for page in pages:
        route = page.route or page.step.value.replace("_", "-")
        routes.append(path(f"complaints/<str:reference>/{route}/", step_view(page), name=page.url_name))
    return routes
