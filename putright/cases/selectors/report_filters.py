"""issue 13, dash: the complaint list's filters behind the reports dashboard's figures.

Each figure on the dashboard counts complaints, and links to the complaint list with
these filters, so the number on the dashboard and the rows of the list always agree:
both read the same conditions, each an EXISTS on an indexed foreign key or a column of
the complaint. ``cases`` never imports ``learning`` (it sits above), so themes, service
areas and remedies are reached by their reverse relations, by name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from putright.cases.models import Complaint, Deadline, Extension, Point, PointOutcome, Stage

if TYPE_CHECKING:
    from putright.cases.selectors.complaints import ComplaintFilters

#: ``extended``: any extension, only ones within the policy, or one needing a good reason.
EXTENSION_FILTERS = {
    "any": "Any extension",
    "within": "Extended within the policy",
    "beyond": "Extended beyond the policy (a good reason given)",
}

#: ``met``: of the deadline named, met by its date or after it.
MET_FILTERS = {"on_time": "Met on time", "late": "Met late"}

#: The deadlines ``met_deadline`` names, with the extended response counted as the response.
MET_DEADLINES = {
    "stage1.contact": "Stage 1 first contact",
    "stage1.response": "Stage 1 response",
    "stage2.contact": "Stage 2 first contact",
    "stage2.response": "Stage 2 response",
}


def themed(key: str, prefix: str = "") -> Q:
    """A point (reached through ``prefix``) whose theme is ``key`` or was merged into it."""
    return (
        Q(**{f"{prefix}learning__theme__key": key})
        | Q(**{f"{prefix}learning__theme__merged_into__key": key})
        | Q(**{f"{prefix}learning__theme__merged_into__merged_into__key": key})
    )


def deadline_names(name: str) -> list[str]:
    """``stage1.response`` and its extended form ``stage1.extended_response``."""
    stage, _, kind = name.partition(".")
    return [name, f"{stage}.extended_{kind}"] if kind == "response" else [name]


def report_conditions(filters: ComplaintFilters) -> Q:
    """The dashboard's filters (``repeat`` is applied by ``complaint_list`` over the rest)."""
    q = Q()
    if filters.channel:
        q &= Q(channel=filters.channel)
    if filters.stage_reached is not None:
        q &= Q(stage__gte=filters.stage_reached)
    if filters.exclusion_reason:
        q &= Q(exclusion_reason=filters.exclusion_reason)
    if filters.stock_type:
        q &= Q(stock_type="" if filters.stock_type == "none" else filters.stock_type)
    if filters.final_response is not None:
        q &= Q(final_response_at__isnull=not filters.final_response)
    if filters.outcome:
        q &= Q(Exists(_outcomes(filters)))
    if filters.service_area is not None:
        q &= Q(
            Exists(
                Point.objects.filter(complaint=OuterRef("pk"), learning__service_area_id=filters.service_area)
            )
        )
    if filters.has_remedy is not None:
        q &= _remedy(filters)
    if filters.extended:
        q &= Q(Exists(_extensions(filters.extended)))
    if filters.acknowledged is not None:
        acked = Stage.objects.filter(
            complaint=OuterRef("pk"), number=filters.acknowledged, acknowledged_at__isnull=False
        )
        q &= Q(Exists(acked))
    if filters.met_deadline:
        q &= Q(Exists(_met(filters.met_deadline, filters.met)))
    return q


def _outcomes(filters: ComplaintFilters) -> QuerySet[Any]:
    """A point of the complaint given the outcome (at the stage, and with the theme, if asked):
    the same point, so "upheld" with a theme counts what the dashboard's theme row counts."""
    found = PointOutcome.objects.filter(point__complaint=OuterRef("pk"), outcome=filters.outcome)
    if filters.outcome_stage is not None:
        found = found.filter(response__stage__number=filters.outcome_stage)
    if filters.theme:
        found = found.filter(themed(filters.theme, "point__"))
    return found


def _remedy(filters: ComplaintFilters) -> Q:
    """A remedy offered on the complaint; with a theme, on a point of that theme."""
    if filters.theme and filters.has_remedy:
        on_point = Point.objects.filter(
            themed(filters.theme), complaint=OuterRef("pk"), remedies__isnull=False
        )
        return Q(Exists(on_point))
    any_remedy = Exists(Complaint.objects.filter(pk=OuterRef("pk"), remedies__isnull=False))
    return Q(any_remedy) if filters.has_remedy else ~Q(any_remedy)


def _extensions(kind: str) -> QuerySet[Any]:
    found = Extension.objects.filter(stage__complaint=OuterRef("pk"))
    if kind == "within":
        return found.filter(good_reason="")
    if kind == "beyond":
        return found.exclude(good_reason="")
    return found


def _met(name: str, met: str | None) -> QuerySet[Any]:
    found = Deadline.objects.filter(
        complaint=OuterRef("pk"), name__in=deadline_names(name), met_at__isnull=False
    )
    if met == "on_time":
        return found.filter(met_at__lte=F("due_at"))
    if met == "late":
        return found.filter(met_at__gt=F("due_at"))
    return found
