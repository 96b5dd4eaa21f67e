"""Learning actions: a lesson from complaints and the change it leads to, owned, dated and done with evidence.

Read by anyone who may see cases (those of their organisations); created,
changed, linked and completed by a role that manages learning actions. A
change takes the ``version`` that was read and is refused with 409 if the
action has changed since.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.api.schemas import PersonRef
from putright.cases.errors import InvalidInput
from putright.cases.selectors.complaints import complaint_for_user
from putright.learning import action_selectors as selectors
from putright.learning.models import ChangeKind, LearningAction, Theme
from putright.learning.services import lessons

router = Router(tags=["Learning actions"])

Status_ = Literal["open", "overdue", "done"]


class LearningActionOut(Schema):
    id: int
    version: int
    organisation: str
    lesson: str
    change: str
    change_kind: str
    owner: PersonRef | None
    due_on: dt.date
    status: str = Field(description="open, overdue (its date has passed) or done")
    themes: list[str] = Field(description="Theme keys.")
    complaints: int = Field(description="How many complaints are linked.")
    completed_at: dt.datetime | None
    evidence: str


class LinkOut(Schema):
    reference: str
    linked_at: dt.datetime


class HistoryOut(Schema):
    kind: str
    occurred_at: dt.datetime
    actor: str
    summary: str
    data: dict[str, Any]


class LearningActionDetail(LearningActionOut):
    linked: list[LinkOut]
    completed_by: PersonRef | None
    history: list[HistoryOut]


class LearningActionPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[LearningActionOut]


class LearningActionQuery(Schema):
    status: Status_ | None = None
    organisation: str | None = Field(None, description="An organisation's short name.")
    owner: str | None = Field(None, description="A username.")
    theme: str | None = Field(None, description="A theme key (a parent theme takes in its sub-themes).")
    change_kind: ChangeKind | None = None
    page: int = Field(1, ge=1)


class LearningActionIn(Schema):
    organisation: str = Field(description="The organisation's short name.")
    lesson: str = Field(description="What went wrong, for more than this one customer.")
    change: str = Field(description="The change to make.")
    change_kind: ChangeKind
    owner: str = Field(description="The username of the member of staff who owns the change.")
    due_on: dt.date
    themes: list[str] = Field(default_factory=list, description="Theme keys.")
    complaints: list[str] = Field(default_factory=list, description="References of the complaints behind it.")


class LearningActionPatch(Schema):
    version: int = Field(description="The version read: a change on a stale copy is refused.")
    lesson: str | None = None
    change: str | None = None
    change_kind: ChangeKind | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    themes: list[str] | None = None


class LinkIn(Schema):
    reference: str


class CompleteIn(Schema):
    version: int
    evidence: str = Field(description="What shows the change was made.")
    completed_on: dt.date | None = Field(None, description="Default: today.")


@router.get("", response={200: LearningActionPage, **READ_ERRORS}, summary="List learning actions")
def list_actions(request: HttpRequest, query: Query[LearningActionQuery]) -> dict[str, object]:
    """Learning actions of the caller's organisations, soonest due first, 50 a page."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    filters = selectors.ActionFilters(
        status=query.status,
        organisation=_organisation(user, query.organisation).pk if query.organisation else None,
        owner=_owner_id(query.owner),
        theme=_theme(query.theme).pk if query.theme else None,
        change_kind=query.change_kind.value if query.change_kind else None,
    )
    today = timezone.localdate()
    found = selectors.action_list(user, filters, today)
    size = selectors.PAGE_SIZE
    start = (query.page - 1) * size
    page = list(found[start : start + size])
    return {
        "count": found.count(),
        "page": query.page,
        "page_size": size,
        "results": [present(a, today) for a in page],
    }


@router.post("", response={201: LearningActionDetail, **WRITE_ERRORS}, summary="Create a learning action")
def create_action(request: HttpRequest, body: LearningActionIn) -> Status[Any]:
    user = caller(request)
    require(user, Capability.MANAGE_LEARNING_ACTIONS)

    def act() -> Answer:
        organisation = _organisation(user, body.organisation)
        action = lessons.create_learning_action(
            organisation,
            lesson=body.lesson,
            change=body.change,
            change_kind=body.change_kind.value,
            owner=_owner(body.owner, organisation),
            due_on=body.due_on,
            themes=[_theme(key) for key in body.themes],
            complaints=[complaint_for_user(user=user, reference=ref) for ref in body.complaints],
            actor=user,
        )
        return 201, _detail(user, action.pk)

    return run_write(request, act)


@router.get(
    "/{learning_action_id}",
    response={200: LearningActionDetail, **READ_ERRORS},
    summary="Read a learning action",
)
def get_action(request: HttpRequest, learning_action_id: int) -> dict[str, object]:
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    return _detail(user, learning_action_id)


@router.patch(
    "/{learning_action_id}",
    response={200: LearningActionDetail, **WRITE_ERRORS},
    summary="Change a learning action",
)
def edit_action(request: HttpRequest, learning_action_id: int, body: LearningActionPatch) -> Status[Any]:
    user = caller(request)
    require(user, Capability.MANAGE_LEARNING_ACTIONS)
    action = selectors.action_detail(user, learning_action_id)
    given = body.model_fields_set - {"version"}
    changes: dict[str, Any] = {}
    for name in given & {"lesson", "change"}:
        changes[name] = getattr(body, name) or ""
    if "change_kind" in given:
        changes["change_kind"] = body.change_kind.value if body.change_kind else ""
    if "owner" in given:
        changes["owner"] = _owner(body.owner or "", action.organisation)
    if "due_on" in given:
        changes["due_on"] = body.due_on
    if "themes" in given:
        changes["themes"] = [_theme(key) for key in body.themes or []]

    def act() -> Answer:
        lessons.edit_learning_action(action, expected_version=body.version, actor=user, **changes)
        return 200, _detail(user, action.pk)

    return run_write(request, act)


@router.post(
    "/{learning_action_id}/complaints",
    response={200: LearningActionDetail, **WRITE_ERRORS},
    summary="Link a complaint",
)
def link(request: HttpRequest, learning_action_id: int, body: LinkIn) -> Status[Any]:
    """Link a complaint behind the lesson; linking it again changes nothing."""
    user = caller(request)
    require(user, Capability.MANAGE_LEARNING_ACTIONS)
    action = selectors.action_detail(user, learning_action_id)

    def act() -> Answer:
        complaint = complaint_for_user(user=user, reference=body.reference)
        lessons.link_complaint(action, complaint, actor=user)
        return 200, _detail(user, action.pk)

    return run_write(request, act)


@router.delete(
    "/{learning_action_id}/complaints/{reference}",
    response={200: LearningActionDetail, **WRITE_ERRORS},
    summary="Unlink a complaint",
)
def unlink(request: HttpRequest, learning_action_id: int, reference: str) -> Status[Any]:
    user = caller(request)
    complaint = complaint_for_user(user=user, reference=reference)  # not found first, as for every case
    require(user, Capability.MANAGE_LEARNING_ACTIONS)
    action = selectors.action_detail(user, learning_action_id)

    def act() -> Answer:
        if not lessons.unlink_complaint(action, complaint, actor=user):
            raise lessons.NotLinked(complaint.reference)
        return 200, _detail(user, action.pk)

    return run_write(request, act)


@router.post(
    "/{learning_action_id}/complete",
    response={200: LearningActionDetail, **WRITE_ERRORS},
    summary="Complete a learning action",
)
def complete(request: HttpRequest, learning_action_id: int, body: CompleteIn) -> Status[Any]:
    """The change was made: say when, and what shows it. Each linked complaint's timeline says so."""
    user = caller(request)
    require(user, Capability.MANAGE_LEARNING_ACTIONS)
    action = selectors.action_detail(user, learning_action_id)

    def act() -> Answer:
        lessons.complete_learning_action(
            action,
            evidence=body.evidence,
            completed_on=body.completed_on,
            actor=user,
            expected_version=body.version,
        )
        return 200, _detail(user, action.pk)

    return run_write(request, act)


# --- presenting ----------------------------------------------------------------------------------


def _person(user: User | None) -> dict[str, str] | None:
    return None if user is None else {"username": user.username, "name": str(user)}


def present(action: LearningAction, today: dt.date) -> dict[str, Any]:
    """One action as a list shows it (loaded by ``action_list``: themes prefetched, ``linked`` counted)."""
    return {
        "id": action.pk,
        "version": action.version,
        "organisation": action.organisation.short_name,
        "lesson": action.lesson,
        "change": action.change,
        "change_kind": action.change_kind,
        "owner": _person(action.owner),
        "due_on": action.due_on,
        "status": lessons.status_of(action, today),
        "themes": [t.key for t in action.themes.all()],
        "complaints": action.linked if hasattr(action, "linked") else len(action.links.all()),
        "completed_at": action.completed_at,
        "evidence": action.evidence,
    }


def _detail(user: User, learning_action_id: int) -> dict[str, Any]:
    action = selectors.action_detail(user, learning_action_id)
    return {
        **present(action, timezone.localdate()),
        "linked": [
            {"reference": link.complaint.reference, "linked_at": link.linked_at}
            for link in action.links.all()
        ],
        "completed_by": _person(action.completed_by),
        "history": [
            {
                "kind": event.get_kind_display(),
                "occurred_at": event.occurred_at,
                "actor": str(event.actor) if event.actor else "putright",
                "summary": event.summary,
                "data": event.data,
            }
            for event in action.events.all()
        ],
    }


# --- names to records ----------------------------------------------------------------------------


def _organisation(user: User, short_name: str) -> Organisation:
    found = next((o for o in selectors.organisations_for(user) if o.short_name == short_name), None)
    if found is None:
        raise InvalidInput("organisation", f"no organisation of yours is called {short_name!r}")
    return found


def _owner(username: str, organisation: Organisation) -> User:
    """The member of staff named; an unknown username is refused in the words the service uses for
    staff of another organisation, so the answer never tells whether a username exists elsewhere."""
    found = User.objects.filter(username=username).first()
    if found is None:
        raise InvalidInput("owner", f"{username!r} is not active staff of {organisation.name} or its group")
    return found


def _owner_id(username: str | None) -> int | None:
    if not username:
        return None
    found = User.objects.filter(username=username).values_list("pk", flat=True).first()
    return found or -1


def _theme(key: str) -> Theme:
    found = Theme.objects.filter(key=key).first()
    if found is None:
        raise InvalidInput("themes", f"no theme {key!r}")
    return found
