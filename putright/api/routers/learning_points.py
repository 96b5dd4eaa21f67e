"""Learning on each point (issue 12): the reference lists and a point's theme, area and cause.

``GET /themes``, ``/service-areas`` and ``/root-causes`` are the lists the
workspace's pickers offer (retired entries included and marked, since old
cases carry them). ``POST /complaints/{reference}/points/{point_id}/learning``
sets a point's theme, service area and root cause through the same service as
the workspace: a field left out stays as it is, ``null`` clears it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright.accounts.models import User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.api.auth import caller
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS
from putright.api.routers.steps.common import RESPONSES, StepIn, take
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.learning import selectors
from putright.learning.models import RootCause, ServiceArea, Theme
from putright.learning.services import UNCHANGED
from putright.learning.services.points import record_point_learning
from putright.procedure.states import Step

router = Router(tags=["Learning"])
steps_router = Router(tags=["Steps"])


class ThemeOut(Schema):
    key: str
    name: str
    label: str = Field(description='The name a person reads: "Repairs: damp and mould" for a sub-theme.')
    parent: str | None = Field(description="The key of the theme above it, for a sub-theme.")
    retired: bool
    merged_into: str | None = Field(
        description="The key of the theme it was merged into; reports count it there."
    )


class ServiceAreaOut(Schema):
    id: int
    name: str
    kind: str
    organisation: str = Field(description="The short name of the organisation it belongs to.")
    retired: bool


class RootCauseOut(Schema):
    key: str
    name: str
    retired: bool


@router.get("/themes", response={200: list[ThemeOut], **READ_ERRORS}, summary="Themes")
def themes(request: HttpRequest) -> list[dict[str, object]]:
    """The theme tree: each top theme followed by its sub-themes, retired ones included."""
    require(caller(request), Capability.VIEW_CASES)
    return [
        {
            "key": t.key,
            "name": t.name,
            "label": t.label,
            "parent": t.parent.key if t.parent else None,
            "retired": not t.is_current,
            "merged_into": t.merged_into.key if t.merged_into else None,
        }
        for t in selectors.themes()
    ]


@router.get("/service-areas", response={200: list[ServiceAreaOut], **READ_ERRORS}, summary="Service areas")
def service_areas(request: HttpRequest) -> list[dict[str, object]]:
    """The departments and contractors of the organisations the caller can see."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    found = ServiceArea.objects.select_related("organisation")
    visible = visible_organisation_ids(user)
    if visible is not None:
        found = found.filter(organisation_id__in=visible)
    return [
        {
            "id": a.pk,
            "name": a.name,
            "kind": a.kind,
            "organisation": a.organisation.short_name,
            "retired": not a.is_current,
        }
        for a in found
    ]


@router.get("/root-causes", response={200: list[RootCauseOut], **READ_ERRORS}, summary="Root causes")
def root_causes(request: HttpRequest) -> list[dict[str, object]]:
    require(caller(request), Capability.VIEW_CASES)
    return [
        {"key": c.key, "name": c.name, "retired": not c.is_current}
        for c in selectors.root_causes(current_only=False)
    ]


class LearningIn(StepIn):
    theme: str | None = Field(None, description="A theme's key; null clears it, left out keeps it.")
    service_area: int | None = Field(
        None, description="A service area's id; null clears it, left out keeps it."
    )
    root_cause: str | None = Field(
        None, description="A root cause's key (upheld or partly upheld points only); null clears it."
    )
    root_cause_note: str | None = Field(None, description="What went wrong, in a sentence or two.")


@steps_router.post(
    "/{reference}/points/{point_id}/learning", response=RESPONSES, summary="Record learning on a point"
)
def record_learning(request: HttpRequest, reference: str, point_id: int, body: LearningIn) -> Status[Any]:
    """Set a point's theme, service area and root cause; each change goes on the timeline."""
    given = body.model_fields_set

    def act(complaint: Complaint, user: User) -> object:
        return record_point_learning(
            complaint,
            point_id=point_id,
            actor=user,
            theme=_theme(body.theme) if "theme" in given else UNCHANGED,
            service_area=_area(body.service_area) if "service_area" in given else UNCHANGED,
            root_cause=_cause(body.root_cause) if "root_cause" in given else UNCHANGED,
            root_cause_note=(body.root_cause_note or "") if "root_cause_note" in given else UNCHANGED,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.RECORD_LEARNING, act)


def _theme(key: str | None) -> Theme | None:
    if key is None:
        return None
    found = Theme.objects.select_related("parent").filter(key=key).first()
    if found is None:
        raise InvalidInput("theme", f"there is no theme {key!r} (see GET /api/v1/themes)")
    return found


def _area(area_id: int | None) -> ServiceArea | None:
    if area_id is None:
        return None
    found = ServiceArea.objects.filter(pk=area_id).first()
    if found is None:
        raise InvalidInput(
            "service_area", f"there is no service area {area_id} (see GET /api/v1/service-areas)"
        )
    return found


def _cause(key: str | None) -> RootCause | None:
    if key is None:
        return None
    found = RootCause.objects.filter(key=key).first()
    if found is None:
        raise InvalidInput("root_cause", f"there is no root cause {key!r} (see GET /api/v1/root-causes)")
    return found
