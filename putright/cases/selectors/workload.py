"""Whose work is due when: the queries behind "My work" and the team lead's view.

"Due soon" means by the end of the second working day after today, on the
calendar of the case's organisation (its nation's bank holidays and the
policy's closure days). The limit is worked out once per nation, not per
case, so the pages read a fixed number of rows whatever the caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, F, Q, QuerySet

from putright.accounts.models import Role, Team, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Action, Complaint
from putright.cases.policies import current_policy
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Nation
from putright.procedure.states import OPEN, State
from putright.procedure.wording import long_date, long_datetime

#: How far ahead "at risk" looks, in working days.
SOON_WORKING_DAYS = 2

_DEADLINE_LABELS = {
    "stage1.contact": "Stage 1 first contact",
    "stage1.response": "Stage 1 response",
    "stage1.extended_response": "Stage 1 response (extended)",
    "stage2.contact": "Stage 2 first contact",
    "stage2.response": "Stage 2 response",
    "stage2.extended_response": "Stage 2 response (extended)",
    "appeal.meeting": "Appeal meeting",
    "appeal.decision": "Appeal decision",
    "ombudsman.direct": "Customer may go to the Ombudsman",
}

STAGE_LABELS = {0: "Triage", 1: "Stage 1", 2: "Stage 2 review", 3: "Appeal"}


def deadline_label(name: str | None) -> str:
    """A deadline's stable name ("stage1.contact") in words."""
    if not name:
        return ""
    return _DEADLINE_LABELS.get(name, name.replace(".", " ").replace("_", " ").capitalize())


class Due(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    SOON = "soon"
    LATER = "later"

    @property
    def label(self) -> str:
        return _DUE_LABELS[self]


_DUE_LABELS = {
    Due.OVERDUE: "Overdue",
    Due.TODAY: "Due today",
    Due.SOON: f"Due in the next {SOON_WORKING_DAYS} working days",
    Due.LATER: "Later",
}


@dataclass(frozen=True)
class Horizon:
    """Now, today and the end of "soon" for each nation, fixed for one page."""

    now: dt.datetime
    today: dt.date
    end_of_today: dt.datetime
    soon_until: Mapping[str, dt.datetime]
    tz: dt.tzinfo

    def due(self, due_at: dt.datetime | None, nation: str) -> Due:
        if due_at is None:
            return Due.LATER
        if due_at < self.now:
            return Due.OVERDUE
        if due_at <= self.end_of_today:
            return Due.TODAY
        if due_at <= self.soon_until[nation]:
            return Due.SOON
        return Due.LATER

    def soon(self) -> Q:
        """Complaints (annotated with ``next_due_at``) due by the end of "soon", not yet overdue."""
        by_nation = Q()
        for nation, until in self.soon_until.items():
            by_nation |= Q(organisation__nation=nation, next_due_at__lte=until)
        return Q(next_due_at__gte=self.now) & by_nation


def horizon(now: dt.datetime) -> Horizon:
    """The page's "now", with today's end and the end of the next two working days per nation."""
    rules = current_policy().policy.calendar
    local = WorkingCalendar.from_rules(rules)
    today = local.local(now).date()
    soon = {}
    for nation in Nation:
        calendar = WorkingCalendar.from_rules(rules, nation=nation)
        soon[nation.value] = calendar.end_of_day(calendar.working_day_after(today, SOON_WORKING_DAYS))
    return Horizon(now=now, today=today, end_of_today=local.end_of_day(today), soon_until=soon, tz=local.tz)


def due_text(instant: dt.datetime | None, tz: dt.tzinfo) -> str:
    """When something falls due, in words: a whole day for an end-of-day deadline."""
    if instant is None:
        return ""
    local = instant.astimezone(tz)
    if local.time() == dt.time(23, 59, 59):
        return long_date(local.date(), weekday=True)
    return long_datetime(local, weekday=True)


@dataclass(frozen=True)
class CaseRow:
    """A complaint in a work list, with when its next deadline falls."""

    complaint: Complaint
    due: Due
    due_text: str

    @property
    def deadline(self) -> str:
        return deadline_label(getattr(self.complaint, "next_due_name", None))

    @property
    def stage(self) -> str:
        return STAGE_LABELS.get(self.complaint.stage, str(self.complaint.stage))

    @property
    def state(self) -> str:
        return State(self.complaint.state).label


@dataclass(frozen=True)
class Excerpt:
    """The first few of a longer list, and how many there are in all."""

    rows: list[CaseRow] | list[Action]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.rows)


def rows(complaints: Iterable[Complaint], when: Horizon) -> list[CaseRow]:
    """Work-list rows from complaints (each carries its nearest open deadline)."""
    return [
        CaseRow(
            complaint=c,
            due=when.due(c.next_due_at, c.organisation.nation),
            due_text=due_text(c.next_due_at, when.tz),
        )
        for c in complaints
    ]


def _work_list(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Open cases with their next deadline, soonest first (none last), read in one query."""
    return _by_deadline(complaints.filter(state__in=OPEN).select_related("organisation", "customer", "owner"))


def _by_deadline(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return complaints.order_by(F("next_due_at").asc(nulls_last=True), "received_at", "pk")


@dataclass(frozen=True)
class MyCases:
    groups: dict[Due, list[CaseRow]]
    total: int
    shown: int

    @property
    def more(self) -> int:
        return self.total - self.shown


def my_cases(complaints: QuerySet[Complaint], user: User, when: Horizon, limit: int = 200) -> MyCases:
    """My open cases, grouped by when their next deadline falls (overdue first)."""
    mine = _work_list(complaints.filter(owner=user))
    found = rows(mine[:limit], when)
    groups: dict[Due, list[CaseRow]] = {due: [] for due in Due}
    for row in found:
        groups[row.due].append(row)
    return MyCases(groups=groups, total=mine.count(), shown=len(found))


def team_queue(complaints: QuerySet[Complaint], user: User, when: Horizon, limit: int = 10) -> Excerpt:
    """Open cases of my team that someone else (or no one) owns, by next deadline."""
    if user.team_id is None:
        return Excerpt(rows=[], total=0)
    theirs = complaints.filter(team_id=user.team_id).exclude(owner=user)
    return _excerpt(_work_list(theirs), when, limit)


def awaiting_triage(complaints: QuerySet[Complaint], when: Horizon, limit: int = 10) -> Excerpt:
    """Complaints received and not yet triaged, oldest first: the longer they wait, the worse."""
    waiting = (
        complaints.filter(state=State.RECEIVED)
        .select_related("organisation", "customer", "owner")
        .order_by("received_at", "pk")
    )
    return _excerpt(waiting, when, limit)


def _excerpt(complaints: QuerySet[Complaint], when: Horizon, limit: int) -> Excerpt:
    """The first ``limit`` rows and the count: always both, so the query count never varies."""
    return Excerpt(rows=rows(complaints[:limit], when), total=complaints.count())


def actions_due(complaints: QuerySet[Complaint], user: User, limit: int = 20) -> Excerpt:
    """Open actions I own, or on my cases, soonest due first."""
    actions = (
        Action.objects.filter(completed_at__isnull=True, complaint__in=complaints)
        .filter(Q(owner=user) | Q(complaint__owner=user))
        .select_related("complaint", "owner")
        .order_by("due_on", "pk")
    )
    return Excerpt(rows=list(actions[:limit]), total=actions.count())


# The team lead's view


def teams_for(user: User) -> QuerySet[Team]:
    """The teams whose workload the user may see: their own and those they lead; every team of
    their organisations for a Senior Manager, a manager or an administrator."""
    teams = Team.objects.select_related("organisation", "lead")
    visible = visible_organisation_ids(user)
    if visible is not None:
        teams = teams.filter(organisation_id__in=visible)
    if user.is_superuser or user.role in (Role.SENIOR_MANAGER, Role.MANAGER, Role.ADMINISTRATOR):
        return teams.order_by("organisation__name", "name")
    return teams.filter(Q(pk=user.team_id) | Q(lead=user)).order_by("organisation__name", "name")


@dataclass(frozen=True)
class Load:
    """One person's (or no one's) share of a team's open cases."""

    name: str
    username: str = ""
    open: int = 0
    overdue: int = 0
    soon: int = 0


@dataclass(frozen=True)
class TeamWorkload:
    team: Team
    members: list[Load]
    at_risk: list[CaseRow] = field(default_factory=list)
    at_risk_total: int = 0

    @property
    def totals(self) -> Load:
        return Load(
            name="All",
            open=sum(m.open for m in self.members),
            overdue=sum(m.overdue for m in self.members),
            soon=sum(m.soon for m in self.members),
        )


def _team_cases(complaints: QuerySet[Complaint], team: Team) -> QuerySet[Complaint]:
    return complaints.filter(state__in=OPEN).filter(Q(team=team) | Q(owner__team=team))


def team_workload(
    complaints: QuerySet[Complaint], team: Team, when: Horizon, limit: int = 100
) -> TeamWorkload:
    """Each member's open, overdue and soon-due cases, and the team's cases at risk, soonest first."""
    cases = _team_cases(complaints, team)
    counted = (
        cases.order_by()
        .values("owner_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(next_due_at__lt=when.now)),
            soon=Count("pk", filter=when.soon()),
        )
    )
    by_owner = {row["owner_id"]: row for row in counted}
    members = list(User.objects.filter(team=team, is_active=True).order_by("last_name", "first_name", "pk"))
    loads = [_load(str(m), m.username, by_owner.pop(m.pk, None)) for m in members]
    unassigned = by_owner.pop(None, None)
    if by_owner:
        loads.append(_sum_loads("Others outside the team", by_owner.values()))
    if unassigned:
        loads.append(_load("Not assigned", "", unassigned))
    risky = _by_deadline(
        cases.filter(Q(next_due_at__lt=when.now) | when.soon()).select_related(
            "organisation", "customer", "owner"
        )
    )
    at_risk = _excerpt(risky, when, limit)
    return TeamWorkload(team=team, members=loads, at_risk=at_risk.rows, at_risk_total=at_risk.total)  # type: ignore[arg-type]


def _load(name: str, username: str, row: Mapping[str, int] | None) -> Load:
    if row is None:
        return Load(name=name, username=username)
    return Load(name=name, username=username, open=row["open"], overdue=row["overdue"], soon=row["soon"])


def _sum_loads(name: str, found: Iterable[Mapping[str, int]]) -> Load:
    found = list(found)
    return Load(
        name=name,
        open=sum(r["open"] for r in found),
        overdue=sum(r["overdue"] for r in found),
        soon=sum(r["soon"] for r in found),
    )
