"""Reading complaints for a member of staff: scoped to their organisations, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from putright.accounts.models import Role, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.errors import CaseNotFound
from putright.cases.models import (
    Action,
    Attachment,
    Complaint,
    Concern,
    ConcernStatus,
    Deadline,
    Point,
    PointOutcome,
    ReasonableAdjustment,
    Restriction,
    Stage,
    TimelineEvent,
)
from putright.cases.references import normalise
from putright.cases.selectors.lists import Listed, of_complaint, of_customer, prefetch, probes, through
from putright.cases.selectors.report_filters import report_conditions  # issue 13, dash
from putright.cases.selectors.responses_given import figure_conditions
from putright.cases.selectors.search import text_matches  # issue 16, search
from putright.cases.selectors.workload import members_of, of_team
from putright.procedure.states import OPEN


def complaints_for(user: User) -> QuerySet[Complaint]:
    """Every complaint the user may see: none outside their organisations, and for a member of
    the appeal panel (who may be a resident) only complaints that reached the appeal."""
    organisations = visible_organisation_ids(user)
    complaints = Complaint.objects.all()
    if organisations is not None:
        complaints = complaints.filter(organisation_id__in=organisations)
    if user.role == Role.PANEL_MEMBER:
        complaints = complaints.filter(stage=3)
    return complaints


def complaint_for_user(*, user: User, reference: str) -> Complaint:
    """One complaint by reference, or CaseNotFound: whether it exists elsewhere is not said."""
    normal = normalise(reference)
    found = (
        complaints_for(user)
        .select_related("organisation", "policy", "owner")
        .filter(reference=normal)
        .first()
        if normal
        else None
    )
    if found is None:
        raise CaseNotFound(reference)
    return found


@dataclass(frozen=True)
class ComplaintFilters:
    organisation: str | None = None
    state: str | None = None
    stage: int | None = None
    owner: str | None = None
    overdue: bool | None = None
    due_before: dt.date | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    category: str | None = None
    q: str | None = None
    #: The team's id (names repeat across organisations).
    team: int | None = None
    #: Only cases still open (any state in procedure.states.OPEN), or only finished ones.
    is_open: bool | None = None
    #: Flags: an open safeguarding or health and safety concern, a restriction in force on the
    #: customer, reasonable adjustments for the customer, a representative acting for them.
    has_concern: bool | None = None
    has_restriction: bool | None = None
    has_adjustments: bool | None = None
    has_representative: bool | None = None
    #: Free text also over staff notes: contact summaries and the triage note.
    search_notes: bool = False
    # issue 12, publish: the filters behind the quarterly figures ("You said, we did").
    #: An organisation's short name: its complaints and those of the organisations below it.
    within: str | None = None
    #: A stage 1 or 2 response given between the dates; of those, only ones that upheld or partly
    #: upheld a point ("upheld"), or were given by the policy's deadline ("on_time") or after ("late").
    responded_from: dt.date | None = None
    responded_to: dt.date | None = None
    response: str | None = None
    #: A stage 2 review asked for between the dates.
    escalated_from: dt.date | None = None
    escalated_to: dt.date | None = None
    #: A theme's key: a point with that theme, or with a theme merged into it.
    theme: str | None = None
    # issue 13, dash: the filters behind the reports dashboard (cases.selectors.report_filters).
    channel: str | None = None
    #: Reached at least this stage (1, 2 or 3, the appeal).
    stage_reached: int | None = None
    exclusion_reason: str | None = None
    #: "lcra", "lcho" or "none" (not about a home we own).
    stock_type: str | None = None
    final_response: bool | None = None
    #: A point given this outcome (at ``outcome_stage`` when set; on a point of ``theme`` when set).
    outcome: str | None = None
    outcome_stage: int | None = None
    #: A point for this service area (its id).
    service_area: int | None = None
    #: A remedy offered (on a point of ``theme`` when set), or none.
    has_remedy: bool | None = None
    #: "any", "within" or "beyond" the policy (report_filters.EXTENSION_FILTERS).
    extended: str | None = None
    #: The stage (1 or 2) acknowledged.
    acknowledged: int | None = None
    #: A deadline met ("stage1.response", ...); ``met`` "on_time" or "late".
    met_deadline: str | None = None
    met: str | None = None
    #: The customer made another complaint received in the same dates.
    repeat: bool = False


SORTS = {
    "next_deadline": (F("next_due_at").asc(nulls_last=True), "pk"),
    "-next_deadline": (F("next_due_at").desc(nulls_last=True), "-pk"),
    "-received_at": (F("received_at").desc(), "-pk"),
    "received_at": (F("received_at").asc(), "pk"),
    "reference": (F("reference").asc(),),
    "-reference": (F("reference").desc(),),
    "customer": (F("customer__last_name").asc(), F("customer__first_name").asc(), "pk"),
    "-customer": (F("customer__last_name").desc(), F("customer__first_name").desc(), "-pk"),
    "owner": (F("owner__last_name").asc(nulls_last=True), F("owner__first_name").asc(nulls_last=True), "pk"),
    "-owner": (
        F("owner__last_name").desc(nulls_last=True),
        F("owner__first_name").desc(nulls_last=True),
        "-pk",
    ),
}


def complaint_list(
    *, user: User, filters: ComplaintFilters, sort: str, now: dt.datetime, tz: dt.tzinfo
) -> QuerySet[Complaint]:
    """The complaints the user may see, filtered and sorted (stable: ties broken by id)."""
    complaints = complaints_for(user).select_related("organisation", "customer", "owner")
    complaints = complaints.filter(_conditions(filters, now, tz))
    if filters.repeat:
        complaints = complaints.filter(customer_id__in=_repeat_customers(complaints))
    return complaints.order_by(*SORTS[sort])


def _conditions(filters: ComplaintFilters, now: dt.datetime, tz: dt.tzinfo) -> Q:
    q = Q()
    if filters.organisation:
        q &= Q(organisation__short_name__iexact=filters.organisation)
    if filters.state:
        q &= Q(state=filters.state)
    if filters.stage is not None:
        q &= Q(stage=filters.stage)
    if filters.owner:
        q &= Q(owner__username=filters.owner)
    if filters.category:
        q &= Q(category=filters.category)
    if filters.received_from:
        q &= Q(received_at__gte=_start_of(filters.received_from, tz))
    if filters.received_to:
        q &= Q(received_at__lt=_start_of(filters.received_to + dt.timedelta(days=1), tz))
    # The nearest open deadline is stored on the complaint: an open deadline falls before a
    # time exactly when the nearest one does.
    if filters.due_before:
        q &= Q(next_due_at__lt=_start_of(filters.due_before, tz))
    if filters.overdue is not None:
        late = Q(next_due_at__lt=now)
        q &= late if filters.overdue else ~late
    if filters.team is not None:
        # issue 16, home: the members' ids read first (a team's headcount), so that PostgreSQL reads
        # the team's cases by index (an IN (sub-query) under an OR it reads by scanning).
        q &= of_team(filters.team, members_of(filters.team))
    if filters.is_open is not None:
        q &= Q(state__in=OPEN) if filters.is_open else ~Q(state__in=OPEN)
    q &= _flags(filters, now.astimezone(tz).date())
    if filters.q:
        q &= _text(filters.q, notes=filters.search_notes)
    q &= figure_conditions(filters, tz)  # issue 12, publish
    q &= report_conditions(filters)  # issue 13, dash
    return q


def _repeat_customers(complaints: QuerySet[Complaint]) -> QuerySet[Any]:
    """Customers with more than one complaint among those the other filters chose: the same
    complaints the dashboard counts as repeats, whatever scope and dates the list has."""
    return (
        complaints.order_by()
        .values("customer_id")
        .annotate(made=Count("pk"))
        .filter(made__gt=1)
        .values("customer_id")
    )


def _flags(filters: ComplaintFilters, today: dt.date) -> Q:
    """The flags a caseworker filters by, each an EXISTS on an indexed foreign key."""
    flags = {
        "has_concern": Exists(
            Concern.objects.filter(complaint=OuterRef("pk")).exclude(status=ConcernStatus.CLOSED)
        ),
        "has_restriction": Exists(
            Restriction.objects.filter(customer=OuterRef("customer_id"), starts_on__lte=today).filter(
                Q(ended_on__isnull=True) | Q(ended_on__gt=today)
            )
        ),
        "has_adjustments": Exists(ReasonableAdjustment.objects.filter(customer=OuterRef("customer_id"))),
        "has_representative": Q(representative__isnull=False),
    }
    q = Q()
    for name, condition in flags.items():
        wanted = getattr(filters, name)
        if wanted is not None:
            q &= Q(condition) if wanted else ~Q(condition)
    return q


def _text(text: str, *, notes: bool = False) -> Q:
    """Free text over the reference, the complaint's words, its points and the customer's name;
    with ``notes``, also over the staff's notes (contact summaries, the triage note).

    issue 16, search: through the database's full-text index (selectors.search), not a
    ``LIKE '%word%'`` over every row.
    """
    return text_matches(text, notes=notes)


def _start_of(day: dt.date, tz: dt.tzinfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=tz)


#: What every complaint has (its timeline, its points) or has once accepted (stages, deadlines).
DETAIL_ALWAYS = (
    # issue 16, overhead: by number, as the models' own ordering ("complaint", "number") gives
    # one complaint's rows, without the join to the complaint that it compiles to.
    Prefetch("stages", queryset=Stage.objects.select_related("handler", "hearing").order_by("number")),
    Prefetch("deadlines", queryset=Deadline.objects.order_by("due_at", "pk")),
    Prefetch("points", queryset=Point.objects.order_by("number")),
    Prefetch("timeline", queryset=TimelineEvent.objects.order_by("occurred_at", "pk")),
)
#: What many complaints have none of: read only when there are some.
DETAIL_LISTS = (
    through(
        Prefetch(
            "points__outcomes",
            # Oldest response first: stage 1, stage 2, the appeal (the model's own ordering,
            # by point, leaves a point's outcomes in any order).
            queryset=PointOutcome.objects.select_related("response__stage").order_by(
                "response__occurred_at", "response__pk", "pk"
            ),
        ),
        PointOutcome,
        "point_id",
        Point,
    ),
    of_complaint(Prefetch("actions", queryset=Action.objects.select_related("owner")), Action),
    of_complaint(
        Prefetch(
            "concerns", queryset=Concern.objects.select_related("referred_to").order_by("-raised_at", "-pk")
        ),
        Concern,
    ),
    of_complaint(
        Prefetch("restrictions", queryset=Restriction.objects.order_by("-starts_on", "-pk")), Restriction
    ),
    of_complaint(Prefetch("attachments", queryset=Attachment.objects.all()), Attachment),
    of_customer("customer__adjustments", ReasonableAdjustment),
)


def complaint_detail(*, user: User, reference: str, also: Sequence[Listed] = ()) -> Complaint:
    """One complaint with everything its page or API record shows, in a fixed number of queries
    at most: the lists it has no rows of are not read (``selectors.lists``). ``also``: more lists
    of the complaint to load the same way (the case page's)."""
    normal = normalise(reference)
    complaints = complaints_for(user).filter(reference=normal) if normal else Complaint.objects.none()
    lists = [*DETAIL_LISTS, *also]
    found = (
        complaints.select_related(
            "organisation", "customer", "representative", "owner", "team", "policy", "parent", "duplicate_of"
        )
        .annotate(**probes(lists))
        .first()
    )
    if found is not None:
        prefetch(found, DETAIL_ALWAYS, lists)
    if found is None:
        raise CaseNotFound(reference)
    return found
