""" "You said, we did" entries: drafted by staff, approved by a manager who did not draft them.

An approval the personal-data check refuses is answered 422 (``personal-data``) with
each finding (field, start, end, words, kind); approving one's own entry 409
(``own-entry``). ``POST /check`` runs the check on any text, for drafting tools.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.json import dumps
from putright.api.permissions import require
from putright.api.problems import CONTENT_TYPE, READ_ERRORS, STATUS, TITLES, TYPE_BASE, WRITE_ERRORS, Problem
from putright.api.routers.publications import quarter_of
from putright.api.schemas import PersonRef
from putright.cases.errors import InvalidInput, NotFound
from putright.learning import privacy
from putright.learning.models import EntryStatus, LearningAction, Theme, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services import you_said
from putright.learning.you_said_selectors import EntryFilters, entry_for_user, entry_list

router = Router(tags=["You said, we did"])
#: The most /check reads at once: an entry's two texts, with room to spare.
CHECK_LONGEST = 3 * you_said.LONGEST


class FindingOut(Schema):
    field: str = Field(description="Which text: you_said, we_did (or text, for /check).")
    start: int
    end: int
    words: str
    kind: str = Field(description="name, address, postcode, email, phone or reference.")
    label: str


class EntryOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's short name.")
    quarter: str = Field(description="The reporting quarter, e.g. 2026-Q3 (quarters start in April).")
    quarter_label: str
    you_said: str
    we_did: str
    theme: str | None = Field(description="The theme's key.")
    status: EntryStatus
    learning_actions: list[int]
    complaints: list[str]
    drafted_by: PersonRef | None
    drafted_at: dt.datetime
    approved_by: PersonRef | None
    approved_at: dt.datetime | None
    version: int
    findings: list[FindingOut] | None = Field(
        None, description="What the personal-data check finds now (a draft's warning); not in lists."
    )


class EntryIn(Schema):
    organisation: str = Field(description="The organisation's short name.")
    quarter: str = Field(description="e.g. 2026-Q3; this quarter or an earlier one.")
    you_said: str
    we_did: str
    theme: str | None = None
    learning_actions: list[int] = Field(default_factory=list)
    complaints: list[str] = Field(default_factory=list, description="Complaint references.")


class EntryPatch(Schema):
    version: int = Field(description="The version read: a change made meanwhile is not overwritten.")
    quarter: str | None = None
    you_said: str | None = None
    we_did: str | None = None
    theme: str | None = Field(None, description='A theme\'s key; "" to clear it.')
    learning_actions: list[int] | None = None
    complaints: list[str] | None = None


class VersionIn(Schema):
    version: int | None = None


class EntryWithdrawIn(Schema):
    version: int | None = None
    reason: str = ""


class CheckIn(Schema):
    organisation: str
    text: str


class CheckOut(Schema):
    findings: list[FindingOut]
    html: str = Field(description="The text as HTML, each finding in <mark>.")


class EntryQuery(Schema):
    organisation: str | None = None
    quarter: str | None = Field(None, description="e.g. 2026-Q3")
    status: EntryStatus | None = None


class PersonalDataProblem(Problem):
    findings: list[FindingOut] | None = None


APPROVE_ERRORS: dict[int, type[Problem]] = {**WRITE_ERRORS, 422: PersonalDataProblem}


@router.get("/entries", response={200: list[EntryOut], **READ_ERRORS}, summary="List entries")
def list_entries(request: HttpRequest, query: Query[EntryQuery]) -> list[dict[str, Any]]:
    """The entries of the caller's organisations, newest quarter first."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    organisation = _organisation(user, query.organisation, "organisation") if query.organisation else None
    filters = EntryFilters(
        organisation=organisation.pk if organisation else None,
        quarter=quarter_of(query.quarter) if query.quarter else None,
        status=query.status,
    )
    found = entry_list(user, filters).prefetch_related("learning_actions", "complaints")
    return [_entry(item) for item in found]


@router.post("/entries", response={201: EntryOut, **WRITE_ERRORS}, summary="Draft an entry")
def draft(request: HttpRequest, body: EntryIn) -> Status[Any]:
    """A new draft; ``findings`` warns of personal data the approval will refuse."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)

    def run() -> Answer:
        organisation = _organisation(user, body.organisation, "organisation")
        entry = you_said.draft_entry(
            organisation,
            quarter_of(body.quarter),
            body.you_said,
            body.we_did,
            _theme(body.theme),
            _actions(body.learning_actions),
            body.complaints,
            user,
        )
        return 201, _detail(user, entry.pk)

    return run_write(request, run)


@router.get("/entries/{entry_id}", response={200: EntryOut, **READ_ERRORS}, summary="Read an entry")
def read(request: HttpRequest, entry_id: int) -> dict[str, Any]:
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    return _detail(user, entry_id)


@router.patch("/entries/{entry_id}", response={200: EntryOut, **WRITE_ERRORS}, summary="Edit an entry")
def edit(request: HttpRequest, entry_id: int, body: EntryPatch) -> Status[Any]:
    """Change what is given; an approved entry returns to draft."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    entry = entry_for_user(user, entry_id)

    def run() -> Answer:
        given = body.model_dump(exclude_unset=True)
        changes: dict[str, Any] = {}
        if "quarter" in given and body.quarter is not None:
            changes["quarter"] = quarter_of(body.quarter)
        for name in ("you_said", "we_did", "complaints"):
            if name in given and given[name] is not None:
                changes[name] = given[name]
        if "theme" in given:
            changes["theme"] = _theme(body.theme)
        if "learning_actions" in given and body.learning_actions is not None:
            changes["learning_actions"] = _actions(body.learning_actions)
        you_said.edit_entry(entry, actor=user, expected_version=body.version, **changes)
        return 200, _detail(user, entry_id)

    return run_write(request, run)


@router.post(
    "/entries/{entry_id}/approve", response={200: EntryOut, **APPROVE_ERRORS}, summary="Approve an entry"
)
def approve(request: HttpRequest, entry_id: int, body: VersionIn) -> Status[Any] | HttpResponse:
    """Approve another's entry: 422 ``personal-data`` with the findings, 409 ``own-entry`` for one's own.

    A refusal by the check is kept on the entry's history (and replayed for the same Idempotency-Key).
    """
    user = caller(request)
    require(user, Capability.APPROVE_YOU_SAID)
    entry = entry_for_user(user, entry_id)

    def run() -> Answer:
        try:
            you_said.approve_entry(entry, user, expected_version=body.version)
        except you_said.PersonalDataFound as refused:
            findings = _findings(refused.found)
            problem = _problem(request, "personal-data", refused.message, findings=findings)
            return STATUS["personal-data"], problem
        return 200, _detail(user, entry_id)

    answer = run_write(request, run)
    if answer.status_code >= 400:
        return HttpResponse(dumps(answer.value), status=answer.status_code, content_type=CONTENT_TYPE)
    return answer


@router.post(
    "/entries/{entry_id}/withdraw", response={200: EntryOut, **WRITE_ERRORS}, summary="Withdraw an entry"
)
def withdraw(request: HttpRequest, entry_id: int, body: EntryWithdrawIn) -> Status[Any]:
    """Never published; an approved entry is withdrawn only by a role that approves."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    entry = entry_for_user(user, entry_id)

    def run() -> Answer:
        you_said.withdraw_entry(entry, user, reason=body.reason, expected_version=body.version)
        return 200, _detail(user, entry_id)

    return run_write(request, run)


@router.post("/check", response={200: CheckOut, **READ_ERRORS}, summary="Check words for personal data")
def check(request: HttpRequest, body: CheckIn) -> dict[str, Any]:
    """What the personal-data check finds in a text, for the organisation's people: changes nothing."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    organisation = _organisation(user, body.organisation, "organisation")
    if len(body.text) > CHECK_LONGEST:
        raise InvalidInput("text", f"check at most {CHECK_LONGEST} characters at a time")
    found = privacy.findings(body.text, organisation)
    return {"findings": _findings({"text": found}), "html": str(privacy.highlight(body.text, found))}


def _problem(request: HttpRequest, kind: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + kind,
        "title": TITLES[kind],
        "status": STATUS[kind],
        "detail": detail,
        "instance": request.path,
        **extra,
    }


def _findings(found: dict[str, list[privacy.Finding]]) -> list[dict[str, Any]]:
    return [{"field": field, **finding.as_dict()} for field, items in found.items() for finding in items]


def _organisation(user: User, short_name: str, field: str) -> Organisation:
    visible = visible_organisation_ids(user)
    found = Organisation.objects.filter(short_name=short_name).first()
    if found is None or (visible is not None and found.pk not in visible):
        raise NotFound(f"No organisation {short_name!r} of yours.")
    return found


def _theme(key: str | None) -> Theme | None:
    if not key:
        return None
    found = Theme.objects.select_related("parent").filter(key=key).first()
    if found is None:
        raise InvalidInput("theme", f"no theme {key!r}")
    return found


def _actions(ids: list[int]) -> list[LearningAction]:
    found = {a.pk: a for a in LearningAction.objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise InvalidInput("learning_actions", f"no learning action {missing[0]}")
    return [found[pk] for pk in ids]


def _detail(user: User, entry_id: int) -> dict[str, Any]:
    entry = entry_for_user(user, entry_id)
    found = None
    if entry.status == EntryStatus.DRAFT:
        check = you_said.check_entry(entry.you_said, entry.we_did, entry.organisation)
        found = _findings(check.by_field())
    return _entry(entry, findings=found)


def _entry(item: YouSaidEntry, findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    quarter = Quarter(item.quarter_start)
    return {
        "id": item.pk,
        "organisation": item.organisation.short_name,
        "quarter": quarter.key,
        "quarter_label": quarter.label,
        "you_said": item.you_said,
        "we_did": item.we_did,
        "theme": item.theme.key if item.theme else None,
        "status": item.status,
        "learning_actions": sorted(a.pk for a in item.learning_actions.all()),
        "complaints": sorted(c.reference for c in item.complaints.all()),
        "drafted_by": presenters.person(item.drafted_by),
        "drafted_at": item.drafted_at,
        "approved_by": presenters.person(item.approved_by),
        "approved_at": item.approved_at,
        "version": item.version,
        "findings": findings,
    }
