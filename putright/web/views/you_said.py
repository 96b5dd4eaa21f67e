""" "You said, we did" in the workspace: the entries by quarter, drafting, approving, withdrawing.

Thin views over ``learning.services.you_said``: the personal-data check's findings are
shown as a warning on a draft and as the reason when an approval is refused, each
highlighted in the entry's words.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.learning import privacy
from putright.learning.models import EntryStatus, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services import you_said
from putright.learning.you_said_selectors import (
    EntryFilters,
    current_themes,
    drafting_organisations,
    entry_for_user,
    entry_history,
    entry_list,
    learning_actions_of,
)
from putright.web.access import staff_user, staff_view
from putright.web.forms.you_said import EntryForm, VersionForm, WithdrawForm


@staff_view(capability=Capability.DRAFT_YOU_SAID)
def entry_list_page(request: HttpRequest) -> HttpResponse:
    """The entries of the user's organisations, newest quarter first, filtered by quarter and status."""
    user = staff_user(request)
    organisations = drafting_organisations(user)
    filters, chosen = _filters(request, {o.pk for o in organisations})
    entries = list(entry_list(user, filters))
    quarters: dict[Quarter, list[YouSaidEntry]] = {}
    for entry in entries:
        quarters.setdefault(Quarter(entry.quarter_start), []).append(entry)
    groups = [
        {
            "quarter": quarter,
            "entries": rows,
            # issue 12, yswd: the publish page (branch "publish") lives at this address
            "publish": sorted(
                {(e.organisation.name, _publish_url(e)) for e in rows if e.status == EntryStatus.APPROVED}
            ),
        }
        for quarter, rows in quarters.items()
    ]
    context = {
        "groups": groups,
        "organisations": organisations,
        "quarters": you_said.selectable_quarters(timezone.localdate(), count=8),
        "statuses": EntryStatus.choices,
        "chosen": chosen,
        "may_draft": can(user, Capability.DRAFT_YOU_SAID),
        "may_publish": can(user, Capability.APPROVE_YOU_SAID),
    }
    return render(request, "web/you_said/list.html", context)


def _publish_url(entry: YouSaidEntry) -> str:
    """The publish page of an entry's organisation and quarter (built on the branch "publish")."""
    key = Quarter(entry.quarter_start).key
    return f"/work/you-said-we-did/publish/{entry.organisation.short_name}/{key}/"


def _filters(request: HttpRequest, organisations: set[int]) -> tuple[EntryFilters, dict[str, str]]:
    chosen = {name: request.GET.get(name, "").strip() for name in ("organisation", "quarter", "status")}
    organisation = int(chosen["organisation"]) if chosen["organisation"].isdigit() else None
    if organisation not in organisations:
        organisation, chosen["organisation"] = None, ""
    try:
        quarter = Quarter.parse(chosen["quarter"]) if chosen["quarter"] else None
    except ValueError:
        quarter, chosen["quarter"] = None, ""
    status = chosen["status"] if chosen["status"] in EntryStatus.values else None
    chosen["status"] = status or ""
    return EntryFilters(organisation, quarter, EntryStatus(status) if status else None), chosen


def _form(request: HttpRequest, user: User, **kwargs: Any) -> EntryForm:
    organisations = drafting_organisations(user)
    actions = list(learning_actions_of([o.pk for o in organisations]).select_related("organisation"))
    return EntryForm(
        request.POST if request.method == "POST" else None,
        organisations=organisations,
        themes=current_themes(),
        actions=actions,
        **kwargs,
    )


@staff_view(capability=Capability.DRAFT_YOU_SAID)
def new_entry(request: HttpRequest) -> HttpResponse:
    """Draft an entry: kept as a draft even when the check finds personal data (it warns)."""
    user = staff_user(request)
    form = _form(request, user, initial={"quarter": Quarter.containing(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        try:
            entry = you_said.draft_entry(**form.chosen(), actor=user)
        except InvalidInput as refused:
            form.refuse(refused)
        else:
            messages.success(request, "The entry is drafted. A manager who did not draft it approves it.")
            return redirect("web:you-said-entry", entry_id=entry.pk)
    status = 400 if form.errors else 200
    return render(request, "web/you_said/form.html", {"form": form, "entry": None}, status=status)


@staff_view(capability=Capability.DRAFT_YOU_SAID)
def edit_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Change an entry's words or links; an approved entry returns to draft."""
    user = staff_user(request)
    entry = _entry(user, entry_id)
    if entry.status == EntryStatus.WITHDRAWN:
        raise Http404("A withdrawn entry cannot be edited.")
    initial = {
        "organisation": entry.organisation_id,
        "quarter": Quarter(entry.quarter_start),
        "you_said": entry.you_said,
        "we_did": entry.we_did,
        "theme": entry.theme_id,
        "learning_actions": [a.pk for a in entry.learning_actions.all()],
        "complaints": ", ".join(c.reference for c in entry.complaints.all()),
        "version": entry.version,
    }
    form = _form(request, user, initial=initial)
    form.fields["organisation"].disabled = True
    if entry.theme is not None and entry.theme_id not in form.themes:  # a retired theme stays
        form.themes[entry.theme.pk] = entry.theme
        form._choices("theme", [("", "None chosen"), *((pk, t.label) for pk, t in form.themes.items())])
    if request.method == "POST" and form.is_valid():
        chosen = form.chosen()
        del chosen["organisation"]
        try:
            you_said.edit_entry(
                entry, actor=user, expected_version=form.cleaned_data.get("version"), **chosen
            )
        except InvalidInput as refused:
            form.refuse(refused)
        except CaseError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The entry is saved.")
            return redirect("web:you-said-entry", entry_id=entry.pk)
    status = 400 if form.errors else 200
    return render(request, "web/you_said/form.html", {"form": form, "entry": entry}, status=status)


@staff_view(capability=Capability.DRAFT_YOU_SAID)
def entry_page(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = staff_user(request)
    return _entry_page(request, user, _entry(user, entry_id))


def _entry_page(
    request: HttpRequest,
    user: User,
    entry: YouSaidEntry,
    *,
    refusal: str = "",
    found: dict[str, list[privacy.Finding]] | None = None,
    status: int = 200,
) -> HttpResponse:
    if found is None and entry.status == EntryStatus.DRAFT:
        found = you_said.check_entry(entry.you_said, entry.we_did, entry.organisation).by_field()
    found = found or {}
    context = {
        "entry": entry,
        "quarter": Quarter(entry.quarter_start),
        "history": list(entry_history(entry)),
        "you_said_html": privacy.highlight(entry.you_said, found.get("you_said", [])),
        "we_did_html": privacy.highlight(entry.we_did, found.get("we_did", [])),
        "found": privacy.summary([f for field in found.values() for f in field]),
        "refusal": refusal,
        "own": entry.drafted_by_id == user.pk,
        "may_edit": can(user, Capability.DRAFT_YOU_SAID) and entry.status != EntryStatus.WITHDRAWN,
        "may_approve": can(user, Capability.APPROVE_YOU_SAID) and entry.status == EntryStatus.DRAFT,
        "may_withdraw": _may_withdraw(user, entry),
        "approve_form": VersionForm(initial={"version": entry.version}),
    }
    return render(request, "web/you_said/entry.html", context, status=status)


def _may_withdraw(user: User, entry: YouSaidEntry) -> bool:
    if entry.status == EntryStatus.WITHDRAWN:
        return False
    if entry.status == EntryStatus.APPROVED:
        return can(user, Capability.APPROVE_YOU_SAID)
    return can(user, Capability.DRAFT_YOU_SAID)


@staff_view(capability=Capability.APPROVE_YOU_SAID)
def approve_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """Approve: refused for one's own entry, for personal data (highlighted) and for a stale copy."""
    user = staff_user(request)
    entry = _entry(user, entry_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = VersionForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        you_said.approve_entry(entry, user, expected_version=version)
    except you_said.PersonalDataFound as refused:
        return _entry_page(request, user, entry, refusal=refused.message, found=refused.found, status=400)
    except CaseError as refused:
        fresh = _entry(user, entry_id)
        return _entry_page(request, user, fresh, refusal=refused.message, status=409)
    messages.success(request, "The entry is approved. It is published with its quarter.")
    return redirect("web:you-said-entry", entry_id=entry.pk)


@staff_view(capability=Capability.DRAFT_YOU_SAID)
def withdraw_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = staff_user(request)
    entry = _entry(user, entry_id)
    if not _may_withdraw(user, entry):
        raise PermissionDenied("Only a manager withdraws an approved entry.")
    form = WithdrawForm(request.POST or None, initial={"version": entry.version})
    if request.method == "POST" and form.is_valid():
        try:
            you_said.withdraw_entry(
                entry, user, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"]
            )
        except CaseError as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, "The entry is withdrawn. It will not be published.")
            return redirect("web:you-said-entry", entry_id=entry.pk)
    status = 400 if form.errors else 200
    return render(request, "web/you_said/withdraw.html", {"form": form, "entry": entry}, status=status)


def _entry(user: User, entry_id: int) -> YouSaidEntry:
    try:
        return entry_for_user(user, entry_id)
    except NotFound as missing:
        raise Http404(missing.message) from missing


urlpatterns = [
    path("you-said-we-did/", entry_list_page, name="you-said-list"),
    path("you-said-we-did/new/", new_entry, name="you-said-new"),
    path("you-said-we-did/<int:entry_id>/", entry_page, name="you-said-entry"),
    path("you-said-we-did/<int:entry_id>/edit/", edit_entry, name="you-said-edit"),
    path("you-said-we-did/<int:entry_id>/approve/", approve_entry, name="you-said-approve"),
    path("you-said-we-did/<int:entry_id>/withdraw/", withdraw_entry, name="you-said-withdraw"),
]
