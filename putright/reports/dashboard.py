"""The reports dashboard's figures: what managers and the board ask of the complaints, exactly.

For a period (``reports.periods``) and a scope (the organisations the user may see, or one
organisation and those below it), every figure is counted in the database from the cases
as they stand, never copied: a complaint changed now changes the figure now.

Most figures are about the complaints *received in the period* (the cohort), so each can
link to the complaint list with the received dates and one more filter
(``cases.selectors.report_filters``), and the list shows exactly the complaints counted.
The trends count responses by the month they were given; "overdue now" and the learning
actions are as they stand today.

A fixed number of queries whatever the data size (about twenty), each grouped and
counted in the database and served by an index: the complaints by (organisation,
received_at); their points, stages, deadlines, responses, outcomes, learning and remedies
by the complaint's receipt and organisation copied onto each (``cases.models.copied``), so
that a year reads only its own rows, from indexes that hold every column read; the
responses given by occurred_at, the open deadlines by (organisation, next_due_at). Times are
measured in working days: the database groups the cases by their pair of days (received,
done), at most a few thousand pairs whatever the number of cases, and the working days
of each pair are counted once in Python with the policy's calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Channel, Complaint, Deadline, Extension, PointOutcome, Stage
from putright.cases.models.complaints import EXCLUSION_CHOICES
from putright.cases.policies import current_policy
from putright.cases.selectors.report_filters import MET_DEADLINES
from putright.cases.selectors.responses_given import on_time, responses_between
from putright.learning.models import LearningAction, PointLearning, Remedy, Theme
from putright.procedure import tsm
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.states import STAGE_LABELS, Outcome, State
from putright.reports.london import LondonDate, LondonMonth
from putright.reports.periods import LONDON, Period
from putright.reports.tsm import CodeClock, extension_timings, reading_in_force, stage_started

#: The Complaint Handling Code's timescales, in working days: to acknowledge, and to respond
#: (from the acknowledgement) at stage 1 and 2; an extension may add as much again.

OUTCOMES = (
    (Outcome.UPHELD.value, "Upheld"),
    (Outcome.PARTIALLY_UPHELD.value, "Partly upheld"),
    (Outcome.NOT_UPHELD.value, "Not upheld"),
)

CASES = "web:case-list"
ACTIONS = "web:learning-actions"


@dataclass(frozen=True)
class Cell:
    """One figure and the list behind it: ``filters`` for the list named ``target`` (None: no list)."""

    value: int | Decimal | None
    filters: dict[str, str] | None = None
    target: str = CASES


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    key: str = ""


@dataclass(frozen=True)
class Table:
    """A table of figures; ``chart`` says how to draw the columns in ``series`` ("" for no chart)."""

    name: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[Row, ...]
    chart: str = "bar"
    series: tuple[int, ...] = (0,)
    note: str = ""
    money: tuple[int, ...] = ()
    percent: tuple[int, ...] = ()

    def column(self, index: int) -> list[int | Decimal | None]:
        return [row.cells[index].value for row in self.rows]


@dataclass(frozen=True)
class Scope:
    """Whose complaints: ``organisation`` and those below it, or (None) all the user may see."""

    organisation_ids: tuple[int, ...]
    organisation: Organisation | None
    label: str
    #: The organisations are every one there is: a query that reaches a complaint only to
    #: filter by its organisation can leave the join out (at a million complaints, reading
    #: every complaint to keep them all).
    every: bool = False

    @property
    def within(self) -> dict[str, str]:
        return {"within": self.organisation.short_name} if self.organisation else {}


@dataclass(frozen=True)
class Dashboard:
    period: Period
    scope: Scope
    made_at: dt.datetime
    tables: tuple[Table, ...] = field(default_factory=tuple)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def figure(self, table: str, row_key: str, column: int = 0) -> int | Decimal | None:
        """One figure by table name, row key and column (for tests, the PDF and the API)."""
        return next(r for r in self.table(table).rows if r.key == row_key).cells[column].value


def scope_for(user: User | None, organisation: Organisation | None) -> Scope:
    """The organisations counted (one query): the chosen one and those below it, else every one the
    user may see (no user: the command line, the whole group). The caller makes sure the user may
    see ``organisation``."""
    rows = list(Organisation.objects.values_list("pk", "parent_id"))
    visible = visible_organisation_ids(user) if user is not None else None
    if organisation is None:
        ids = tuple(pk for pk, _ in rows if visible is None or pk in visible)
        label = "All organisations you can see" if visible is not None else "The whole group"
        return Scope(ids, None, label, every=len(ids) == len(rows))
    children: dict[int | None, list[int]] = {}
    for pk, parent in rows:
        children.setdefault(parent, []).append(pk)
    found, todo = [organisation.pk], [organisation.pk]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    label = f"{organisation.name} and those below it"
    return Scope(tuple(found), organisation, label, every=len(found) == len(rows))


def dashboard(scope: Scope, period: Period, *, now: dt.datetime) -> Dashboard:
    """Every table of the dashboard for the scope and period, as the cases say at ``now``."""
    board = _Builder(scope, period, now)
    return Dashboard(period=period, scope=scope, made_at=now, tables=board.tables())


def percent(part: int, whole: int) -> int | None:
    """A share in whole per cent, rounded half up; None of nothing."""
    return (part * 200 + whole) // (whole * 2) if whole else None


def median(counts: Iterable[tuple[int, int]]) -> Decimal | None:
    """The median of values given as (value, how many times), halves kept (None of none)."""
    ordered = sorted((v, n) for v, n in counts if n)
    total = sum(n for _, n in ordered)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found: list[int] = []
    seen = 0
    for value, n in ordered:
        found += [value for position in wanted if seen <= position < seen + n]
        seen += n
    return Decimal(sum(found)) / 2


#: A stage's clock as the Code reads it: the nation, the stage, its London days (started,
#: acknowledged, responded to), its extensions, and how many stages had just these.
_Timing = tuple[str, int, dt.date, dt.date | None, dt.date | None, tuple[tsm.ExtensionTiming, ...], int]


@dataclass
class _Times:
    """How many steps were done, how many on time, and the working days each took (value, count)."""

    done: int = 0
    on_time: int = 0
    days: list[tuple[int, int]] = field(default_factory=list)

    def add(self, n: int, *, kept: bool, days: int | None = None) -> None:
        self.done += n
        self.on_time += n if kept else 0
        if days is not None:
            self.days.append((days, n))


class _Builder:
    """The queries of one dashboard; each method one table from one or two queries."""

    def __init__(self, scope: Scope, period: Period, now: dt.datetime) -> None:
        self.scope, self.period, self.now = scope, period, now
        self.base = {
            "received_from": period.start.isoformat(),
            "received_to": period.last_day.isoformat(),
            **scope.within,
        }
        self.calendar = WorkingCalendar.from_rules(current_policy().policy.calendar)
        self._themes: dict[int, Theme] | None = None
        self._cohort: dict[str, int] | None = None

    def received(self, prefix: str = "") -> Q:
        """The complaints received in the period in scope, through ``prefix`` (an index each way)."""
        return Q(
            **{
                f"{prefix}organisation_id__in": self.scope.organisation_ids,
                f"{prefix}received_at__gte": self.period.starts_at,
                f"{prefix}received_at__lt": self.period.ends_at,
            }
        )

    def copied(self, prefix: str = "") -> Q:
        """The rows of the period's complaints in scope, through ``prefix``, by the complaint's receipt
        and organisation copied onto them (``cases.models.copied``): read from the rows' own index,
        never by a join to the complaints, which would read every row of every year."""
        found = Q(
            **{
                f"{prefix}complaint_received_at__gte": self.period.starts_at,
                f"{prefix}complaint_received_at__lt": self.period.ends_at,
            }
        )
        if self.scope.every:
            return found
        return found & Q(**{f"{prefix}complaint_organisation_id__in": self.scope.organisation_ids})

    def in_scope(self, found: QuerySet[Any], prefix: str) -> QuerySet[Any]:
        """``found`` narrowed to the scope's organisations through ``prefix``: not at all when the
        scope is every organisation, so that the query need not join to the complaints for it."""
        if self.scope.every:
            return found
        return found.filter(**{f"{prefix}organisation_id__in": self.scope.organisation_ids})

    def complaints(self) -> QuerySet[Complaint]:
        return Complaint.objects.filter(self.received()).order_by()

    def cohort(self) -> dict[str, int]:
        """The counts over the cohort that several tables print, read in one pass (one query)."""
        if self._cohort is None:
            self._cohort = self.complaints().aggregate(
                received=Count("pk"),
                not_accepted=Count("pk", filter=Q(state=State.NOT_ACCEPTED.value)),
                informal=Count("pk", filter=Q(state=State.RESOLVED_INFORMALLY.value)),
                withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN.value)),
                final=Count("pk", filter=Q(final_response_at__isnull=False)),
                **{f"stage{n}": Count("pk", filter=Q(stage=n)) for n in STAGE_LABELS},
            )
        return self._cohort

    def cell(self, value: int | Decimal | None, **filters: str) -> Cell:
        return Cell(value, self.base | filters)

    def tables(self) -> tuple[Table, ...]:
        return (
            self.summary(),
            self.by_stage(),
            self.grouped(
                "by_channel", "Received by how it came", "channel", dict(Channel.choices), "How it came"
            ),
            self.by_organisation(),
            self.by_category(),
            self.by_theme(),
            self.by_service_area(),
            self.grouped(
                "not_accepted",
                "Not accepted, by reason",
                "exclusion_reason",
                dict(EXCLUSION_CHOICES),
                "Reason",
                only=Q(state=State.NOT_ACCEPTED.value),
            ),
            self.outcomes_by_stage(),
            self.outcomes_by_theme(),
            self.timeliness(),
            self.extensions(),
            self.extension_reasons(),
            self.escalation(),
            self.remedies(),
            self.learning_actions(),
            self.trends(),
        )

    # Received

    def summary(self) -> Table:
        """The headline counts (one query for the cohort, one for the repeat complainants, one for
        what is overdue now)."""
        counts = self.cohort()
        repeat = (
            self.complaints()
            .values("customer_id")
            .annotate(made=Count("pk"))
            .filter(made__gt=1)
            .aggregate(customers=Count("customer_id"), complaints=Sum("made"))
        )
        overdue = Complaint.objects.filter(
            organisation_id__in=self.scope.organisation_ids, next_due_at__lt=self.now
        ).count()
        rows = (
            Row("Received", (self.cell(counts["received"]),), "received"),
            Row("Not accepted", (self.cell(counts["not_accepted"], state="not_accepted"),), "not_accepted"),
            Row(
                "Resolved informally",
                (self.cell(counts["informal"], state="resolved_informally"),),
                "resolved_informally",
            ),
            Row("Withdrawn", (self.cell(counts["withdrawn"], state="withdrawn"),), "withdrawn"),
            Row(
                "Customers who made more than one complaint",
                (Cell(repeat["customers"] or 0),),
                "repeat_customers",
            ),
            Row(
                "Their complaints",
                (self.cell(repeat["complaints"] or 0, repeat="on"),),
                "repeat_complaints",
            ),
            Row(
                "Overdue now (any received date)",
                (Cell(overdue, {"flags": "overdue", **self.scope.within}),),
                "overdue_now",
            ),
        )
        return Table("summary", "Complaints received", ("", "Complaints"), rows, chart="")

    def by_stage(self) -> Table:
        counts = self.cohort()
        rows = tuple(
            Row(label, (self.cell(counts[f"stage{number}"], stage=str(number)),), str(number))
            for number, label in STAGE_LABELS.items()
        )
        return Table(
            "by_stage",
            "Received, by the stage they have reached",
            ("Stage reached", "Complaints"),
            rows,
            note="Triage: not yet accepted, or closed before stage 1 (not accepted, resolved informally).",
        )

    def grouped(
        self, name: str, title: str, column: str, labels: dict[str, str], heading: str, only: Q | None = None
    ) -> Table:
        """Complaints received by one of their columns, every known value shown (one query)."""
        found = dict(self.complaints().filter(only or Q()).values_list(column).annotate(n=Count("pk")))
        keys = [*labels, *(k for k in found if k not in labels and k)]
        rows = tuple(
            Row(labels.get(key, key), (self.cell(found.get(key, 0), **{column: key}),), key) for key in keys
        )
        return Table(name, title, (heading, "Complaints"), rows)

    def by_organisation(self) -> Table:
        found = dict(self.complaints().values_list("organisation_id").annotate(n=Count("pk")))
        names = {
            pk: (short, name)
            for pk, short, name in Organisation.objects.filter(pk__in=found).values_list(
                "pk", "short_name", "name"
            )
        }
        rows = tuple(
            Row(names[pk][1], (self.cell(n, organisation=names[pk][0]),), names[pk][0])
            for pk, n in sorted(found.items(), key=lambda item: (-item[1], names[item[0]][1]))
        )
        return Table("by_organisation", "Received, by organisation", ("Organisation", "Complaints"), rows)

    def by_category(self) -> Table:
        reasons = current_policy().policy.eligibility.reasons_to_complain
        return self.grouped(
            "by_category",
            "Received, by reason for complaint",
            "category",
            {r.key: r.text for r in reasons},
            "Reason",
        )

    def themes(self) -> dict[int, Theme]:
        if self._themes is None:
            self._themes = {t.pk: t for t in Theme.objects.select_related("parent")}
        return self._themes

    def report_theme(self, prefix: str) -> Coalesce:
        """The theme a point (through ``prefix``) counts under: where a merged theme went."""
        return Coalesce(
            F(f"{prefix}theme__merged_into__merged_into_id"),
            F(f"{prefix}theme__merged_into_id"),
            F(f"{prefix}theme_id"),
        )

    def by_theme(self) -> Table:
        """Complaints with a point of each theme (a complaint counts once under each of its themes)."""
        found = (
            PointLearning.objects.filter(self.copied(), self.copied("point__"), theme__isnull=False)
            .annotate(counted=self.report_theme(""))
            .values("counted")
            .annotate(n=Count("point__complaint_id", distinct=True))
            .order_by()
        )
        themes = self.themes()
        ranked = sorted(((themes[r["counted"]], r["n"]) for r in found), key=lambda t: (-t[1], t[0].label))
        rows = tuple(Row(t.label, (self.cell(n, theme=t.key),), t.key) for t, n in ranked)
        return Table(
            "by_theme",
            "Received, by theme",
            ("Theme", "Complaints"),
            rows,
            note="A complaint counts once under each theme of its points; "
            "a merged theme under the one it became.",
        )

    def by_service_area(self) -> Table:
        found = (
            PointLearning.objects.filter(self.copied(), self.copied("point__"), service_area__isnull=False)
            .values("service_area_id", "service_area__name", "service_area__organisation__short_name")
            .annotate(n=Count("point__complaint_id", distinct=True))
            .order_by("-n", "service_area__name")
        )
        rows = tuple(
            Row(
                f"{r['service_area__name']} ({r['service_area__organisation__short_name']})",
                (self.cell(r["n"], service_area=str(r["service_area_id"])),),
                str(r["service_area_id"]),
            )
            for r in found
        )
        return Table("by_service_area", "Received, by service area", ("Service area", "Complaints"), rows)

    # Outcomes

    def outcomes_by_stage(self) -> Table:
        found = {
            (r["response__stage__number"], r["outcome"]): r["n"]
            for r in PointOutcome.objects.filter(self.copied(), self.copied("response__stage__"))
            .values("response__stage__number", "outcome")
            .annotate(n=Count("response__stage__complaint_id", distinct=True))
            .order_by()
        }
        rows = tuple(
            Row(
                STAGE_LABELS[number],
                tuple(
                    self.cell(found.get((number, key), 0), outcome=key, outcome_stage=str(number))
                    for key, _ in OUTCOMES
                ),
                str(number),
            )
            for number in (1, 2, 3)
        )
        return Table(
            "outcomes_by_stage",
            "Outcomes, by stage",
            ("Stage", *(label for _, label in OUTCOMES)),
            rows,
            series=(0, 1, 2),
            note="Complaints with a point given each outcome at the stage (a complaint with points "
            "upheld and not upheld counts in both).",
        )

    def outcomes_by_theme(self) -> Table:
        found: dict[int, dict[str, int]] = {}
        for r in (
            PointOutcome.objects.filter(
                self.copied(),
                self.copied("point__"),
                self.copied("point__learning__"),
                point__learning__theme__isnull=False,
            )
            .annotate(counted=self.report_theme("point__learning__"))
            .values("counted", "outcome")
            .annotate(n=Count("point__complaint_id", distinct=True))
            .order_by()
        ):
            found.setdefault(r["counted"], {})[r["outcome"]] = r["n"]
        themes = self.themes()
        ordered = sorted(found.items(), key=lambda item: (-sum(item[1].values()), themes[item[0]].label))
        rows = tuple(
            Row(
                themes[pk].label,
                tuple(
                    self.cell(counts.get(key, 0), outcome=key, theme=themes[pk].key) for key, _ in OUTCOMES
                ),
                themes[pk].key,
            )
            for pk, counts in ordered
        )
        return Table(
            "outcomes_by_theme",
            "Outcomes, by theme",
            ("Theme", *(label for _, label in OUTCOMES)),
            rows,
            series=(0, 1, 2),
            note="Complaints with a point of the theme given each outcome, at any stage.",
        )

    # Time

    def timeliness(self) -> Table:
        """Time to acknowledge, make first contact and respond, against the policy and the Code."""
        policy = self._policy_times()
        code = self._code_times()
        rows = []
        for number in (1, 2):
            acked = code[(number, "acknowledge")]
            rows.append(
                Row(
                    f"Stage {number} acknowledgement",
                    (
                        self.cell(acked.done, acknowledged=str(number)),
                        Cell(None),
                        Cell(None),
                        Cell(acked.on_time),
                        Cell(percent(acked.on_time, acked.done)),
                        Cell(median(acked.days)),
                    ),
                    f"stage{number}.acknowledgement",
                )
            )
            for name in (f"stage{number}.contact", f"stage{number}.response"):
                met = policy[name]
                responded = code.get((number, "respond")) if name.endswith("response") else None
                rows.append(
                    Row(
                        MET_DEADLINES[name],
                        (
                            self.cell(met.done, met_deadline=name),
                            self.cell(met.on_time, met_deadline=name, met="on_time"),
                            Cell(percent(met.on_time, met.done)),
                            Cell(responded.on_time if responded else None),
                            Cell(percent(responded.on_time, responded.done) if responded else None),
                            Cell(median(met.days)),
                        ),
                        name,
                    )
                )
        return Table(
            "timeliness",
            "Time to acknowledge, make contact and respond",
            (
                "Step",
                "Done",
                "On time by the policy",
                "Policy: % on time",
                "On time by the Code",
                "Code: % on time",
                "Median working days",
            ),
            tuple(rows),
            series=(2, 4),
            percent=(2, 4),
            note="Of the complaints received in the period. The Code: acknowledged within "
            f"{tsm.ACKNOWLEDGE_DAYS} working days, a response within {tsm.RESPONSE_DAYS[1]} (stage 1) or "
            f"{tsm.RESPONSE_DAYS[2]} (stage 2) working days of the acknowledgement, read as the "
            f"Tenant Satisfaction Measures read it: {reading_in_force().describe()} The median "
            "counts working days from the receipt or the request for a review.",
        )

    def _policy_times(self) -> dict[str, _Times]:
        """Each deadline met: how many, how many on time, and the working days taken (one query)."""
        names = [*MET_DEADLINES, "stage1.extended_response", "stage2.extended_response"]
        found = (
            Deadline.objects.filter(self.copied(), met_at__isnull=False, name__in=names)
            .annotate(
                start=LondonDate("clock_started_at"),
                end=LondonDate("met_at"),
                kept=Case(
                    When(met_at__lte=F("due_at"), then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                ),
            )
            .values("name", "start", "end", "kept")
            .annotate(n=Count("pk"))
            .order_by()
        )
        times = {name: _Times() for name in MET_DEADLINES}
        for r in found:
            days = self.calendar.working_days_between(r["start"], r["end"])
            times[r["name"].replace("extended_response", "response")].add(r["n"], kept=r["kept"], days=days)
        return times

    def _code_times(self) -> dict[tuple[int, str], _Times]:
        """Each stage's acknowledgement and response against the Code's clocks, read as the TSM
        reads them (``procedure.tsm``, the reading in force, the Code's working days in the
        organisation's nation, through ``reports.tsm.CodeClock``), so the dashboard's "on time by
        the Code" and CH02 never disagree.

        Two queries: the stages, those without an extension counted by their London dates (the
        Code's clock reads nothing finer) and those with one a row each; their extensions."""
        nation = "complaint_organisation__nation"
        stages = Stage.objects.filter(self.copied(), number__in=(1, 2)).annotate(
            start=LondonDate(stage_started()),
            acked=LondonDate("acknowledged_at"),
            done=LondonDate("responded_at"),
        )
        extended = Exists(Extension.objects.filter(stage=OuterRef("pk")))
        # One pass: the stages without an extension grouped by their days (``alone`` None), each
        # with one a group of its own (``alone`` its id), to be read with its extensions.
        alone = Case(When(extended, then=F("pk")), default=None, output_field=BigIntegerField())
        found = (
            stages.annotate(alone=alone)
            .values_list(nation, "number", "start", "acked", "done", "alone")
            .annotate(n=Count("pk"))
            .order_by()
        )
        extensions = extension_timings(stages.filter(extended))
        timings: list[_Timing] = [
            (where, number, start, acked, done, tuple(extensions.get(pk, ())) if pk else (), n)
            for where, number, start, acked, done, pk, n in found
        ]
        times = {(n, step): _Times() for n in (1, 2) for step in ("acknowledge", "respond")}
        reading = reading_in_force()
        clocks = {where: CodeClock(where, reading) for where in {t[0] for t in timings}}
        for where, number, start, acked, done, stretched, n in timings:
            clock = clocks[where]
            if acked is not None:
                first, last = clock.acknowledgement(start)
                times[(number, "acknowledge")].add(
                    n, kept=acked <= last, days=clock.calendar.working_days_between(first, acked)
                )
            if done is not None:
                times[(number, "respond")].add(n, kept=clock.within(number, start, acked, done, stretched))
        return times

    def extensions(self) -> Table:
        """Complaints with an extension (one query, from the extensions of the cohort's stages)."""
        complaint = "stage__complaint_id"
        within = Q(good_reason="")
        counts = Extension.objects.filter(self.copied("stage__")).aggregate(
            any=Count(complaint, distinct=True),
            within_total=Count(complaint, distinct=True, filter=within),
            beyond_total=Count(complaint, distinct=True, filter=~within),
        )
        rows = (
            Row("Extended", (self.cell(counts["any"], extended="any"),), "any"),
            Row("Within the policy", (self.cell(counts["within_total"], extended="within"),), "within"),
            Row(
                "Beyond the policy (with a good reason)",
                (self.cell(counts["beyond_total"], extended="beyond"),),
                "beyond",
            ),
        )
        return Table("extensions", "Extensions", ("", "Complaints"), rows)

    def extension_reasons(self) -> Table:
        found = (
            Extension.objects.filter(self.copied("stage__"))
            .values("reason")
            .annotate(n=Count("pk"))
            .order_by("-n", "reason")[:10]
        )
        rows = tuple(Row(r["reason"][:120], (Cell(r["n"]),), str(i)) for i, r in enumerate(found))
        return Table(
            "extension_reasons",
            "Why deadlines were extended (the ten reasons given most often)",
            ("Reason given to the customer", "Extensions"),
            rows,
            chart="",
        )

    def escalation(self) -> Table:
        cohort = self.cohort()
        counts = {
            "stage2": cohort["stage2"] + cohort["stage3"],
            "appeal": cohort["stage3"],
            "final": cohort["final"],
        }
        first = cohort["stage1"] + counts["stage2"]
        rows = (
            Row("Accepted at stage 1", (self.cell(first, stage_reached="1"), Cell(None)), "stage1"),
            Row(
                "Escalated to stage 2",
                (self.cell(counts["stage2"], stage_reached="2"), Cell(percent(counts["stage2"], first))),
                "stage2",
            ),
            Row(
                "Went to appeal",
                (self.cell(counts["appeal"], stage_reached="3"), Cell(percent(counts["appeal"], first))),
                "appeal",
            ),
            Row(
                "Final response given (may go to the Housing Ombudsman)",
                (self.cell(counts["final"], final_response="yes"), Cell(percent(counts["final"], first))),
                "final_response",
            ),
        )
        return Table(
            "escalation",
            "Escalation",
            ("", "Complaints", "% of stage 1"),
            rows,
            percent=(1,),
            note="putright does not record referrals to the Housing Ombudsman: it shows the final "
            "responses given, after which the customer may refer the complaint.",
        )

    def remedies(self) -> Table:
        found = (
            Remedy.objects.filter(self.copied())
            .annotate(counted=self.report_theme("point__learning__"))
            .values("counted")
            .annotate(
                remedies=Count("pk"),
                complaints=Count("complaint_id", distinct=True),
                offered=Sum("amount"),
                paid=Sum("amount", filter=Q(paid_on__isnull=False)),
            )
            .order_by()
        )
        themes = self.themes()
        rows = []
        for r in sorted(found, key=lambda r: (r["counted"] is None, -(r["remedies"]))):
            theme = themes.get(r["counted"]) if r["counted"] else None
            complaints = (
                self.cell(r["complaints"], has_remedy="yes", theme=theme.key)
                if theme
                else Cell(r["complaints"])
            )
            rows.append(
                Row(
                    theme.label if theme else "No theme (a remedy for the whole complaint)",
                    (
                        Cell(r["remedies"]),
                        complaints,
                        Cell(r["offered"] or Decimal("0.00")),
                        Cell(r["paid"] or Decimal("0.00")),
                    ),
                    theme.key if theme else "",
                )
            )
        # Each complaint of the cohort asks its remedies (an index) whether it has one, rather
        # than every remedy there is being joined to its complaint and the pairs made distinct.
        total = self.complaints().filter(Exists(Remedy.objects.filter(complaint=OuterRef("pk")))).count()
        rows.append(
            Row(
                "All remedies",
                (
                    Cell(sum(r["remedies"] for r in found)),
                    self.cell(total, has_remedy="yes"),
                    Cell(sum((r["offered"] or Decimal(0) for r in found), Decimal("0.00"))),
                    Cell(sum((r["paid"] or Decimal(0) for r in found), Decimal("0.00"))),
                ),
                "total",
            )
        )
        return Table(
            "remedies",
            "Remedies, by theme",
            ("Theme", "Remedies", "Complaints", "Money offered (£)", "Money paid (£)"),
            tuple(rows),
            series=(2, 3),
            money=(2, 3),
        )

    def learning_actions(self) -> Table:
        today = self.now.astimezone(LONDON).date()
        counts = LearningAction.objects.filter(organisation_id__in=self.scope.organisation_ids).aggregate(
            open=Count("pk", filter=Q(completed_at__isnull=True, due_on__gte=today)),
            overdue=Count("pk", filter=Q(completed_at__isnull=True, due_on__lt=today)),
            done=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        organisation = self.scope.organisation
        single = organisation is not None and self.scope.organisation_ids == (organisation.pk,)
        extra = {"organisation": str(organisation.pk)} if single and organisation else {}
        linked = organisation is None or single
        rows = tuple(
            Row(
                label,
                (Cell(counts[key], {"status": key, **extra} if linked else None, ACTIONS),),
                key,
            )
            for key, label in (("open", "Open"), ("overdue", "Overdue"), ("done", "Done"))
        )
        return Table("learning_actions", "Learning actions, as they stand", ("", "Actions"), rows)

    def trends(self) -> Table:
        received = {
            _month_key(r["month"]): r["n"]
            for r in self.complaints()
            .annotate(month=LondonMonth("received_at"))
            .values("month")
            .annotate(n=Count("pk"))
        }
        responses = responses_between(self.period.starts_at, self.period.ends_at)
        given = {
            _month_key(r["month"]): r
            for r in self.in_scope(responses, "complaint_")
            .annotate(month=LondonMonth("occurred_at"))
            .values("month")
            .annotate(
                responded=Count("stage__complaint_id", distinct=True),
                kept=Count("stage__complaint_id", distinct=True, filter=on_time()),
                found=Count("stage__complaint_id", distinct=True, filter=Q(upheld=True)),
            )
            .order_by()
        }
        rows = []
        for month in self.period.months():
            dates = {"received_from": month.start.isoformat(), "received_to": month.last_day.isoformat()}
            answered = {"responded_from": month.start.isoformat(), "responded_to": month.last_day.isoformat()}
            g = given.get(month.key, {})
            rows.append(
                Row(
                    month.label,
                    (
                        Cell(received.get(month.key, 0), dates | self.scope.within),
                        Cell(g.get("responded", 0), answered | self.scope.within),
                        Cell(g.get("kept", 0), answered | {"response": "on_time"} | self.scope.within),
                        Cell(g.get("found", 0), answered | {"response": "upheld"} | self.scope.within),
                    ),
                    month.key,
                )
            )
        return Table(
            "trends",
            "By month",
            ("Month", "Received", "Responded to", "Responded to on time", "Upheld or partly upheld"),
            tuple(rows),
            chart="line",
            series=(0, 1, 2, 3),
            note="Responded to: complaints given a stage 1 or 2 response in the month "
            "(on time by the policy).",
        )


def _month_key(moment: dt.datetime | dt.date) -> str:
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(LONDON)
    return f"{moment:%Y-%m}"
