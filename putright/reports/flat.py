"""The flat export for business-intelligence tools: six tables of plain rows with stable columns.

A landlord's analysts load these into Power BI or Excel and build their own figures without
rebuilding ours: one row per complaint, per stage, per deadline, per point outcome, per
remedy and per action. Every row starts with the same complaint keys (``KEY_COLUMNS``), so
any table joins to any other on ``complaint_reference``.

The column names are a promise: a column is never renamed or removed, and a new one is only
ever added at the end of its table. ``docs/reports-export.md`` lists every column with its
type and meaning, and a test holds the two together.

No personal data: no names, addresses, emails or phone numbers, and no free text (a
customer's words, a caseworker's notes or reasons), which may hold any of those. A row
carries keys and ids to look the rest up in putright, where access is checked.

Each table is read in chunks of ``CHUNK`` rows, one query per chunk (``values()`` with its
joins, walking the table's primary key), whatever the size of the data: the shared lookups
(organisations, themes) are two queries more for the whole export.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, Model, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from putright.accounts.models import Organisation
from putright.cases.models import Action, Complaint, Deadline, Extension, Point, PointOutcome, Stage
from putright.cases.selectors.outcomes import UPHELD
from putright.cases.selectors.responses_given import policy_due
from putright.learning.figures import became
from putright.learning.models import LearningActionLink, Remedy, Theme
from putright.learning.selectors import themes as all_themes
from putright.procedure.deadlines import APPEAL_DECISION, deadline_label, response_name
from putright.reports.export_scope import Scope
from putright.reports.periods import LONDON

#: Rows read per query.
CHUNK = 2_000

#: The kinds of value a column holds (how each is written: docs/reports-export.md).
KINDS = ("text", "integer", "decimal", "boolean", "datetime", "date")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    meaning: str

    def __post_init__(self) -> None:
        assert self.kind in KINDS, f"{self.name}: no kind {self.kind!r}"


Row = dict[str, Any]


@dataclass(frozen=True)
class Lookups:
    """What every row may need beside its own query, read once per export: each organisation's
    short name and group, every theme (with its parent and merges), and the moment of export."""

    now: dt.datetime
    organisations: dict[int, tuple[str, str]]
    themes: dict[int, Theme]

    @classmethod
    def read(cls, now: dt.datetime) -> Lookups:
        parents: dict[int, int | None] = {}
        names: dict[int, str] = {}
        for pk, short_name, parent_id in Organisation.objects.values_list("pk", "short_name", "parent_id"):
            names[pk], parents[pk] = short_name, parent_id
        return cls(
            now=now,
            organisations={pk: (names[pk], names[_top(parents, pk)]) for pk in names},
            themes={theme.pk: theme for theme in all_themes()},
        )

    def theme_key(self, theme_id: int | None) -> str:
        return self.themes[theme_id].key if theme_id is not None else ""

    def theme_label(self, theme_id: int | None) -> str:
        return self.themes[theme_id].label if theme_id is not None else ""

    def counted_as(self, theme_id: int | None) -> str:
        """The key of the theme the reports count it under (where merges led)."""
        return self.themes[became(self.themes, theme_id)].key if theme_id is not None else ""


def _top(parents: dict[int, int | None], pk: int) -> int:
    """The organisation at the top of the one given (its group), itself when it has no parent."""
    seen = {pk}
    while (parent := parents.get(pk)) is not None and parent not in seen:
        seen.add(parent)
        pk = parent
    return pk


# The complaint's keys, first in every table ------------------------------------------------

KEY_COLUMNS = (
    Column("complaint_reference", "text", "The complaint's reference: the key to join every table on."),
    Column("organisation", "text", "Short name of the organisation the complaint is about."),
    Column(
        "organisation_group",
        "text",
        "Short name of the organisation at the top of it (its group); its own when it has none above.",
    ),
    Column("received_at", "datetime", "When the complaint reached us, however it came."),
    Column(
        "channel",
        "text",
        "How it came: web, email, phone, letter, in_person, social_media or representative.",
    ),
    Column("category", "text", "The policy's reason to complain, by its key (service_failure, ...)."),
    Column("stock_type", "text", "lcra (low-cost rental), lcho (low-cost home ownership) or blank."),
    Column("state", "text", "Where the complaint is now, by its key (stage1_investigating, closed, ...)."),
    Column("complaint_stage", "integer", "The highest stage reached: 0 triage, 1, 2, 3 the appeal."),
)
_KEY_FIELDS = (
    "reference",
    "organisation_id",
    "received_at",
    "channel",
    "category",
    "stock_type",
    "state",
    "stage",
)


def _key_fields(path: str) -> list[str]:
    return [f"{path}{name}" for name in _KEY_FIELDS]


def _keys(row: Row, path: str, lookups: Lookups) -> Row:
    organisation, group = lookups.organisations[row[f"{path}organisation_id"]]
    return {
        "complaint_reference": row[f"{path}reference"],
        "organisation": organisation,
        "organisation_group": group,
        "received_at": row[f"{path}received_at"],
        "channel": row[f"{path}channel"],
        "category": row[f"{path}category"],
        "stock_type": row[f"{path}stock_type"],
        "state": row[f"{path}state"],
        "complaint_stage": row[f"{path}stage"],
    }


def _chunks(queryset: QuerySet[Any], fields: list[str], chunk: int) -> Iterator[Row]:
    """The rows of ``queryset`` as dicts of ``fields``, ``chunk`` at a time, in primary-key order:
    one query per chunk (the last, short one ends it)."""
    last: Any = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        batch = list(page.order_by("pk").values("pk", *fields)[:chunk])
        yield from batch
        if len(batch) < chunk:
            return
        last = batch[-1]["pk"]


def _count(model: type[Model], ref: str, outer: str = "pk") -> Coalesce:
    """How many rows of ``model`` point (by ``ref``) at the outer row: a subquery, not a query."""
    counted = (
        model._default_manager.filter(**{ref: OuterRef(outer)})
        .order_by()
        .values(ref)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


# complaints ------------------------------------------------------------------------------

COMPLAINT_COLUMNS = (
    *KEY_COLUMNS,
    Column("policy", "text", "The name of the policy the complaint was opened under."),
    Column("policy_version", "text", "That policy's version."),
    Column("team", "text", "The team handling it (blank for none)."),
    Column("points", "integer", "How many points of complaint it has."),
    Column("exclusion_reason", "text", "Why it was not accepted, by its key (blank when accepted)."),
    Column("raised_during", "text", "The reference of the complaint it was raised during, as a new matter."),
    Column("next_deadline", "text", "The stable name of its nearest open deadline (blank for none)."),
    Column("next_due_at", "datetime", "When that deadline falls."),
    Column("final_response_at", "datetime", "When the final response was sent."),
    Column("closed_at", "datetime", "When it was closed."),
)


def complaint_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    complaints = Complaint.objects.filter(scope.complaints()).annotate(point_count=_count(Point, "complaint"))
    fields = [
        *_key_fields(""),
        "policy__name",
        "policy__version",
        "team__name",
        "point_count",
        "exclusion_reason",
        "parent__reference",
        "next_due_name",
        "next_due_at",
        "final_response_at",
        "closed_at",
    ]
    for row in _chunks(complaints, fields, chunk):
        yield _keys(row, "", lookups) | {
            "policy": row["policy__name"],
            "policy_version": row["policy__version"],
            "team": row["team__name"] or "",
            "points": row["point_count"],
            "exclusion_reason": row["exclusion_reason"],
            "raised_during": row["parent__reference"] or "",
            "next_deadline": row["next_due_name"],
            "next_due_at": row["next_due_at"],
            "final_response_at": row["final_response_at"],
            "closed_at": row["closed_at"],
        }


# stages ----------------------------------------------------------------------------------

STAGE_COLUMNS = (
    *KEY_COLUMNS,
    Column("stage_number", "integer", "1 (stage 1), 2 (the stage 2 review) or 3 (the appeal)."),
    Column("opened_at", "datetime", "When the stage opened: acceptance, or the request to escalate."),
    Column("acknowledged_at", "datetime", "When the stage was acknowledged (the Code's clocks run from it)."),
    Column(
        "acknowledged_via",
        "text",
        "How: letter, contact, recorded (through the API) or backfilled (the first contact, "
        "before acknowledgements were recorded).",
    ),
    Column("responded_at", "datetime", "When the stage's response (or the appeal's decision) was given."),
    Column("refused_at", "datetime", "When an appeal was refused."),
    Column("extensions", "integer", "How many times the response date was extended."),
    Column("extended_beyond_policy", "boolean", "Whether an extension went beyond the policy's limit."),
    Column(
        "response_due_at",
        "datetime",
        "The response (or appeal decision) deadline as it stands, after every extension.",
    ),
    Column(
        "policy_due_at",
        "datetime",
        "The response deadline the policy allows: the first, moved only by extensions within the "
        "policy (blank for the appeal).",
    ),
    Column(
        "on_time_by_policy",
        "boolean",
        "Whether the response was given by policy_due_at (blank until it is given, and for the appeal).",
    ),
)


def _response_due() -> Subquery:
    names = [response_name(1), response_name(2), APPEAL_DECISION]
    return Subquery(Deadline.objects.filter(stage=OuterRef("pk"), name__in=names).values("due_at")[:1])


def stage_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    stages = Stage.objects.filter(scope.complaints("complaint__")).annotate(
        extension_count=_count(Extension, "stage"),
        beyond=Exists(Extension.objects.filter(stage=OuterRef("pk")).exclude(good_reason="")),
        due=_response_due(),
        allowed=policy_due("pk"),
    )
    fields = [
        *_key_fields("complaint__"),
        "number",
        "opened_at",
        "acknowledged_at",
        "acknowledged_via",
        "responded_at",
        "refused_at",
        "extension_count",
        "beyond",
        "due",
        "allowed",
    ]
    for row in _chunks(stages, fields, chunk):
        responded, allowed = row["responded_at"], row["allowed"]
        yield _keys(row, "complaint__", lookups) | {
            "stage_number": row["number"],
            "opened_at": row["opened_at"],
            "acknowledged_at": row["acknowledged_at"],
            "acknowledged_via": row["acknowledged_via"],
            "responded_at": responded,
            "refused_at": row["refused_at"],
            "extensions": row["extension_count"],
            "extended_beyond_policy": row["beyond"],
            "response_due_at": row["due"],
            "policy_due_at": allowed,
            "on_time_by_policy": None if responded is None or allowed is None else responded <= allowed,
        }


# deadlines -------------------------------------------------------------------------------

DEADLINE_COLUMNS = (
    *KEY_COLUMNS,
    Column("stage_number", "integer", "The stage it belongs to (blank for one of the whole complaint)."),
    Column(
        "deadline",
        "text",
        "Its stable name: stage1.contact, stage1.response, stage2.contact, stage2.response, "
        "appeal.meeting, appeal.decision, ombudsman.direct, ...",
    ),
    Column("deadline_label", "text", "The name in words, as the workspace shows it."),
    Column("clock_started_at", "datetime", "When its clock started."),
    Column("original_due_at", "datetime", "When it first fell due."),
    Column("due_at", "datetime", "When it falls due now (moved only by a recorded extension)."),
    Column("met_at", "datetime", "When it was met."),
    Column("cancelled_at", "datetime", "When it stopped applying (the case moved on another way)."),
    Column(
        "status",
        "text",
        "open, met (by its due time), missed (met late, or still open after it) or cancelled, "
        "as at the export.",
    ),
)


def deadline_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    deadlines = Deadline.objects.filter(scope.complaints("complaint__"))
    fields = [
        *_key_fields("complaint__"),
        "stage__number",
        "name",
        "clock_started_at",
        "original_due_at",
        "due_at",
        "met_at",
        "cancelled_at",
    ]
    for row in _chunks(deadlines, fields, chunk):
        status = Deadline(due_at=row["due_at"], met_at=row["met_at"], cancelled_at=row["cancelled_at"])
        yield _keys(row, "complaint__", lookups) | {
            "stage_number": row["stage__number"],
            "deadline": row["name"],
            "deadline_label": deadline_label(row["name"]),
            "clock_started_at": row["clock_started_at"],
            "original_due_at": row["original_due_at"],
            "due_at": row["due_at"],
            "met_at": row["met_at"],
            "cancelled_at": row["cancelled_at"],
            "status": status.status(lookups.now).value,
        }


# outcomes --------------------------------------------------------------------------------

_THEME_COLUMNS = (
    Column("theme", "text", "The point's theme, by its stable key (blank until recorded)."),
    Column("theme_label", "text", 'The theme in words ("Repairs: damp and mould").'),
    Column("theme_counted_as", "text", "The key of the theme the reports count it under, after any merge."),
)

OUTCOME_COLUMNS = (
    *KEY_COLUMNS,
    Column("stage_number", "integer", "The stage whose response gave the outcome (3 for the appeal)."),
    Column("response_kind", "text", "response, or appeal_decision."),
    Column("responded_at", "datetime", "When that response was given."),
    Column(
        "response_method", "text", "How it was given: letter, email, phone, in_person, ... (may be blank)."
    ),
    Column("point_number", "integer", "The point's number within the complaint."),
    Column("outcome", "text", "upheld, partially_upheld or not_upheld."),
    Column("upheld", "boolean", "Whether the point was upheld or partly upheld."),
    *_THEME_COLUMNS,
    Column("service_area", "text", "The department or contractor responsible for what the point is about."),
    Column("service_area_kind", "text", "department or contractor."),
    Column("root_cause", "text", "Why it went wrong, by its stable key (blank if not recorded)."),
    Column("root_cause_label", "text", "The root cause in words."),
)


def _themes(lookups: Lookups, theme_id: int | None) -> Row:
    return {
        "theme": lookups.theme_key(theme_id),
        "theme_label": lookups.theme_label(theme_id),
        "theme_counted_as": lookups.counted_as(theme_id),
    }


def outcome_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    """One row per point outcome; the point's learning (theme, area, cause) is the point's own,
    as recorded now: learning belongs to the point, not to one response."""
    path = "response__stage__complaint__"
    outcomes = PointOutcome.objects.filter(scope.complaints(path))
    fields = [
        *_key_fields(path),
        "response__stage__number",
        "response__kind",
        "response__occurred_at",
        "response__method",
        "point__number",
        "outcome",
        "point__learning__theme_id",
        "point__learning__service_area__name",
        "point__learning__service_area__kind",
        "point__learning__root_cause__key",
        "point__learning__root_cause__name",
    ]
    for row in _chunks(outcomes, fields, chunk):
        yield (
            _keys(row, path, lookups)
            | {
                "stage_number": row["response__stage__number"],
                "response_kind": row["response__kind"],
                "responded_at": row["response__occurred_at"],
                "response_method": row["response__method"],
                "point_number": row["point__number"],
                "outcome": row["outcome"],
                "upheld": row["outcome"] in UPHELD,
            }
            | _themes(lookups, row["point__learning__theme_id"])
            | {
                "service_area": row["point__learning__service_area__name"] or "",
                "service_area_kind": row["point__learning__service_area__kind"] or "",
                "root_cause": row["point__learning__root_cause__key"] or "",
                "root_cause_label": row["point__learning__root_cause__name"] or "",
            }
        )


# remedies --------------------------------------------------------------------------------

REMEDY_COLUMNS = (
    *KEY_COLUMNS,
    Column("remedy_id", "integer", "The remedy's id in putright."),
    Column("stage_number", "integer", "The stage it was offered at."),
    Column("point_number", "integer", "The point it puts right (blank for the complaint as a whole)."),
    Column("remedy_type", "text", "apology, explanation, action, financial or other."),
    Column(
        "purpose",
        "text",
        "What money is for: time_and_trouble, distress_and_inconvenience, loss_of_amenity or costs.",
    ),
    Column("amount_offered", "decimal", "Money offered, in pounds (blank for a remedy that is not money)."),
    Column("amount_paid", "decimal", "Money paid, in pounds (blank until paid)."),
    Column("status", "text", "offered, accepted, declined or paid."),
    Column("offered_on", "date", "The day it was offered."),
    Column("accepted_on", "date", "The day the customer accepted it."),
    Column("declined_on", "date", "The day the customer declined it."),
    Column("paid_on", "date", "The day the money was paid."),
    Column("rate_key", "text", "The policy's rate the amount was worked out from (blank if none)."),
    Column("rate_units", "integer", "How many days or occasions at that rate."),
    *_THEME_COLUMNS,
)


def remedy_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    remedies = Remedy.objects.filter(scope.complaints("complaint__"))
    fields = [
        *_key_fields("complaint__"),
        "stage_number",
        "point__number",
        "remedy_type",
        "purpose",
        "amount",
        "status",
        "offered_on",
        "accepted_on",
        "declined_on",
        "paid_on",
        "rate_key",
        "rate_units",
        "point__learning__theme_id",
    ]
    for row in _chunks(remedies, fields, chunk):
        yield (
            _keys(row, "complaint__", lookups)
            | {
                "remedy_id": row["pk"],
                "stage_number": row["stage_number"],
                "point_number": row["point__number"],
                "remedy_type": row["remedy_type"],
                "purpose": row["purpose"],
                "amount_offered": row["amount"],
                "amount_paid": row["amount"] if row["paid_on"] is not None else None,
                "status": row["status"],
                "offered_on": row["offered_on"],
                "accepted_on": row["accepted_on"],
                "declined_on": row["declined_on"],
                "paid_on": row["paid_on"],
                "rate_key": row["rate_key"],
                "rate_units": row["rate_units"],
            }
            | _themes(lookups, row["point__learning__theme_id"])
        )


# actions ---------------------------------------------------------------------------------

ACTION_COLUMNS = (
    *KEY_COLUMNS,
    Column(
        "action_kind",
        "text",
        "case: agreed with the customer to put this complaint right; learning: a change to the "
        "service (a learning action) this complaint is linked to. A learning action linked to "
        "several complaints has a row for each.",
    ),
    Column("action_id", "integer", "The action's id in putright, within its kind."),
    Column("stage_number", "integer", "The stage a case action was agreed at (blank for learning)."),
    Column("agreed_at", "datetime", "When a case action was agreed (blank for learning)."),
    Column("linked_at", "datetime", "When the complaint was linked to a learning action (blank for case)."),
    Column("change_kind", "text", "What a learning action changes: policy, procedure, training, system, ..."),
    Column("due_on", "date", "The day it is due."),
    Column("completed_at", "datetime", "When it was done."),
    Column("done", "boolean", "Whether it is done."),
    Column("overdue", "boolean", "Not done, and due before the day of the export (London time)."),
)


def action_rows(scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[Row]:
    """Case actions first, then learning actions (each by id)."""
    today = lookups.now.astimezone(LONDON).date()
    case_fields = [*_key_fields("complaint__"), "stage_number", "agreed_at", "due_on", "completed_at"]
    for row in _chunks(Action.objects.filter(scope.complaints("complaint__")), case_fields, chunk):
        yield _action(row, lookups, today, "case", row["pk"], row["due_on"], row["completed_at"]) | {
            "stage_number": row["stage_number"],
            "agreed_at": row["agreed_at"],
        }
    links = LearningActionLink.objects.filter(scope.complaints("complaint__"))
    link_fields = [
        *_key_fields("complaint__"),
        "action_id",
        "linked_at",
        "action__change_kind",
        "action__due_on",
        "action__completed_at",
    ]
    for row in _chunks(links, link_fields, chunk):
        yield _action(
            row,
            lookups,
            today,
            "learning",
            row["action_id"],
            row["action__due_on"],
            row["action__completed_at"],
        ) | {"linked_at": row["linked_at"], "change_kind": row["action__change_kind"]}


def _action(
    row: Row,
    lookups: Lookups,
    today: dt.date,
    kind: str,
    action_id: int,
    due_on: dt.date,
    completed_at: dt.datetime | None,
) -> Row:
    return _keys(row, "complaint__", lookups) | {
        "action_kind": kind,
        "action_id": action_id,
        "stage_number": None,
        "agreed_at": None,
        "linked_at": None,
        "change_kind": "",
        "due_on": due_on,
        "completed_at": completed_at,
        "done": completed_at is not None,
        "overdue": completed_at is None and due_on < today,
    }


# The tables ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    name: str
    about: str
    columns: tuple[Column, ...]
    read: Callable[[Scope, Lookups, int], Iterator[Row]]

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[list[Any]]:
        """Each row's values in the order of the columns."""
        names = self.names
        for row in self.read(scope, lookups, chunk):
            yield [row[name] for name in names]


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table("complaints", "One row per complaint.", COMPLAINT_COLUMNS, complaint_rows),
        Table(
            "stages",
            "One row per stage a complaint reached (stage 1, 2, the appeal).",
            STAGE_COLUMNS,
            stage_rows,
        ),
        Table("deadlines", "One row per deadline set on a complaint.", DEADLINE_COLUMNS, deadline_rows),
        Table(
            "outcomes",
            "One row per outcome given to a point of complaint, with the point's learning.",
            OUTCOME_COLUMNS,
            outcome_rows,
        ),
        Table("remedies", "One row per remedy offered.", REMEDY_COLUMNS, remedy_rows),
        Table(
            "actions",
            "One row per action agreed on a complaint, and per learning action linked to one.",
            ACTION_COLUMNS,
            action_rows,
        ),
    )
}


def table_named(name: str) -> Table | None:
    return TABLES.get(name)
