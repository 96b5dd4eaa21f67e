"""Whose work is due when: the queries behind "My work", the complaint list and the team lead's view.

Overdue, due today and due soon (at most two working days left) are
``procedure.deadlines.timing`` on each case's own calendar: the policy it was
opened under and its organisation's nation, as on the case page. The
calendars are worked out once per policy record and nation, not per case, so
the pages read a fixed number of rows whatever the caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from putright.accounts.models import Role, Team, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Action, Complaint, PolicyRecord
from putright.cases.policies import current_policy, policy_of
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import Due, deadline_label, soon_until, timing
from putright.procedure.policy import Nation
from putright.procedure.states import OPEN, State, stage_label
from putright.procedure.wording import due_words

#: A calendar's key: the policy record a case was opened under, and its organisation's nation.
CalendarKey = tuple[int, str]


@dataclass(frozen=True)
class Horizon:
    """Now, today, and every case calendar there is, fixed for one page."""

    now: dt.datetime
    today: dt.date
    calendars: Mapping[CalendarKey, WorkingCalendar]

    def calendar(self, complaint: Complaint) -> WorkingCalendar:
        """The case's own calendar (from the page's table: no query)."""
        nation = complaint.organisation.nation
        found = self.calendars.get((complaint.policy_id, nation))
        # A policy first used since the page began: the policy in force is the one it was opened under.
        return found or WorkingCalendar.from_rules(current_policy().policy.calendar, nation=Nation(nation))

    def due(self, complaint: Complaint) -> Due:
        """When the case's next deadline falls, on its own calendar; Later when none is running."""
        if complaint.next_due_at is None:
            return Due.LATER
        return timing(complaint.next_due_at, self.calendar(complaint), self.now).due

    def soon(self) -> Q:
        """Complaints whose next deadline is due today or soon, not yet overdue: ``timing`` in a query."""
        by_calendar = Q(pk__in=[])
        for (policy_id, nation), calendar in self.calendars.items():
            until = soon_until(calendar, self.now)
            by_calendar |= Q(policy_id=policy_id, organisation__nation=nation, next_due_at__lt=until)
        return Q(next_due_at__gte=self.now) & by_calendar

    def due_today(self) -> Q:
        """Complaints whose next deadline falls later today on their own calendar, not yet overdue."""
        ends_today = Q(pk__in=[])
        for (policy_id, nation), calendar in self.calendars.items():
            tomorrow = calendar.local(self.now).date() + dt.timedelta(days=1)
            ends_today |= Q(
                policy_id=policy_id,
                organisation__nation=nation,
                next_due_at__lt=calendar.start_of_day(tomorrow),
            )
        return Q(next_due_at__gte=self.now) & ends_today


def horizon(now: dt.datetime) -> Horizon:
    """The page's "now" and the calendar of each policy record and nation (one query)."""
    calendars = {}
    for record in PolicyRecord.objects.only("pk", "digest", "text"):
        rules = policy_of(record).calendar
        for nation in Nation:
            calendars[(record.pk, nation.value)] = WorkingCalendar.from_rules(rules, nation=nation)
    return Horizon(now=now, today=timezone.localtime(now).date(), calendars=calendars)


@dataclass(frozen=True)
class CaseRow:
    """A complaint in a work list, with when its next deadline falls."""

    complaint: Complaint
    due: Due
    due_text: str

    @property
    def deadline(self) -> str:
        return deadline_label(self.complaint.next_due_name)

    @property
    def stage(self) -> str:
        return stage_label(self.complaint.stage)

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
        CaseRow(complaint=c, due=when.due(c), due_text=due_words(c.next_due_at, when.calendar(c).tz))
        for c in complaints
    ]


def _work_list(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Open cases with their next deadline, soonest first (none last), read in one query."""
    return _by_deadline(complaints.filter(state__in=OPEN).select_related("organisation", "customer", "owner"))


def _by_deadline(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return complaints.order_by(F("next_due_at").asc(nulls_last=True), "received_at", "pk")


@dataclass(frozen=True)
class MyCases:
    #: The rows shown, by when they fall due.
    groups: dict[Due, list[CaseRow]]
    #: How many of all my open cases fall due when (not only of those shown).
    counts: dict[Due, int]
    total: int
    shown: int

    @property
    def more(self) -> int:
        return self.total - self.shown


#: How many of my open cases "My work" shows: a page of them, as the complaint list shows.
MY_CASES_SHOWN = 50


def my_cases(complaints: QuerySet[Complaint], user: User, when: Horizon, limit: int | None = None) -> MyCases:
    """The first ``limit`` of my open cases, grouped by when their next deadline falls (overdue
    first), and how many of all of them fall due when: one query for the rows, one for the counts.
    ``limit``: ``MY_CASES_SHOWN`` unless given.

    issue 16, overhead: a bounded page of rows (it was 200, a fifth of a Senior Manager's home
    page's time), so the counts by group come from the database (``timing`` as a query, as
    ``deadline_counts`` does), not from the rows shown.
    """
    mine = _work_list(complaints.filter(owner=user))
    found = rows(mine[: limit or MY_CASES_SHOWN], when)
    groups: dict[Due, list[CaseRow]] = {due: [] for due in Due}
    for row in found:
        groups[row.due].append(row)
    counted = mine.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(next_due_at__lt=when.now)),
        today=Count("pk", filter=when.due_today()),
        soon=Count("pk", filter=when.soon()),  # today's too
    )
    counts = {
        Due.OVERDUE: counted["overdue"],
        Due.TODAY: counted["today"],
        Due.SOON: counted["soon"] - counted["today"],
        Due.LATER: counted["total"] - counted["overdue"] - counted["soon"],
    }
    return MyCases(groups=groups, counts=counts, total=counted["total"], shown=len(found))


def of_team(team: Team | int, members: Collection[int] | None = None) -> Q:
    """A team's cases: those assigned to the team, and those owned by one of its members.

    The one definition of the home page's queue, the team's view and the
    complaint list's team filter, so that a count and the list it links to agree.
    ``members``: the ids of the team's members (``members_of``), when already read.
    """
    # issue 16, home: the members' ids as a list (a team's headcount, read once), not a join to
    # the owner under the OR, so that each side of the OR is an index of its own: (team, state)
    # and (owner, state). PostgreSQL cannot use an index for an IN (sub-query) under an OR;
    # without the list, a sub-query of the (small) user table keeps SQLite's OR indexed.
    owners = User.objects.filter(team=team).values("pk") if members is None else sorted(members)
    return Q(team=team) | Q(owner__in=owners)


def members_of(team: Team | int) -> list[int]:
    """The ids of everyone in the team, active or not (one query of the user table)."""
    return list(User.objects.filter(team=team).order_by("pk").values_list("pk", flat=True))


def team_cases(
    complaints: QuerySet[Complaint], team: Team | int, members: Collection[int] | None = None
) -> QuerySet[Complaint]:
    """The team's open cases (of those in ``complaints``)."""
    theirs = Q(state__in=OPEN) & of_team(team, members)
    if connection.vendor == "sqlite":
        # issue 16, home: SQLite's statistics (an average per index prefix, no histogram) cannot
        # tell that open cases are few, so given the complaints' own scope (organisation and
        # state) it reads every open case of the organisations. Read by the team's and its
        # members' indexes instead, each case then checked against ``complaints`` by its id.
        # PostgreSQL knows how states are spread, and would turn the same check into a join
        # over every complaint in scope: there the scope stays a plain condition.
        visible = Exists(complaints.filter(pk=OuterRef("pk")))
        return Complaint.objects.filter(theirs).filter(visible)
    return complaints.filter(theirs)


def team_counts(
    complaints: QuerySet[Complaint], team: Team | int, members: Collection[int], **counts: Count
) -> dict[int | None, dict[str, int]]:
    """The team's open cases (of those in ``complaints``) counted by owner (None for no one), one
    query: ``counts`` names each figure (a ``Count`` of the cases, with its filter).

    issue 16, teamcount: on PostgreSQL, as the sum of two halves each read from an index alone,
    the team's own cases (by team) and its members' cases of other teams or none (by owner):
    their union is the team's cases (``of_team``), each case counted once. Under the OR of the
    two, PostgreSQL read each case's table page (15,000-20,000 pages, about 90-120 ms at
    1,000,000 complaints); Django cannot aggregate over a union, so the sum is SQL of its own
    around the two halves' SQL.
    """
    who = Coalesce("owner_id", Value(0))
    if connection.vendor != "postgresql":
        # SQLite reads both sides of the OR by their indexes already (``team_cases``).
        grouped = team_cases(complaints, team, members).order_by().values(who=who).annotate(**counts)
        return {row.pop("who") or None: row for row in grouped}
    open_cases = complaints.filter(state__in=OPEN).order_by()
    halves = [
        open_cases.filter(team=team),
        # ``exclude`` keeps the cases of no team (it adds ``team_id IS NOT NULL`` to the test).
        open_cases.filter(owner__in=sorted(members)).exclude(team=team),
    ]
    parts: list[str] = []
    params: list[Any] = []
    for half in halves:
        try:
            sql, found = half.values(who=who).annotate(**counts).query.sql_with_params()
        except EmptyResultSet:  # a team of no one, or a reader who may see no case: no rows
            continue
        parts.append(f"({sql})")
        params.extend(found)
    if not parts:
        return {}
    names = list(counts)
    sums = ", ".join(f'SUM(halves."{name}")' for name in names)
    # Django's own SQL of the halves and the names given in code; every value is a parameter.
    summed = f'SELECT halves."who", {sums} FROM ({" UNION ALL ".join(parts)}) AS halves GROUP BY 1'  # noqa: S608 # nosec B608 (Django's SQL)
    with connection.cursor() as cursor:
        cursor.execute(summed, params)
        return {row[0] or None: {n: int(v) for n, v in zip(names, row[1:], strict=True)} for row in cursor}


@dataclass(frozen=True)
class TeamQueue:
    """My team's open cases that others (or no one) own, and how many the team has in all."""

    rows: list[CaseRow]
    others: int
    #: Every open case of the team, mine included: what the complaint list shows for the team.
    total: int

    @property
    def more(self) -> int:
        return self.others - len(self.rows)


def team_queue(complaints: QuerySet[Complaint], user: User, when: Horizon, limit: int = 10) -> TeamQueue:
    """Open cases of my team that someone else (or no one) owns, by next deadline; both counts in
    one query of the same cases as the link to the team's list."""
    if user.team_id is None:
        return TeamQueue(rows=[], others=0, total=0)
    members = members_of(user.team_id)
    cases = team_cases(complaints, user.team_id, members)
    not_mine = Q(owner__isnull=True) | ~Q(owner=user)
    # Counted by owner (a row each, a team's headcount), then summed: from indexes alone.
    by_owner = team_counts(complaints, user.team_id, members, open=Count("pk"))
    total = sum(row["open"] for row in by_owner.values())
    others = total - by_owner.get(user.pk, {"open": 0})["open"]
    # issue 16, overhead: the first few chosen by their ids alone (a sort of a few narrow columns),
    # then only those read whole with their customer and owner, in the same query: sorting every
    # open case of a big team whole, to show ten, was the home page's slowest query.
    first = _by_deadline(cases.filter(not_mine)).values("pk")[:limit]
    theirs = _work_list(Complaint.objects.filter(pk__in=first))
    return TeamQueue(rows=rows(theirs, when), others=others, total=total)


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


class InArray(Func):
    """``column = ANY(ARRAY(sub-query))`` (PostgreSQL): the sub-query runs once, before the rest,
    and its ids are looked up in the column's index one by one; the planner cannot turn it into
    a join that reads every row of the column's table."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY(ARRAY"
    output_field = BooleanField()


def actions_due(complaints: QuerySet[Complaint], user: User, limit: int = 20) -> Excerpt:
    """Open actions I own, or on my cases, soonest due first.

    issue 16, home: the union of my open actions (by their owner's index) and the open actions
    of my cases (by my cases' owner index, then the actions' case index), each checked against
    the complaints I may see by its own case: an OR across the two tables, or a filter by every
    complaint I may see, reads every open action or every complaint whatever the page shows.
    """
    open_actions = Action.objects.filter(completed_at__isnull=True)
    mine = open_actions.filter(owner=user).filter(Exists(complaints.filter(pk=OuterRef("complaint_id"))))
    my_cases = complaints.filter(owner=user).order_by().values("pk")
    if connection.vendor == "postgresql":
        # issue 16, pgscale: as an array, worked out once. Given ``IN (sub-query)`` PostgreSQL
        # joins every open action of every case (100,000 at 1,000,000 complaints, 0.1-0.3 s) to
        # my cases by a hash; given an array, it looks up each of my cases' open actions in
        # their case's index (a few milliseconds for thousands of cases).
        on_my_cases = open_actions.filter(InArray(F("complaint_id"), Subquery(my_cases)))
    else:
        on_my_cases = open_actions.filter(complaint__in=my_cases)
    both = [mine.order_by(), on_my_cases.order_by()]
    actions = both[0].select_related("complaint", "owner").union(both[1].select_related("complaint", "owner"))
    # Counted by their ids alone: the union of whole rows (each action with its case and owner,
    # some sixty columns) would compare every column of every row to drop the duplicates.
    ids = both[0].values("pk").union(both[1].values("pk"))
    return Excerpt(rows=list(actions.order_by("due_on", "pk")[:limit]), total=ids.count())


# The team lead's view


def teams_visible_to(user: User) -> QuerySet[Team]:
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


def team_workload(
    complaints: QuerySet[Complaint], team: Team, when: Horizon, limit: int = 100
) -> TeamWorkload:
    """Each member's open, overdue and soon-due cases, and the team's cases at risk, soonest first."""
    everyone = list(User.objects.filter(team=team).order_by("last_name", "first_name", "pk"))
    ids = [m.pk for m in everyone]
    cases = team_cases(complaints, team, ids)
    # issue 16, home: grouped by an expression of the owner (0 for no one), which no index
    # orders: grouped by the column, SQLite reads the whole table in owner order to skip a sort,
    # rather than the team's open cases by their indexes and a sort of those alone.
    by_owner = team_counts(
        complaints,
        team,
        ids,
        open=Count("pk"),
        overdue=Count("pk", filter=Q(next_due_at__lt=when.now)),
        soon=Count("pk", filter=when.soon()),
    )
    members = [m for m in everyone if m.is_active]
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


# issue 14, observe: the deadline gauges an operator's monitoring reads at every scrape.


@dataclass(frozen=True)
class DeadlineCounts:
    """Open cases whose next deadline is due today, and those whose next deadline has passed."""

    due_today: int
    missed: int


def deadline_counts(when: Horizon) -> DeadlineCounts:
    """Count "Due today" and "Overdue" as the work lists show them, in one query whatever the caseload.

    Overdue is ``next_due_at`` before now (as the list's filter); due today is
    not yet overdue and falling before the start of tomorrow on the case's own
    calendar (``timing``'s definition), one condition per calendar.
    """
    counts = Complaint.objects.filter(state__in=OPEN).aggregate(
        due_today=Count("pk", filter=when.due_today()),
        missed=Count("pk", filter=Q(next_due_at__lt=when.now)),
    )
    return DeadlineCounts(due_today=counts["due_today"], missed=counts["missed"])
