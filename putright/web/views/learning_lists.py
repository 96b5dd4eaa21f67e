"""The learning lists, for administrators: themes, root causes and each organisation's service areas.

One page (``/work/lists/``) shows each list with what can be done to it: add,
rename, retire or bring back, and merge one theme into another. Every form posts
back to the page with what it does (``do``); each calls one service of
``learning.services.lists``, which writes the audit event. A refusal is shown at
the top of the page with the Design System's error summary, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.cases.errors import InvalidInput
from putright.cases.selectors.customers import visible_organisations
from putright.learning import selectors
from putright.learning.models import RootCause, ServiceArea, ServiceAreaKind, Theme
from putright.learning.services import lists
from putright.web.access import staff_user, staff_view


@staff_view(Capability.MANAGE_LEARNING_LISTS)
def learning_lists(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    error: InvalidInput | None = None
    if request.method == "POST":
        try:
            done = _act(request.POST, user)
        except InvalidInput as refused:
            error = refused
        else:
            messages.success(request, done)
            return redirect("web:learning-lists")
    return render(
        request,
        "web/learning_lists/lists.html",
        {**_lists(user), "error": error, "posted": request.POST if error else {}},
        status=400 if error else 200,
    )


def _lists(user: User) -> dict[str, Any]:
    themes = selectors.themes()
    organisations = visible_organisations(user)
    areas = selectors.areas_of(organisations)
    return {
        "themes": themes,
        "top_themes": [t for t in themes if t.parent_id is None and t.is_current],
        "current_themes": [t for t in themes if t.is_current],
        "root_causes": selectors.root_causes(current_only=False),
        "organisations": [(o, [a for a in areas if a.organisation_id == o.pk]) for o in organisations],
        "area_kinds": ServiceAreaKind.choices,
        "recent": selectors.recent_list_changes(),
    }


def _one(model: Any, value: str | None, field: str) -> Any:
    try:
        found = model.objects.filter(pk=int(value or "")).first()
    except ValueError:
        found = None
    if found is None:
        raise InvalidInput(field, "choose one from the list")
    return found


def _maybe_theme(value: str | None) -> Theme | None:
    return _one(Theme, value, "parent") if value else None


def _act(data: Any, user: User) -> str:
    do = data.get("do", "")
    name = data.get("name", "")
    actions: dict[str, Callable[[], str]] = {
        "add-theme": lambda: _said(
            "Theme added", lists.add_theme(name, parent=_maybe_theme(data.get("parent")), actor=user).label
        ),
        "rename-theme": lambda: _said(
            "Theme renamed", lists.rename_theme(_one(Theme, data.get("id"), "id"), name, actor=user).label
        ),
        "retire-theme": lambda: _said(
            "Theme retired", lists.retire_theme(_one(Theme, data.get("id"), "id"), actor=user).label
        ),
        "unretire-theme": lambda: _said(
            "Theme brought back",
            lists.retire_theme(_one(Theme, data.get("id"), "id"), actor=user, retired=False).label,
        ),
        "merge-theme": lambda: _merged(
            lists.merge_theme(
                _one(Theme, data.get("source"), "source"),
                _one(Theme, data.get("target"), "target"),
                actor=user,
            )
        ),
        "add-root-cause": lambda: _said("Root cause added", lists.add_root_cause(name, actor=user).name),
        "rename-root-cause": lambda: _said(
            "Root cause renamed",
            lists.rename_root_cause(_one(RootCause, data.get("id"), "id"), name, actor=user).name,
        ),
        "retire-root-cause": lambda: _said(
            "Root cause retired",
            lists.retire_root_cause(_one(RootCause, data.get("id"), "id"), actor=user).name,
        ),
        "unretire-root-cause": lambda: _said(
            "Root cause brought back",
            lists.retire_root_cause(_one(RootCause, data.get("id"), "id"), actor=user, retired=False).name,
        ),
        "add-service-area": lambda: _said(
            "Service area added",
            lists.add_service_area(
                _own_organisation(user, data.get("organisation")),
                name,
                kind=data.get("kind", ServiceAreaKind.DEPARTMENT),
                actor=user,
            ).name,
        ),
        "rename-service-area": lambda: _said(
            "Service area changed",
            lists.change_service_area(
                _own_area(user, data.get("id")), name=name, kind=data.get("kind") or None, actor=user
            ).name,
        ),
        "retire-service-area": lambda: _said(
            "Service area retired",
            lists.retire_service_area(_own_area(user, data.get("id")), actor=user).name,
        ),
        "unretire-service-area": lambda: _said(
            "Service area brought back",
            lists.retire_service_area(_own_area(user, data.get("id")), actor=user, retired=False).name,
        ),
    }
    if do not in actions:
        raise InvalidInput("do", "choose what to do")
    return actions[do]()


def _own_organisation(user: User, value: str | None) -> Organisation:
    found: Organisation = _one(Organisation, value, "organisation")
    if found not in visible_organisations(user):
        raise InvalidInput("organisation", "choose one from the list")
    return found


def _own_area(user: User, value: str | None) -> ServiceArea:
    found: ServiceArea = _one(ServiceArea, value, "id")
    visible = visible_organisation_ids(user)
    if visible is not None and found.organisation_id not in visible:
        raise InvalidInput("id", "choose one from the list")
    return found


def _said(what: str, name: str) -> str:
    return f"{what}: “{name}”."


def _merged(source: Theme) -> str:
    target = source.merged_into
    return f"“{source.label}” merged into “{target.label if target else ''}”: reports count its cases there."


urlpatterns = [path("lists/", learning_lists, name="learning-lists")]
