"""Retention: how long each kind of record is kept, and the daily run that applies it (issue 15).

The record types are a fixed list (``RECORD_TYPES``), each with its unit, its
default and a floor below which the landlord may not set it. The landlord sets
them in the ``[retention]`` table of the landlord file (``putright setup``), stored
one row per type (``RetentionPeriod``); a type with no row keeps its default.

``apply_retention`` is the run: complaints whose period has ended since they
closed are anonymised through ``anonymise_complaint`` (the same path erasure
takes: what identifies a person goes, what the reports count stays), in batches,
each case in its own transaction; a case under legal hold is passed by. The other
types are forgotten by the app that owns them (the public form's drafts and
rate-limit attempts, the outbox's attachments), which registers a forgetter here
from its ``ready()`` because those apps sit above cases. Nothing is removed twice:
a second run finds nothing due.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import StepNotAllowed
from putright.cases.models import RetentionPeriod
from putright.cases.selectors.retention import due_for_anonymising
from putright.cases.services.anonymisation import anonymise_complaint

logger = logging.getLogger("putright.retention")


class RecordType(StrEnum):
    COMPLAINTS = "complaints"
    DRAFTS = "drafts"
    RATE_LIMIT_ATTEMPTS = "rate_limit_attempts"
    EMAIL_ATTACHMENTS = "email_attachments"


class Unit(StrEnum):
    YEARS = "years"
    DAYS = "days"


@dataclass(frozen=True)
class Kind:
    """One record type: what it is, how its period is counted, its default and its floor."""

    record_type: RecordType
    label: str
    unit: Unit
    default: int
    floor: int
    ceiling: int
    counted_from: str  # the moment the period runs from, in words
    why_floor: str  # why it cannot be shorter
    file_key: str  # its key in the landlord file's [retention] table

    def words(self, amount: int) -> str:
        unit = self.unit.value if amount != 1 else self.unit.value[:-1]
        return f"{amount} {unit}"


RECORD_TYPES: tuple[Kind, ...] = (
    Kind(
        RecordType.COMPLAINTS,
        "Complaint records (personal details removed, figures kept)",
        Unit.YEARS,
        default=6,
        floor=1,
        ceiling=100,
        counted_from="after the complaint closed (or ended: not accepted, withdrawn)",
        why_floor="a complaint may come back to the Ombudsman within a year of its final response",
        file_key="complaint_years",
    ),
    Kind(
        RecordType.DRAFTS,
        "Unsent drafts of the public complaint form, with their files",
        Unit.DAYS,
        default=30,
        floor=1,
        ceiling=3650,
        counted_from="after the draft was last changed",
        why_floor="a person needs time to finish their complaint",
        file_key="draft_days",
    ),
    Kind(
        RecordType.RATE_LIMIT_ATTEMPTS,
        "Rate-limit records of the public pages",
        Unit.DAYS,
        default=2,
        floor=1,
        ceiling=3650,
        counted_from="after the attempt",
        why_floor="the longest rate-limit window is a day",
        file_key="rate_limit_days",
    ),
    Kind(
        RecordType.EMAIL_ATTACHMENTS,
        "Attachments of delivered emails (a letter's PDF stays on the letter)",
        Unit.DAYS,
        default=30,
        floor=1,
        ceiling=3650,
        counted_from="after the email was delivered",
        why_floor="an email is resent from its stored copy",
        file_key="email_attachment_days",
    ),
)
BY_TYPE: dict[RecordType, Kind] = {k.record_type: k for k in RECORD_TYPES}
BY_FILE_KEY: dict[str, Kind] = {k.file_key: k for k in RECORD_TYPES}

#: How many complaints are read and anonymised at a time (each in its own transaction).
BATCH = 200


def floor_problem(kind: Kind, amount: int) -> str | None:
    """Why ``amount`` cannot be the period for ``kind`` (below its floor, above its ceiling), or None."""
    if amount < kind.floor:
        return f"must be at least {kind.words(kind.floor)}: {kind.why_floor}"
    if amount > kind.ceiling:
        return f"must be at most {kind.words(kind.ceiling)}"
    return None


@dataclass(frozen=True)
class InForce:
    kind: Kind
    amount: int
    is_default: bool

    @property
    def words(self) -> str:
        return f"{self.kind.words(self.amount)} {self.kind.counted_from}"

    def cut(self, now: dt.datetime) -> dt.datetime:
        """Records older than this moment have had their time."""
        if self.kind.unit is Unit.DAYS:
            return now - dt.timedelta(days=self.amount)
        year = now.year - self.amount
        try:
            return now.replace(year=year)
        except ValueError:  # 29 February, in a year that has none
            return now.replace(year=year, day=28)


def in_force() -> dict[RecordType, InForce]:
    """The period in force for every record type, in the fixed order: stored, else the default."""
    stored = dict(RetentionPeriod.objects.values_list("record_type", "amount"))
    found = {k.record_type: stored.get(k.record_type.value, k.default) for k in RECORD_TYPES}
    return {
        k.record_type: InForce(k, found[k.record_type], found[k.record_type] == k.default)
        for k in RECORD_TYPES
    }


def period(record_type: RecordType) -> InForce:
    kind = BY_TYPE[record_type]
    amount = (
        RetentionPeriod.objects.filter(record_type=record_type.value).values_list("amount", flat=True).first()
    )
    amount = kind.default if amount is None else amount
    return InForce(kind, amount, amount == kind.default)


def set_period(record_type: RecordType, amount: int, *, actor: User | None = None) -> bool:
    """Store the period for one record type; True if it changed. ValueError below its floor."""
    kind = BY_TYPE[record_type]
    problem = floor_problem(kind, amount)
    if problem:
        raise ValueError(f"{kind.file_key} {problem}")
    with transaction.atomic():
        row = RetentionPeriod.objects.select_for_update().filter(record_type=record_type.value).first()
        if row is not None and row.amount == amount:
            return False
        RetentionPeriod.objects.update_or_create(
            record_type=record_type.value, defaults={"amount": amount, "updated_by": actor}
        )
    return True


# The run --------------------------------------------------------------------------------------

#: A record type's forgetter: given the cut and whether this is a dry run, how many records went
#: (or would go). Registered by the app that owns the records.
Forgetter = Callable[[dt.datetime, bool], int]
_forgetters: dict[RecordType, Forgetter] = {}


def register_forgetter(record_type: RecordType, forget: Forgetter) -> None:
    """Called from an app's ready(): how the run removes that app's records of ``record_type``."""
    _forgetters[record_type] = forget


def apply_retention(now: dt.datetime | None = None, *, dry_run: bool = False) -> dict[RecordType, int]:
    """Apply every record type's period at ``now``; how many records each removed (or would)."""
    now = now or timezone.now()
    periods = in_force()
    counts: dict[RecordType, int] = {}
    for kind in RECORD_TYPES:
        cut = periods[kind.record_type].cut(now)
        if kind.record_type is RecordType.COMPLAINTS:
            counts[kind.record_type] = _anonymise_due(cut, periods[kind.record_type], dry_run=dry_run)
        elif kind.record_type in _forgetters:
            counts[kind.record_type] = _forgetters[kind.record_type](cut, dry_run)
        else:
            counts[kind.record_type] = 0
    if not dry_run:
        logger.info("retention: %s", ", ".join(f"{t.value}={n}" for t, n in counts.items()))
    return counts


def _anonymise_due(cut: dt.datetime, period: InForce, *, dry_run: bool) -> int:
    due = due_for_anonymising(cut)
    if dry_run:
        return due.count()
    reason = f"retention period ended ({period.kind.words(period.amount)} after the complaint closed)"
    done = 0
    after: tuple[dt.datetime, int] | None = None
    while True:
        # Walk by (closed_at, pk), not by offset: each batch's cases leave the selection as they go.
        batch = (
            due
            if after is None
            else due.exclude(closed_at__lt=after[0]).exclude(closed_at=after[0], pk__lte=after[1])
        )
        cases = list(batch.only("pk", "closed_at", "reference")[:BATCH])
        if not cases:
            return done
        for case in cases:
            try:
                anonymise_complaint(case, actor=None, reason=reason)
                done += 1
            except StepNotAllowed as refused:  # a hold placed since it was read
                logger.info("retention: %s passed by: %s", case.reference, refused)
        last = cases[-1]
        assert last.closed_at is not None
        after = (last.closed_at, last.pk)


def complaint_cut(now: dt.datetime | None = None) -> dt.datetime:
    """Complaints that ended before this moment are due to be anonymised."""
    return period(RecordType.COMPLAINTS).cut(now or timezone.now())
