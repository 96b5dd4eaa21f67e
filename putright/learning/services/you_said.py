""" "You said, we did" entries: drafted by staff, approved by a manager who did not draft them.

Each write is one transaction with its ``LearningEvent``. Drafting and editing run the
personal-data check (``learning.privacy``) and keep what it found with the event, as a
warning; approving is where it is enforced: an entry that gives a person away is
refused, the refusal is kept (``ENTRY_REFUSED``, with the findings) and the error
carries the findings so the page can highlight them. Editing an approved entry returns
it to draft: what is published is always what a manager approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, can, visible_organisation_ids
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.references import normalise
from putright.learning import privacy
from putright.learning.models import (
    EntryStatus,
    LearningAction,
    LearningEvent,
    LearningEventKind,
    Theme,
    YouSaidEntry,
)
from putright.learning.privacy_selectors import group_of
from putright.learning.quarters import Quarter
from putright.learning.services import UNCHANGED

LONGEST = 2000


class EntryError(CaseError):
    """A change to an entry that was refused; nothing was changed."""


class EntryNotFound(NotFound):
    def __init__(self, entry_id: object) -> None:
        super().__init__(f"No “You said, we did” entry {entry_id}.")


class StaleEntry(EntryError):
    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(
            "Someone else has changed this entry since you opened it "
            f"(you saw version {expected}, it is now version {actual}). Reload it, then try again."
        )
        self.expected, self.actual = expected, actual


class EntryNotAllowed(EntryError):
    """The entry's status does not allow this (approving an approved entry, editing a withdrawn one)."""


class EntryForbidden(EntryError):
    """The actor's role does not allow this change to this entry."""


class OwnEntry(EntryError):
    def __init__(self) -> None:
        super().__init__("Nobody approves their own entry: ask another manager to approve it.")


class PersonalDataFound(EntryError):
    """The check found a person in the entry's words: ``found`` by field."""

    def __init__(self, found: dict[str, list[privacy.Finding]]) -> None:
        every = [finding for field in found.values() for finding in field]
        super().__init__(
            "The entry cannot be approved: it gives away personal data. Take out "
            f"{privacy.summary(every)}, then approve it."
        )
        self.found = found


@dataclass(frozen=True)
class EntryCheck:
    """What the personal-data check found in each of an entry's texts."""

    you_said: list[privacy.Finding]
    we_did: list[privacy.Finding]

    @property
    def clean(self) -> bool:
        return not (self.you_said or self.we_did)

    def by_field(self) -> dict[str, list[privacy.Finding]]:
        pairs = (("you_said", self.you_said), ("we_did", self.we_did))
        return {name: found for name, found in pairs if found}

    def as_data(self) -> dict[str, list[dict[str, object]]]:
        return {name: [f.as_dict() for f in found] for name, found in self.by_field().items()}


def check_entry(you_said: str, we_did: str, organisation: Organisation | int) -> EntryCheck:
    """Both texts through the personal-data check (one lookup each)."""
    return EntryCheck(
        you_said=privacy.findings(you_said, organisation), we_did=privacy.findings(we_did, organisation)
    )


def selectable_quarters(today: dt.date, count: int = 5) -> list[Quarter]:
    """The current quarter and the four before it, newest first: the quarters an entry is drafted for."""
    quarters = [Quarter.containing(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def draft_entry(
    organisation: Organisation,
    quarter: Quarter,
    you_said: str,
    we_did: str,
    theme: Theme | None,
    learning_actions: Sequence[LearningAction],
    complaints: Sequence[Complaint | str],
    actor: User,
    *,
    occurred_at: dt.datetime | None = None,
) -> YouSaidEntry:
    """A new draft; what the check finds is kept with the event and shown as a warning."""
    at = occurred_at or timezone.now()
    _may_see(actor, organisation)
    words = {"you_said": _words("you_said", you_said), "we_did": _words("we_did", we_did)}
    _check_quarter(quarter, at)
    _check_theme(theme, None)
    actions = _actions(organisation, learning_actions)
    cases = _complaints(actor, organisation, complaints)
    check = check_entry(words["you_said"], words["we_did"], organisation)
    with transaction.atomic():
        entry = YouSaidEntry.objects.create(
            organisation=organisation,
            quarter_start=quarter.start,
            you_said=words["you_said"],
            we_did=words["we_did"],
            theme=theme,
            drafted_by=actor,
            drafted_at=at,
        )
        entry.learning_actions.set(actions)
        entry.complaints.set(cases)
        _event(
            entry,
            LearningEventKind.ENTRY_DRAFTED,
            f"Entry drafted for {quarter.label}" + _warning(check),
            actor,
            at,
            findings=check.as_data(),
        )
    return entry


def edit_entry(
    entry: YouSaidEntry,
    *,
    actor: User,
    expected_version: int | None,
    quarter: Quarter = UNCHANGED,
    you_said: str = UNCHANGED,
    we_did: str = UNCHANGED,
    theme: Theme | None = UNCHANGED,
    learning_actions: Sequence[LearningAction] = UNCHANGED,
    complaints: Sequence[Complaint | str] = UNCHANGED,
    occurred_at: dt.datetime | None = None,
) -> YouSaidEntry:
    """Change a draft (or an approved entry, which returns to draft); a stale copy is refused."""
    at = occurred_at or timezone.now()
    with transaction.atomic():
        current = _locked(entry)
        _may_see(actor, current.organisation)
        _fresh(current, expected_version)
        if current.status == EntryStatus.WITHDRAWN:
            raise EntryNotAllowed("A withdrawn entry cannot be edited: draft a new one.")
        wanted: dict[str, Any] = {}
        if quarter is not UNCHANGED and quarter.start != current.quarter_start:
            _check_quarter(quarter, at)
            wanted["quarter_start"] = quarter.start
        for name, value in (("you_said", you_said), ("we_did", we_did)):
            if value is not UNCHANGED and _words(name, value) != getattr(current, name):
                wanted[name] = _words(name, value)
        if theme is not UNCHANGED and theme != current.theme:
            _check_theme(theme, current.theme)
            wanted["theme"] = theme
        old_actions = set(current.learning_actions.values_list("pk", flat=True))
        old_cases = set(current.complaints.values_list("pk", flat=True))
        actions = None if learning_actions is UNCHANGED else _actions(current.organisation, learning_actions)
        cases = None if complaints is UNCHANGED else _complaints(actor, current.organisation, complaints)
        changed = [*wanted]
        if actions is not None and {a.pk for a in actions} != old_actions:
            changed.append("learning_actions")
        if cases is not None and {c.pk for c in cases} != old_cases:
            changed.append("complaints")
        if not changed:
            return current
        was_approved = current.status == EntryStatus.APPROVED
        for name, value in wanted.items():
            setattr(current, name, value)
        if was_approved:
            current.status, current.approved_by, current.approved_at = EntryStatus.DRAFT, None, None
        current.version += 1
        current.save()
        if actions is not None:
            current.learning_actions.set(actions)
        if cases is not None:
            current.complaints.set(cases)
        check = check_entry(current.you_said, current.we_did, current.organisation)
        names = ", ".join(_FIELD_NAMES[name] for name in changed)
        _event(
            current,
            LearningEventKind.ENTRY_EDITED,
            f"Entry edited ({names})"
            + ("; it was approved, so it is a draft again" if was_approved else "")
            + _warning(check),
            actor,
            at,
            changed=changed,
            returned_to_draft=was_approved,
            findings=check.as_data(),
        )
    return current


def approve_entry(
    entry: YouSaidEntry,
    actor: User,
    *,
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> YouSaidEntry:
    """Approve another's entry once the check finds nobody in it; a refusal is kept on the record."""
    at = occurred_at or timezone.now()
    with transaction.atomic():
        current = _locked(entry)
        _may_see(actor, current.organisation)
        _fresh(current, expected_version)
        if current.status == EntryStatus.APPROVED:
            raise EntryNotAllowed("This entry is already approved.")
        if current.status == EntryStatus.WITHDRAWN:
            raise EntryNotAllowed("A withdrawn entry cannot be approved.")
        if current.drafted_by_id == actor.pk or _has_edited(current, actor):
            raise OwnEntry()
        checked_version = current.version
        check = check_entry(current.you_said, current.we_did, current.organisation)
        if not check.clean:
            _event(
                current,
                LearningEventKind.ENTRY_REFUSED,
                f"Approval refused: the check found {privacy.summary(check.you_said + check.we_did)}",
                actor,
                at,
                findings=check.as_data(),
            )
    # The refusal is kept (committed above) before the caller is told.
    if not check.clean:
        raise PersonalDataFound(check.by_field())
    with transaction.atomic():
        current = _locked(entry)
        # What is approved is exactly what was checked: an edit in between is checked afresh.
        _fresh(current, checked_version)
        if current.status != EntryStatus.DRAFT:  # approved by someone else meanwhile
            raise EntryNotAllowed("This entry is already approved.")
        current.status, current.approved_by, current.approved_at = EntryStatus.APPROVED, actor, at
        current.version += 1
        current.save()
        _event(current, LearningEventKind.ENTRY_APPROVED, "Entry approved", actor, at)
    return current


def _has_edited(entry: YouSaidEntry, actor: User) -> bool:
    """Whether ``actor`` wrote any of the entry's words: an approver never approves their own words,
    whether they drafted the entry or rewrote someone else's."""
    return LearningEvent.objects.filter(
        entry=entry, actor=actor, kind__in=(LearningEventKind.ENTRY_DRAFTED, LearningEventKind.ENTRY_EDITED)
    ).exists()


def withdraw_entry(
    entry: YouSaidEntry,
    actor: User,
    *,
    reason: str = "",
    expected_version: int | None = None,
    occurred_at: dt.datetime | None = None,
) -> YouSaidEntry:
    """Take an entry out of publication for good (a published quarter keeps what it published)."""
    at = occurred_at or timezone.now()
    with transaction.atomic():
        current = _locked(entry)
        _may_see(actor, current.organisation)
        _fresh(current, expected_version)
        if current.status == EntryStatus.WITHDRAWN:
            raise EntryNotAllowed("This entry is already withdrawn.")
        if current.status == EntryStatus.APPROVED and not can(actor, Capability.APPROVE_YOU_SAID):
            raise EntryForbidden("Only a manager who may approve entries withdraws an approved one.")
        current.status = EntryStatus.WITHDRAWN
        current.version += 1
        current.save()
        why = " ".join(reason.split())
        _event(
            current,
            LearningEventKind.ENTRY_WITHDRAWN,
            "Entry withdrawn" + (f": {why}" if why else ""),
            actor,
            at,
            reason=why,
        )
    return current


_FIELD_NAMES = {
    "quarter_start": "quarter",
    "you_said": "you said",
    "we_did": "we did",
    "theme": "theme",
    "learning_actions": "learning actions",
    "complaints": "complaints",
}


def _locked(entry: YouSaidEntry) -> YouSaidEntry:
    found = (
        YouSaidEntry.objects.select_for_update(of=("self",))
        .select_related("organisation", "theme")
        .filter(pk=entry.pk)
        .first()
    )
    if found is None:
        raise EntryNotFound(entry.pk)
    return found


def _fresh(entry: YouSaidEntry, expected: int | None) -> None:
    if expected is not None and expected != entry.version:
        raise StaleEntry(expected, entry.version)


def _may_see(actor: User, organisation: Organisation) -> None:
    visible = visible_organisation_ids(actor)
    if visible is not None and organisation.pk not in visible:
        raise InvalidInput("organisation", "choose one of your organisations")


def _words(field: str, text: str) -> str:
    words = (text or "").strip()
    if not words:
        raise InvalidInput(field, f"write what {_FIELD_NAMES[field]}")
    if len(words) > LONGEST:
        raise InvalidInput(field, f"keep it to {LONGEST} characters")
    return words


def _check_quarter(quarter: Quarter, at: dt.datetime) -> None:
    today = timezone.localdate(at)
    if quarter.start > Quarter.containing(today).start:
        raise InvalidInput("quarter", f"{quarter.label} has not begun: choose this quarter or an earlier one")


def _check_theme(theme: Theme | None, current: Theme | None) -> None:
    if theme is not None and theme.retired_at is not None and theme != current:
        raise InvalidInput("theme", f"“{theme.label}” has been retired: choose a current theme")


def _actions(organisation: Organisation, actions: Sequence[LearningAction]) -> list[LearningAction]:
    group = group_of(organisation)
    for action in actions:
        if action.organisation_id not in group:
            raise InvalidInput("learning_actions", f"learning action {action.pk} is not {organisation}'s")
    return list(dict.fromkeys(actions))


def _complaints(
    actor: User, organisation: Organisation, complaints: Sequence[Complaint | str]
) -> list[Complaint]:
    """The complaints, each given as itself or its reference, of the entry's organisation's group."""
    given = [c for c in complaints if isinstance(c, Complaint)]
    typed = [c for c in complaints if isinstance(c, str) and c.strip()]
    references = {}
    for text in typed:
        reference = normalise(text)
        if reference is None:
            raise InvalidInput("complaints", f"“{text}” is not a complaint reference (like PR-7K3M9Q)")
        references[reference] = text
    if references:
        found = {c.reference: c for c in Complaint.objects.filter(reference__in=list(references))}
        missing = [typed for ref, typed in references.items() if ref not in found]
        if missing:
            raise InvalidInput("complaints", f"no complaint {missing[0]} was found")
        given += found.values()
    group = group_of(organisation)
    visible = visible_organisation_ids(actor)
    for complaint in given:
        if complaint.organisation_id not in group or (
            visible is not None and complaint.organisation_id not in visible
        ):
            raise InvalidInput("complaints", f"complaint {complaint.reference} is not {organisation}'s")
    return list({c.pk: c for c in given}.values())


def _warning(check: EntryCheck) -> str:
    if check.clean:
        return ""
    return f" (the check finds {privacy.summary(check.you_said + check.we_did)}: take it out before approval)"


def _event(
    entry: YouSaidEntry,
    kind: LearningEventKind,
    summary: str,
    actor: User,
    at: dt.datetime,
    **data: Any,
) -> LearningEvent:
    return LearningEvent.objects.create(
        kind=kind, occurred_at=at, actor=actor, summary=summary, entry=entry, data=data
    )
