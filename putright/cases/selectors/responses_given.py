"""The responses given in a period: whether each upheld a point, and whether it was on time.

One definition shared by the quarterly figures ("You said, we did") and the complaint
list's filters behind them, so a figure and the list it links to always agree.

On time means given by the end of the response deadline *the policy allows*: the
deadline set when the stage opened, moved by each extension agreed within the
policy's limit (one recorded without a good reason). An extension beyond the policy
(one that needed a good reason) is recorded and honoured with the customer, but a
response after the policy's own date is counted as late.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from putright.accounts.models import Organisation
from putright.cases.models import Deadline, Extension, Point, PointOutcome, Response, ResponseKind, Stage
from putright.cases.selectors.outcomes import UPHELD

if TYPE_CHECKING:
    from putright.cases.selectors.complaints import ComplaintFilters

#: The outcomes that count as "upheld or partly upheld".

#: The stages whose responses are counted (the appeal's decision is not a response deadline).
RESPONSE_STAGES = (1, 2)


def policy_due(stage_ref: str = "stage_id") -> Coalesce:
    """The response deadline the policy allows for the stage at ``OuterRef(stage_ref)``: the last
    extension agreed within the policy, else the deadline as first set."""
    within = (
        Extension.objects.filter(stage=OuterRef(stage_ref), good_reason="")
        .order_by("-number")
        .values("new_due_at")[:1]
    )
    first = Deadline.objects.filter(stage=OuterRef(stage_ref), name__endswith=".response").values(
        "original_due_at"
    )[:1]
    return Coalesce(Subquery(within), Subquery(first))


def upheld_exists(response_ref: str = "pk") -> Exists:
    """Whether the response at ``OuterRef(response_ref)`` upheld or partly upheld a point."""
    return Exists(PointOutcome.objects.filter(response=OuterRef(response_ref), outcome__in=UPHELD))


def responses_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Response]:
    """Stage 1 and stage 2 responses given from ``start`` up to (not including) ``end``, each
    annotated with ``upheld`` (bool) and ``due`` (the policy's deadline)."""
    return Response.objects.filter(
        kind=ResponseKind.RESPONSE,
        stage__number__in=RESPONSE_STAGES,
        occurred_at__gte=start,
        occurred_at__lt=end,
    ).annotate(upheld=upheld_exists(), due=policy_due())


def on_time() -> Q:
    """On a queryset from ``responses_between``: the responses given by the policy's deadline."""
    return Q(occurred_at__lte=F("due"))


def stage2_requests_between(start: dt.datetime, end: dt.datetime) -> QuerySet[Stage]:
    """Stage 2 reviews asked for from ``start`` up to ``end``."""
    return Stage.objects.filter(number=2, opened_at__gte=start, opened_at__lt=end)


def organisations_under(organisation_id: int) -> list[int]:
    """The organisation's id and those of every organisation below it (its subsidiaries, theirs, and
    so on), in one query whatever the depth."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Organisation.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = [organisation_id], [organisation_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def _start_of(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


def _range(start: dt.date | None, end: dt.date | None, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Midnight (local time) at the start of ``start`` to midnight after ``end`` (both days included)."""
    return (
        _start_of(start or dt.date(1900, 1, 1), tz),
        _start_of((end or dt.date(9999, 12, 30)) + dt.timedelta(days=1), tz),
    )


#: The complaint list's ``response`` filter: which of the responses given in the dates.
RESPONSE_FILTERS = {
    "upheld": "Upheld or partly upheld a point",
    "on_time": "Given on time",
    "late": "Given late",
}


def figure_conditions(filters: ComplaintFilters, tz: dt.tzinfo) -> Q:
    """The complaint list's filters behind the quarterly figures, each an EXISTS on an index."""
    q = Q()
    if filters.within:
        top = (
            Organisation.objects.filter(short_name__iexact=filters.within)
            .values_list("pk", flat=True)
            .first()
        )
        q &= Q(organisation_id__in=organisations_under(top) if top is not None else [])
    if filters.responded_from or filters.responded_to or filters.response:
        given = responses_between(*_range(filters.responded_from, filters.responded_to, tz))
        if filters.response == "upheld":
            given = given.filter(Q(upheld=True))
        elif filters.response == "on_time":
            given = given.filter(on_time())
        elif filters.response == "late":
            given = given.exclude(on_time())
        q &= Q(Exists(given.filter(stage__complaint=OuterRef("pk"))))
    if filters.escalated_from or filters.escalated_to:
        asked = stage2_requests_between(*_range(filters.escalated_from, filters.escalated_to, tz))
        q &= Q(Exists(asked.filter(complaint=OuterRef("pk"))))
    if filters.theme:
        # By name through the reverse relation: cases never imports learning.
        key = filters.theme
        themed = (
            Q(learning__theme__key=key)
            | Q(learning__theme__merged_into__key=key)
            | Q(learning__theme__merged_into__merged_into__key=key)
        )
        q &= Q(Exists(Point.objects.filter(themed, complaint=OuterRef("pk"))))
    return q
