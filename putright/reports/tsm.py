"""The Tenant Satisfaction Measures CH01 and CH02 for a reporting year, from the cases themselves.

``tsm_report(user=, period=, organisation=)`` answers, per organisation that owns homes (has
``HomesCount`` rows for the year) and for each group, separately for low-cost rental (LCRA) and
low-cost home ownership (LCHO) stock:

- CH01(1): complaints accepted at stage 1 whose complaint was received in the year, plus the
  informal resolutions received in the year when the reading counts them; per 1,000 homes of
  the stock type at the year end. A complaint not accepted, or withdrawn before it was accepted,
  never reached stage 1 and is not counted; one withdrawn after acceptance was received at
  stage 1 and is counted.
- CH01(2): stage 2 reviews whose escalation was requested (``Stage.opened_at``) in the year,
  per 1,000 homes. A complaint escalated in the year counts once at each stage; the appeal is not
  a stage of the Code and is not counted.
- CH02(1), CH02(2): of the stages responded to in the year (``Stage.responded_at``; for an
  informal resolution counted at stage 1, the moment it was resolved), the share answered within
  the Code's timescales (``putright.procedure.tsm.within_code``), on the Code's working days of
  the complaint's organisation's nation.

A group's figures include its subsidiaries' homes and complaints; only the organisations the
user may see are read. Each measure keeps the references of the complaints behind its numerator
and denominator, so an auditor can check every one.

Cost: a fixed number of queries whatever the data (the organisations, the homes, the stages
received at each stage, the informal resolutions, the stages responded to, their extensions), each served by
an index. CH01 could be counted in the database, but the references behind each figure are part
of the answer, so every query returns the year's rows (a few columns each, through
``values_list``): memory grows with the year's complaints, queries do not. CH02 must be worked
out in Python in any case: the Code's clock counts working days on a calendar of bank holidays
(on each stage's London dates, asked of the database, each day's deadlines worked out once:
``CodeClock``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Case, DateTimeField, F, Q, QuerySet, When

from putright.accounts.models import HomesCount, Organisation, StockType, User
from putright.accounts.permissions import organisations_below, visible_organisation_ids
from putright.cases.models import Complaint, Extension, Stage
from putright.procedure import tsm
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Nation
from putright.procedure.states import State
from putright.reports.london import LondonDate
from putright.reports.periods import LONDON, Period

STOCK_TYPES: tuple[str, ...] = (StockType.LCRA.value, StockType.LCHO.value)
MEASURES = (tsm.CH01_1, tsm.CH01_2, tsm.CH02_1, tsm.CH02_2)


def reading_in_force() -> tsm.TsmReading:
    """The reading the landlord chose (``settings.PUTRIGHT_TSM_READING``): the one place it is read."""
    return tsm.reading_from_setting(getattr(settings, "PUTRIGHT_TSM_READING", None))


@dataclass(frozen=True)
class Measure:
    """One measure: the figures, the value as the regulator asks for it, and the cases behind it.

    CH01's denominator is homes, so it has no references of its own.
    """

    key: str
    numerator: int
    denominator: int
    value: float | None
    numerator_references: tuple[str, ...]
    denominator_references: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        return tsm.MEASURE_TITLES[self.key]

    def references(self, part: str) -> tuple[str, ...]:
        """The references behind ``part`` ("numerator" or "denominator")."""
        if part == "numerator":
            return self.numerator_references
        if part == "denominator":
            return self.denominator_references
        raise ValueError("part is numerator or denominator")

    def as_dict(self, *, references: bool = True) -> dict[str, Any]:
        found: dict[str, Any] = {
            "measure": self.key,
            "title": self.title,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
        }
        if references:
            found["numerator_references"] = list(self.numerator_references)
            found["denominator_references"] = list(self.denominator_references)
        return found


@dataclass(frozen=True)
class StockFigures:
    """The four measures for one stock type of one organisation (or group)."""

    stock_type: str
    homes: int
    measures: tuple[Measure, ...]
    informal_resolutions: tuple[str, ...]

    @property
    def label(self) -> str:
        return StockType(self.stock_type).label

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)

    def as_dict(self, *, references: bool = True) -> dict[str, Any]:
        return {
            "stock_type": self.stock_type,
            "label": self.label,
            "homes": self.homes,
            "informal_resolutions": len(self.informal_resolutions),
            **({"informal_resolution_references": list(self.informal_resolutions)} if references else {}),
            "measures": [m.as_dict(references=references) for m in self.measures],
        }


@dataclass(frozen=True)
class OrganisationFigures:
    """The measures of one organisation and everything below it, by stock type."""

    organisation_id: int
    name: str
    short_name: str
    is_group: bool
    stocks: tuple[StockFigures, ...]
    #: Complaints of the year with no stock type (not about a home we own): in no measure.
    without_stock_type: tuple[str, ...]

    def stock(self, stock_type: str) -> StockFigures:
        return next(s for s in self.stocks if s.stock_type == stock_type)

    def as_dict(self, *, references: bool = True) -> dict[str, Any]:
        return {
            "organisation": self.short_name,
            "name": self.name,
            "group": self.is_group,
            "without_stock_type": len(self.without_stock_type),
            **({"without_stock_type_references": list(self.without_stock_type)} if references else {}),
            "stock_types": [s.as_dict(references=references) for s in self.stocks],
        }


@dataclass(frozen=True)
class TsmReport:
    period: Period
    reading: tsm.TsmReading
    organisations: tuple[OrganisationFigures, ...]

    def find(self, organisation_id: int) -> OrganisationFigures | None:
        return next((o for o in self.organisations if o.organisation_id == organisation_id), None)

    def as_dict(self, *, references: bool = True) -> dict[str, Any]:
        """The report as the command's --json and the API give it."""
        return {
            "year": self.period.key,
            "first_day": self.period.start.isoformat(),
            "last_day": self.period.last_day.isoformat(),
            "reading": {**self.reading.as_dict(), "description": self.reading.describe()},
            "organisations": [o.as_dict(references=references) for o in self.organisations],
        }


# The facts, gathered per organisation and stock type: a bucket name -> the references in it.
_Buckets = dict[tuple[int, str], dict[str, list[str]]]
_RECEIVED = {1: tsm.CH01_1, 2: tsm.CH01_2}
_RESPONDED = {1: "responded1", 2: "responded2"}
_WITHIN = {1: "within1", 2: "within2"}
_INFORMAL = "informal"
_NO_STOCK = ""


def tsm_report(
    *,
    user: User,
    period: Period,
    organisation: Organisation | None = None,
    reading: tsm.TsmReading | None = None,
) -> TsmReport:
    """CH01 and CH02 for ``period`` as ``user`` may see them, for ``organisation`` or all they see.

    ``organisation`` must be one the user may see (the caller checks, as for any address).
    """
    reading = reading or reading_in_force()
    tree = _Tree.read(user, organisation)
    buckets: _Buckets = defaultdict(lambda: defaultdict(list))
    scope = tree.scope
    _add_received(buckets, period, scope)
    _add_informal(buckets, period, scope, reading, tree)
    _add_responded(buckets, period, scope, reading, tree)
    homes = _homes(period, scope)
    rows = tuple(
        _organisation_figures(tree, pk, buckets, homes)
        for pk in tree.sorted_ids()
        if pk in homes.owners or tree.children_in_scope(pk)
    )
    return TsmReport(period, reading, rows)


@dataclass
class _Tree:
    """The organisations in scope, as the user sees them, with their parents and nations."""

    names: dict[int, tuple[str, str, str]]  # pk -> name, short name, nation
    parents: dict[int, int | None]
    scope: frozenset[int]
    children: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def read(cls, user: User, organisation: Organisation | None) -> _Tree:
        visible = visible_organisation_ids(user)
        rows = Organisation.objects.values_list("pk", "name", "short_name", "nation", "parent_id")
        names = {pk: (name, short, nation) for pk, name, short, nation, _ in rows}
        parents: dict[int, int | None] = {pk: parent for pk, *_, parent in rows}
        scope = frozenset(names) if visible is None else frozenset(visible)
        if organisation is not None:
            scope = scope & organisations_below(parents, [organisation.pk])
        tree = cls(names, parents, scope)
        for pk in scope:
            parent = parents[pk]
            if parent is not None and parent in scope:
                tree.children.setdefault(parent, []).append(pk)
        return tree

    def children_in_scope(self, pk: int) -> list[int]:
        return self.children.get(pk, [])

    def subtree(self, pk: int) -> list[int]:
        found, frontier = [], [pk]
        while frontier:
            current = frontier.pop()
            found.append(current)
            frontier.extend(self.children_in_scope(current))
        return found

    def sorted_ids(self) -> list[int]:
        return sorted(self.scope, key=lambda pk: self.names[pk][0])

    def calendar(self, pk: int) -> WorkingCalendar:
        return tsm.code_calendar(Nation(self.names[pk][2]))


def _in(period: Period, column: str) -> Q:
    return Q(**{f"{column}__gte": period.starts_at, f"{column}__lt": period.ends_at})


def _add_received(buckets: _Buckets, period: Period, scope: frozenset[int]) -> None:
    """CH01's numerators: stage 1 by the complaint's receipt, stage 2 by the escalation request.

    Two queries, each served by its index: the complaints received (organisation, received_at)
    and the reviews asked for (number, opened_at).
    """
    # Unordered: the references are sorted when gathered, and sorting 200,000 rows costs.
    in_scope = Stage.objects.filter(complaint_organisation_id__in=scope).order_by()
    columns = ("complaint_organisation_id", "complaint__stock_type", "complaint__reference")
    for number, received in (
        (1, in_scope.filter(_in(period, "complaint_received_at"), number=1)),
        (2, in_scope.filter(_in(period, "opened_at"), number=2)),
    ):
        for org, stock, reference in received.values_list(*columns):
            buckets[org, stock][_RECEIVED[number]].append(reference)


def _add_informal(
    buckets: _Buckets, period: Period, scope: frozenset[int], reading: tsm.TsmReading, tree: _Tree
) -> None:
    """Informal resolutions: always counted and told; in the measures when the reading says so.

    One received in the year is a stage 1 complaint received (CH01(1)); one resolved in the
    year was responded to then, and within the Code's time when resolved within 5 + 10
    working days of receipt (CH02(1)).
    """
    informal = (
        Complaint.objects.filter(organisation_id__in=scope, state=State.RESOLVED_INFORMALLY.value)
        .order_by()
        .filter(_in(period, "received_at") | _in(period, "closed_at"))
        .values_list("organisation_id", "stock_type", "reference", "received_at", "closed_at")
    )
    for org, stock, reference, received_at, closed_at in informal:
        bucket = buckets[org, stock]
        if period.contains(received_at):
            bucket[_INFORMAL].append(reference)
            if reading.informal_resolutions_count_as_stage1:
                bucket[tsm.CH01_1].append(reference)
        if reading.informal_resolutions_count_as_stage1 and closed_at and period.contains(closed_at):
            timing = tsm.StageTiming(1, received_at, closed_at, closed_at)
            _add_kept(bucket, 1, reference, kept=tsm.within_code(tree.calendar(org), timing, reading))


def _add_responded(
    buckets: _Buckets, period: Period, scope: frozenset[int], reading: tsm.TsmReading, tree: _Tree
) -> None:
    """CH02: every stage 1 and 2 responded to in the year, against the Code's clocks.

    The stages come with their London dates, which is all the Code's clock reads (``CodeClock``),
    so each day's deadlines are worked out once rather than once a stage."""
    stages = (
        Stage.objects.filter(number__in=(1, 2), complaint_organisation_id__in=scope)
        .filter(_in(period, "responded_at"))
        .order_by()
    )
    extensions = extension_timings(stages)
    rows = stages.annotate(
        start=LondonDate(stage_started()),
        acked=LondonDate("acknowledged_at"),
        done=LondonDate("responded_at"),
    ).values_list(
        "pk",
        "number",
        "start",
        "acked",
        "done",
        "complaint_organisation_id",
        "complaint__stock_type",
        "complaint__reference",
    )
    clocks = {pk: CodeClock(tree.names[pk][2], reading) for pk in scope}
    for pk, number, start, acked, done, org, stock, reference in rows:
        kept = clocks[org].within(number, start, acked, done, tuple(extensions.get(pk, ())))
        _add_kept(buckets[org, stock], number, reference, kept=kept)


def stage_started() -> Case:
    """When a stage's clock starts: the complaint's receipt at stage 1, the request for a review at 2."""
    return Case(
        When(number=1, then=F("complaint_received_at")),
        default=F("opened_at"),
        output_field=DateTimeField(),
    )


def noon(day: dt.date) -> dt.datetime:
    """A London date as a moment the Code's calendar reads back as that same day."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)


def noon_or_none(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else noon(day)


class CodeClock:
    """The Code's clocks in one nation, read on London dates, each day's answer worked out once.

    A report reads a year of stages whose days repeat (a year has 365 days of receipt, and a
    handful of acknowledgement days after each), so the deadlines are remembered by their days:
    the stages cost a look-up each, not a walk over the calendar. The Code's calendar has no
    daily cut-off, so a moment's London date is all its clock reads (``procedure.tsm`` does the
    reading; the stages are given to it as noon on their days). The one moment read otherwise:
    ``code_calendar``'s cut-off is ``time.max``, so a clock started at exactly 23:59:59.999999
    London time runs from the next working day there and from its own day here, as the
    dashboard has always read it (tests/reports/test_code_clock.py checks the rest).
    """

    def __init__(self, nation: str, reading: tsm.TsmReading) -> None:
        self.calendar = tsm.code_calendar(Nation(nation))
        self.reading = reading
        self._acknowledgement: dict[dt.date, tuple[dt.date, dt.date]] = {}

    def acknowledgement(self, start: dt.date) -> tuple[dt.date, dt.date]:
        """The day the clock counts from and the last day to acknowledge, for a stage started on ``start``."""
        found = self._acknowledgement.get(start)
        if found is None:
            timing = tsm.StageTiming(1, noon(start), None, None)
            found = (
                tsm.counted_from(self.calendar, timing),
                tsm.acknowledgement_last_day(self.calendar, timing),
            )
            self._acknowledgement[start] = found
        return found

    def within(
        self,
        number: int,
        start: dt.date,
        acked: dt.date | None,
        done: dt.date,
        extensions: tuple[tsm.ExtensionTiming, ...] = (),
    ) -> bool:
        """``procedure.tsm.within_code`` for a stage given by its days."""
        if extensions:  # few: read each as it is
            timing = tsm.StageTiming(number, noon(start), noon_or_none(acked), noon(done), extensions)
            return tsm.within_code(self.calendar, timing, self.reading)
        # procedure.tsm.response_last_day, by its parts: counted from the acknowledgement, or
        # from its own last day when it came later or never (each part remembered by its day).
        latest = self.acknowledgement(start)[1]
        counted = latest if acked is None else min(self.acknowledgement(acked)[0], latest)
        last = self.calendar.working_day_after(counted, tsm.RESPONSE_DAYS[number])
        return done <= last


def extension_timings(stages: QuerySet[Stage]) -> dict[int, list[tsm.ExtensionTiming]]:
    """The extensions of the stages responded to, in one query, by stage.

    In their own order (stage, number): the model's default order would join every extension to
    its stage and complaint only to sort by the complaint's receipt."""
    found: dict[int, list[tsm.ExtensionTiming]] = defaultdict(list)
    rows = (
        Extension.objects.filter(stage__in=stages.values("pk"))
        .order_by("stage_id", "number")
        .values_list("stage_id", "new_due_at", "reason", "good_reason")
    )
    for stage_id, new_due_at, reason, good_reason in rows:
        found[stage_id].append(
            tsm.ExtensionTiming(new_due_at, bool(reason.strip()), bool(good_reason.strip()))
        )
    return found


def _add_kept(bucket: dict[str, list[str]], number: int, reference: str, *, kept: bool) -> None:
    bucket[_RESPONDED[number]].append(reference)
    if kept:
        bucket[_WITHIN[number]].append(reference)


@dataclass(frozen=True)
class _Homes:
    counts: dict[tuple[int, str], int]
    owners: frozenset[int]


def _homes(period: Period, scope: frozenset[int]) -> _Homes:
    """Homes owned at the end of the year, per organisation and stock type."""
    rows = HomesCount.objects.filter(year=period.start.year, organisation_id__in=scope).values_list(
        "organisation_id", "stock_type", "homes"
    )
    counts = {(org, stock): homes for org, stock, homes in rows}
    return _Homes(counts, frozenset(org for org, _ in counts))


def _organisation_figures(tree: _Tree, pk: int, buckets: _Buckets, homes: _Homes) -> OrganisationFigures:
    members = tree.subtree(pk)
    name, short_name, _ = tree.names[pk]
    stocks = tuple(_stock_figures(stock, members, buckets, homes) for stock in STOCK_TYPES)
    without = _gather(members, _NO_STOCK, buckets, tsm.CH01_1, tsm.CH01_2, _INFORMAL)
    return OrganisationFigures(
        pk, name, short_name, bool(tree.children_in_scope(pk)), stocks, tuple(sorted(set(without)))
    )


def _stock_figures(stock: str, members: list[int], buckets: _Buckets, homes: _Homes) -> StockFigures:
    owned = sum(homes.counts.get((org, stock), 0) for org in members)

    def gather(*names: str) -> tuple[str, ...]:
        return tuple(sorted(_gather(members, stock, buckets, *names)))

    measures = []
    for number in (1, 2):
        received = gather(_RECEIVED[number])
        measures.append(
            Measure(_RECEIVED[number], len(received), owned, tsm.per_thousand(len(received), owned), received)
        )
    for number, key in ((1, tsm.CH02_1), (2, tsm.CH02_2)):
        within, responded = gather(_WITHIN[number]), gather(_RESPONDED[number])
        measures.append(
            Measure(
                key,
                len(within),
                len(responded),
                tsm.percentage(len(within), len(responded)),
                within,
                responded,
            )
        )
    order = {key: index for index, key in enumerate(MEASURES)}
    return StockFigures(stock, owned, tuple(sorted(measures, key=lambda m: order[m.key])), gather(_INFORMAL))


def _gather(members: list[int], stock: str, buckets: _Buckets, *names: str) -> list[str]:
    return [ref for org in members for name in names for ref in buckets.get((org, stock), {}).get(name, [])]
