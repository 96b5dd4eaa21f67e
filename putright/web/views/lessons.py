"""Learning actions in the workspace: the list, a new one (from a case or not), one action and its forms.

Anyone who may see cases reads the learning actions of their organisations; a
role that manages learning actions creates, changes, links and completes them.
Each page is a fixed number of queries whatever the number of actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import CaseError, InvalidInput, NotFound, StaleCase
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaint_for_user
from putright.learning import action_selectors as selectors
from putright.learning.models import LearningAction
from putright.learning.services import lessons
from putright.web.access import staff_user, staff_view
from putright.web.forms.lessons import (
    ChooseActionForm,
    CompleteLearningActionForm,
    EditLearningActionForm,
    FiltersForm,
    LinkComplaintForm,
    NewLearningActionForm,
)
from putright.web.views.cases import _page_numbers

MANAGE = Capability.MANAGE_LEARNING_ACTIONS


@staff_view()
def action_list(request: HttpRequest) -> HttpResponse:
    """The learning actions, soonest due first, 50 a page, with the filters."""
    user = staff_user(request)
    form = FiltersForm(request.GET or None, user=user)
    today = timezone.localdate()
    found = selectors.action_list(user, form.filters() if form.is_bound else selectors.ActionFilters(), today)
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(action, lessons.status_of(action, today)) for action in page.object_list]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "pages": _page_numbers(page),
        "may_manage": can(user, MANAGE),
    }
    return render(request, "web/learning/list.html", context)


@staff_view(capability=MANAGE)
def new_action(request: HttpRequest) -> HttpResponse:
    """A new learning action; ``?complaint=REF`` starts it from that case (its organisation, linked)."""
    user = staff_user(request)
    complaint = _complaint(user, request.GET.get("complaint", "")) if request.GET.get("complaint") else None
    if request.method != "POST":
        initial: dict[str, Any] = {}
        if complaint is not None:
            initial = {"organisation": complaint.organisation_id, "complaints": complaint.reference}
        form = NewLearningActionForm(initial=initial, user=user)
        return render(request, "web/learning/new.html", {"form": form, "complaint": complaint})
    form = NewLearningActionForm(request.POST, user=user)
    if form.is_valid():
        try:
            action = lessons.create_learning_action(
                form.organisations[form.cleaned_data["organisation"]],
                lesson=form.cleaned_data["lesson"],
                change=form.cleaned_data["change"],
                change_kind=form.cleaned_data["change_kind"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
                themes=form.chosen_themes(),
                complaints=_complaints(user, form.references()),
                actor=user,
            )
        except CaseError as refused:
            _refuse(form, refused, "complaints")
        else:
            messages.success(request, "Learning action created.")
            if complaint is not None:
                return redirect(
                    reverse("web:case", kwargs={"reference": complaint.reference}) + "#learning-actions"
                )
            return redirect("web:learning-action", action_id=action.pk)
    return render(request, "web/learning/new.html", {"form": form, "complaint": complaint}, status=400)


@staff_view()
def action_page(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    return _page(request, user, _action(user, action_id))


def _page(
    request: HttpRequest, user: User, action: LearningAction, status: int = 200, **forms: Any
) -> HttpResponse:
    """The action, its history and (for those who manage actions, until it is done) its forms."""
    today = timezone.localdate()
    context: dict[str, Any] = {
        "action": action,
        "status": lessons.status_of(action, today),
        "themes": list(action.themes.all()),
        "links": list(action.links.all()),
        "history": list(action.events.all()),
        "may_manage": can(user, MANAGE),
        # the refused form, for the page's error summary
        "form": next(iter(forms.values()), None),
    }
    if context["may_manage"]:
        if not action.is_done:
            context["edit_form"] = forms.get("edit_form") or EditLearningActionForm(
                initial={
                    "version": action.version,
                    "lesson": action.lesson,
                    "change": action.change,
                    "change_kind": action.change_kind,
                    "owner": action.owner_id,
                    "due_on": action.due_on,
                    "themes": [t.pk for t in context["themes"]],
                },
                user=user,
            )
            context["complete_form"] = forms.get("complete_form") or CompleteLearningActionForm(
                initial={"version": action.version}, auto_id="complete_%s"
            )
        context["link_form"] = forms.get("link_form") or LinkComplaintForm(auto_id="link_%s")
    return render(request, "web/learning/action.html", context, status=status)


@staff_view(capability=MANAGE)
def edit_action(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    action = _action(user, action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # a form on the action's page
    form = EditLearningActionForm(request.POST, user=user)
    if form.is_valid():
        try:
            lessons.edit_learning_action(
                action,
                expected_version=form.cleaned_data["version"],
                actor=user,
                lesson=form.cleaned_data["lesson"],
                change=form.cleaned_data["change"],
                change_kind=form.cleaned_data["change_kind"],
                owner=form.chosen_owner(),
                due_on=form.cleaned_data["due_on"],
                themes=form.chosen_themes(),
            )
        except StaleCase as stale:
            form.add_error(None, stale.message)
        except CaseError as refused:
            _refuse(form, refused, None)
        else:
            messages.success(request, "Learning action changed.")
            return redirect("web:learning-action", action_id=action.pk)
    return _page(request, user, _action(user, action_id), 400, edit_form=form)


@staff_view(capability=MANAGE)
def complete_action(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    action = _action(user, action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # a form on the action's page
    form = CompleteLearningActionForm(request.POST, auto_id="complete_%s")
    if form.is_valid():
        try:
            lessons.complete_learning_action(
                action,
                evidence=form.cleaned_data["evidence"],
                completed_on=form.cleaned_data.get("completed_on"),
                actor=user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleCase as stale:
            form.add_error(None, stale.message)
        except CaseError as refused:
            _refuse(form, refused, None)
        else:
            messages.success(request, "Learning action completed.")
            return redirect("web:learning-action", action_id=action.pk)
    return _page(request, user, _action(user, action_id), 400, complete_form=form)


@staff_view(capability=MANAGE)
def link_complaint(request: HttpRequest, action_id: int) -> HttpResponse:
    user = staff_user(request)
    action = _action(user, action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # a form on the action's page
    form = LinkComplaintForm(request.POST, auto_id="link_%s")
    if form.is_valid():
        try:
            complaint = complaint_for_user(user=user, reference=form.cleaned_data["reference"])
            lessons.link_complaint(action, complaint, actor=user)
        except NotFound:
            form.add_error("reference", "No complaint you can see has that reference")
        except CaseError as refused:
            _refuse(form, refused, "reference")
        else:
            messages.success(request, f"Complaint {complaint.reference} linked.")
            return redirect(reverse("web:learning-action", kwargs={"action_id": action.pk}) + "#complaints")
    return _page(request, user, _action(user, action_id), 400, link_form=form)


@staff_view()
def unlink_complaint(request: HttpRequest, action_id: int, reference: str) -> HttpResponse:
    user = staff_user(request)
    action = _action(user, action_id)
    complaint = _complaint(user, reference)  # a case the user cannot see is not found, whatever their role
    _require(user, MANAGE)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])  # a button on the action's page
    if lessons.unlink_complaint(action, complaint, actor=user):
        messages.success(request, f"Complaint {complaint.reference} unlinked.")
    return redirect(reverse("web:learning-action", kwargs={"action_id": action.pk}) + "#complaints")


@staff_view()
def link_from_case(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's step page: link it to an open learning action of its organisation, or start a new one."""
    user = staff_user(request)
    complaint = _complaint(user, reference)  # not found first, as for every page about a case
    _require(user, MANAGE)
    actions = selectors.open_actions_for_case(complaint, user)
    form = ChooseActionForm(request.POST or None, actions=actions)
    context = {"complaint": complaint, "form": form, "actions": actions}
    if request.method != "POST":
        return render(request, "web/learning/link_case.html", context)
    if form.is_valid():
        chosen = next(a for a in actions if a.pk == form.cleaned_data["action"])
        try:
            lessons.link_complaint(chosen, complaint, actor=user)
        except CaseError as refused:
            _refuse(form, refused, "action")
        else:
            messages.success(request, "Complaint linked to the learning action.")
            return redirect(
                reverse("web:case", kwargs={"reference": complaint.reference}) + "#learning-actions"
            )
    return render(request, "web/learning/link_case.html", context, status=400)


# --- helpers -------------------------------------------------------------------------------------


def _require(user: User, capability: Capability) -> None:
    if not can(user, capability):
        raise PermissionDenied("Your role does not allow this.")


def _action(user: User, action_id: int) -> LearningAction:
    try:
        return selectors.action_detail(user, action_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _complaint(user: User, reference: str) -> Complaint:
    try:
        return complaint_for_user(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _complaints(user: User, references: list[str]) -> list[Complaint]:
    found = []
    for reference in references:
        try:
            found.append(complaint_for_user(user=user, reference=reference))
        except NotFound:
            raise InvalidInput(
                "complaints", f"no complaint you can see has the reference {reference}"
            ) from None
    return found


def _refuse(form: Any, error: CaseError, field: str | None) -> None:
    """A service's refusal beside the field it names (or ``field``), else at the top of the form."""
    if isinstance(error, InvalidInput):
        form.refuse(error)
    else:
        form.add_error(field if field in form.fields else None, error.message)


urlpatterns = [
    path("learning/", action_list, name="learning-actions"),
    path("learning/new/", new_action, name="learning-action-new"),
    path("learning/<int:action_id>/", action_page, name="learning-action"),
    path("learning/<int:action_id>/edit/", edit_action, name="learning-action-edit"),
    path("learning/<int:action_id>/complete/", complete_action, name="learning-action-complete"),
    path("learning/<int:action_id>/link/", link_complaint, name="learning-action-link"),
    path(
        "learning/<int:action_id>/unlink/<str:reference>/",
        unlink_complaint,
        name="learning-action-unlink",
    ),
    path("complaints/<str:reference>/learning-actions/link/", link_from_case, name="case-learning-link"),
]
