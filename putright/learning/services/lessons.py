"""Learning actions: a lesson (what went wrong for more than one customer) and the change it leads to.

A learning action belongs to an organisation, is owned by one of its staff (or
a group's), is due on a date and is done only with evidence of the change. It
is linked to the complaints that taught it and to themes. Everything here runs
in one transaction with its audit: a ``LearningEvent`` for the action itself,
and, for each complaint it touches, a timeline event written through
``case_step`` (``Step.LINK_LEARNING_ACTION``), so the case says it was linked,
unlinked, or that the change it led to was made.

A change made on a stale copy (the action's ``version``) is refused; a second
link of the same complaint, or a second unlink, changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import organisation_and_parents, visible_organisation_ids
from putright.cases.errors import InvalidInput, NotFound, StaleCase, StepNotAllowed
from putright.cases.models import Complaint, EventKind
from putright.cases.selectors.complaints import complaints_for
from putright.cases.services.steps import case_step
from putright.learning.models import (
    ChangeKind,
    LearningAction,
    LearningActionLink,
    LearningEvent,
    LearningEventKind,
    Theme,
)
from putright.learning.services import UNCHANGED
from putright.procedure import requests as rq
from putright.procedure.wording import long_date

LONGEST = 5000


class StaleLearningAction(StaleCase):
    """Someone else changed the learning action since the caller read it."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(expected, actual)
        self.message = (
            "Someone else has changed this learning action since you opened it "
            f"(you saw version {expected}, it is now version {actual}). "
            "Reload it to see their change, then try again."
        )
        self.args = (self.message,)


class ActionNotFound(NotFound):
    def __init__(self, action_id: object) -> None:
        super().__init__(f"No learning action {action_id}.")


class NotLinked(NotFound):
    def __init__(self, reference: str) -> None:
        super().__init__(f"Complaint {reference} is not linked to this learning action.")


class AlreadyCompleted(StepNotAllowed):
    """A completed learning action is not completed (or changed) again."""

    def __init__(self, reason: str) -> None:
        super().__init__("complete_learning_action", reason)


def status_of(action: LearningAction, today: dt.date | None = None) -> str:
    """``done``, ``overdue`` (its date is behind today) or ``open``."""
    if action.completed_at is not None:
        return "done"
    if action.due_on < (today or timezone.localdate()):
        return "overdue"
    return "open"


def create_learning_action(
    organisation: Organisation,
    *,
    lesson: str,
    change: str,
    change_kind: str,
    owner: User | None,
    due_on: dt.date | None,
    themes: Iterable[Theme] = (),
    complaints: Iterable[Complaint] = (),
    actor: User,
    now: dt.datetime | None = None,
) -> LearningAction:
    """Record a lesson and the change to make, linked to the complaints behind it (``now``: when it
    was recorded, for one recorded earlier, as the demo does)."""
    dated = now
    now = now or timezone.now()
    _check_organisation(organisation, actor)
    words = {"lesson": _words("lesson", lesson), "change": _words("change", change)}
    kind = _kind(change_kind)
    _check_owner(organisation, owner)
    due = _check_due(due_on, timezone.localdate(now))
    chosen = _themes(themes, current=())
    cases = _complaints(organisation, complaints, actor)
    with transaction.atomic():
        action = LearningAction.objects.create(
            organisation=organisation,
            change_kind=kind,
            owner=owner,
            due_on=due,
            created_by=actor,
            **words,
        )
        if dated is not None:  # created_at is stamped with the clock: date it as given
            LearningAction.objects.filter(pk=action.pk).update(created_at=dated)
            action.created_at = dated
        action.themes.set(chosen)
        _event(
            action,
            LearningEventKind.ACTION_CREATED,
            f"Learning action created, owned by {owner}, due {long_date(due)}",
            actor,
            now,
            complaints=[c.reference for c in cases],
            themes=[t.key for t in chosen],
        )
        for complaint in cases:
            _link(action, complaint, actor, now)
    return action


def edit_learning_action(
    action: LearningAction,
    *,
    expected_version: int,
    actor: User,
    lesson: str = UNCHANGED,
    change: str = UNCHANGED,
    change_kind: str = UNCHANGED,
    owner: User | None = UNCHANGED,
    due_on: dt.date | None = UNCHANGED,
    themes: Iterable[Theme] = UNCHANGED,
    now: dt.datetime | None = None,
) -> LearningAction:
    """Change what the action says, who owns it or when it is due; a stale copy is refused."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(action, expected_version)
        if locked.is_done:
            raise AlreadyCompleted("This learning action is done: it is no longer changed.")
        current_themes = list(locked.themes.order_by("pk"))
        wanted: dict[str, Any] = {}
        if lesson is not UNCHANGED:
            wanted["lesson"] = _words("lesson", lesson)
        if change is not UNCHANGED:
            wanted["change"] = _words("change", change)
        if change_kind is not UNCHANGED:
            wanted["change_kind"] = _kind(change_kind)
        if owner is not UNCHANGED:
            if owner != locked.owner:
                _check_owner(locked.organisation, owner)
            wanted["owner"] = owner
        if due_on is not UNCHANGED:
            if due_on != locked.due_on:
                _check_due(due_on, timezone.localdate(now))
            wanted["due_on"] = due_on
        changes: dict[str, list[Any]] = {
            name: [_said(getattr(locked, name)), _said(value)]
            for name, value in wanted.items()
            if getattr(locked, name) != value
        }
        if themes is not UNCHANGED:
            chosen = _themes(themes, current=current_themes)
            if {t.pk for t in chosen} != {t.pk for t in current_themes}:
                changes["themes"] = [[t.key for t in current_themes], [t.key for t in chosen]]
                locked.themes.set(chosen)
        if not changes:
            return locked
        for name, value in wanted.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save()
        _event(
            locked,
            LearningEventKind.ACTION_CHANGED,
            "Changed: " + ", ".join(_LABELS[name] for name in changes),
            actor,
            now,
            changes=changes,
        )
    return locked


def link_complaint(
    action: LearningAction, complaint: Complaint, *, actor: User, now: dt.datetime | None = None
) -> LearningActionLink:
    """Link a complaint behind the lesson (once: linking it again changes nothing)."""
    now = now or timezone.now()
    [case] = _complaints(action.organisation, [complaint], actor)
    with transaction.atomic():
        locked = _lock(action, None)
        existing = LearningActionLink.objects.filter(action=locked, complaint=case).first()
        if existing is not None:
            return existing
        link = _link(locked, case, actor, now)
        _event(
            locked,
            LearningEventKind.ACTION_CHANGED,
            f"Linked to complaint {case.reference}",
            actor,
            now,
            linked=case.reference,
        )
        _bump(locked)
    return link


def unlink_complaint(
    action: LearningAction, complaint: Complaint, *, actor: User, now: dt.datetime | None = None
) -> bool:
    """Unlink a complaint (linked by mistake); False if it was not linked."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(action, None)
        deleted, _ = LearningActionLink.objects.filter(action=locked, complaint=complaint).delete()
        if not deleted:
            return False
        with case_step(complaint, rq.LinkLearningAction(), actor=actor, occurred_at=now) as step:
            step.record(
                EventKind.LEARNING_ACTION_LINKED,
                f"No longer linked to the learning action “{_short(locked.lesson)}”",
                learning_action=locked.pk,
                unlinked=True,
            )
        _event(
            locked,
            LearningEventKind.ACTION_CHANGED,
            f"Unlinked from complaint {complaint.reference}",
            actor,
            now,
            unlinked=complaint.reference,
        )
        _bump(locked)
    return True


def complete_learning_action(
    action: LearningAction,
    *,
    evidence: str,
    completed_on: dt.date | None,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> LearningAction:
    """The change was made: record when and what shows it; each linked case is told."""
    now = now or timezone.now()
    words = _words("evidence", evidence, "say what shows the change was made")
    today = timezone.localdate(now)
    day = completed_on or today
    if not isinstance(day, dt.date):
        raise InvalidInput("completed_on", "give a date")
    if day > today:
        raise InvalidInput("completed_on", "cannot be in the future")
    with transaction.atomic():
        locked = _lock(action, expected_version)
        if locked.is_done:
            done_on = timezone.localdate(locked.completed_at)
            raise AlreadyCompleted(f"This learning action was already completed on {long_date(done_on)}.")
        created_on = timezone.localdate(locked.created_at)
        if day < created_on:
            raise InvalidInput("completed_on", f"cannot be before it was created ({long_date(created_on)})")
        locked.completed_at = now if day == today else _noon(day)
        locked.completed_by = actor
        locked.evidence = words
        locked.version += 1
        locked.save()
        _event(
            locked,
            LearningEventKind.ACTION_COMPLETED,
            f"Completed on {long_date(day)}",
            actor,
            now,
            completed_on=day.isoformat(),
            evidence=words,
        )
        for link in locked.links.select_related("complaint").order_by("pk"):
            with case_step(link.complaint_id, rq.LinkLearningAction(), actor=actor, occurred_at=now) as step:
                step.record(
                    EventKind.LEARNING_ACTION_COMPLETED,
                    f"The learning action “{_short(locked.lesson)}” was completed: {_short(words)}",
                    learning_action=locked.pk,
                    completed_on=day.isoformat(),
                )
    return locked


# --- the rules -----------------------------------------------------------------------------------


def _check_organisation(organisation: Organisation, actor: User) -> None:
    visible = visible_organisation_ids(actor)
    if visible is not None and organisation.pk not in visible:
        raise InvalidInput("organisation", "choose one of your organisations")


def _words(name: str, value: str, missing: str = "") -> str:
    words = (value or "").strip()
    if not words:
        raise InvalidInput(name, missing or f"write the {name}")
    if len(words) > LONGEST:
        raise InvalidInput(name, f"keep it to {LONGEST} characters")
    return words


def _kind(value: str) -> str:
    if value not in ChangeKind.values:
        raise InvalidInput("change_kind", "choose what kind of change it is")
    return value


def _check_owner(organisation: Organisation, owner: User | None) -> None:
    """The owner is active staff of the organisation or of a group above it."""
    if owner is None:
        raise InvalidInput("owner", "choose who owns the change")
    chain = organisation_and_parents(organisation.pk)
    if not owner.is_active or not owner.organisations.filter(pk__in=chain).exists():
        # Said the same way whether or not the username exists elsewhere (``api.routers.lessons``).
        who = f"{owner.username!r} is not active staff"
        raise InvalidInput("owner", f"{who} of {organisation.name} or its group")


def _check_due(due_on: dt.date | None, today: dt.date) -> dt.date:
    if not isinstance(due_on, dt.date):
        raise InvalidInput("due_on", "give the date the change is due")
    if due_on < today:
        raise InvalidInput("due_on", "cannot be in the past")
    return due_on


def _themes(themes: Iterable[Theme], *, current: Iterable[Theme]) -> list[Theme]:
    chosen = list(dict.fromkeys(themes))
    kept = {t.pk for t in current}
    for theme in chosen:
        if theme.retired_at and theme.pk not in kept:
            raise InvalidInput("themes", f"“{theme.name}” has been retired: choose a current theme")
    return chosen


def _complaints(organisation: Organisation, complaints: Iterable[Complaint], actor: User) -> list[Complaint]:
    """The complaints as the actor may see them, each of the organisation or one below it."""
    wanted = list(dict.fromkeys(c.pk for c in complaints))
    if not wanted:
        return []
    found = {c.pk: c for c in complaints_for(actor).filter(pk__in=wanted).select_related("organisation")}
    cases = []
    for pk in wanted:
        case = found.get(pk)
        if case is None:
            raise InvalidInput("complaints", "one of the complaints is not one you can see")
        if organisation.pk not in organisation_and_parents(case.organisation_id, actor):
            raise InvalidInput(
                "complaints", f"complaint {case.reference} is not a complaint of {organisation.name}"
            )
        cases.append(case)
    return cases


# --- writing -------------------------------------------------------------------------------------


def _lock(action: LearningAction, expected_version: int | None) -> LearningAction:
    locked = (
        LearningAction.objects.select_for_update(of=("self",))
        .select_related("organisation", "owner")
        .filter(pk=action.pk)
        .first()
    )
    if locked is None:
        raise ActionNotFound(action.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleLearningAction(expected_version, locked.version)
    return locked


def _bump(action: LearningAction) -> None:
    action.version += 1
    action.save(update_fields=["version", "updated_at"])


def _link(action: LearningAction, complaint: Complaint, actor: User, now: dt.datetime) -> LearningActionLink:
    link = LearningActionLink.objects.create(
        action=action, complaint=complaint, linked_at=now, linked_by=actor
    )
    with case_step(complaint, rq.LinkLearningAction(), actor=actor, occurred_at=now) as step:
        step.record(
            EventKind.LEARNING_ACTION_LINKED,
            f"Linked to the learning action “{_short(action.lesson)}”, due {long_date(action.due_on)}",
            learning_action=action.pk,
        )
    return link


def _event(
    action: LearningAction,
    kind: LearningEventKind,
    summary: str,
    actor: User | None,
    now: dt.datetime,
    **data: Any,
) -> LearningEvent:
    return LearningEvent.objects.create(
        kind=kind, occurred_at=now, actor=actor, summary=summary, data=data, action=action
    )


_LABELS = {
    "lesson": "the lesson",
    "change": "the change",
    "change_kind": "the kind of change",
    "owner": "the owner",
    "due_on": "the due date",
    "themes": "the themes",
}


def _said(value: Any) -> Any:
    if isinstance(value, User):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _short(words: str, most: int = 80) -> str:
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
