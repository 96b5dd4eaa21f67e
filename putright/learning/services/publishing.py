"""Publishing a quarter of "You said, we did": a snapshot that is never edited, only corrected.

A manager (``APPROVE_YOU_SAID``) publishes an organisation's quarter: the figures
as the cases say now and the entries approved for it, each entry's words and theme
as approved, become a new ``Publication`` version (1, then 2, ...). A second
version corrects the first and must say what it corrects; the public page shows the
latest version with "Corrected: ..." and when it was last updated.

Two managers (or one double click) publishing at once: the organisation's row is
locked first, so the second waits, then finds the version the first wrote; the unique
(organisation, quarter, version) constraint backs this up where a lock is not kept.
A publish that would repeat the latest version word for word (same entries, same
figures, no note) is the same click again and returns that version unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import CaseError, InvalidInput, StaleCase, StepNotAllowed
from putright.learning import privacy
from putright.learning.figures import quarter_figures
from putright.learning.models import (
    EntryStatus,
    LearningEvent,
    LearningEventKind,
    Publication,
    YouSaidEntry,
)
from putright.learning.quarters import Quarter

STEP = "publish_quarter"


class NotAllowedToPublish(PermissionError):
    """The actor's role may not publish (views and the API check first; this is the backstop)."""


class NothingToPublish(StepNotAllowed):
    def __init__(self, organisation: Organisation, quarter: Quarter) -> None:
        super().__init__(
            STEP,
            f"Nothing is approved for {organisation.name}, {quarter.label}: "
            "approve at least one entry before publishing the quarter.",
        )


class StalePublication(StaleCase):
    """Someone published the quarter since the caller looked at it."""

    def __init__(self, expected: int, actual: int) -> None:
        CaseError.__init__(
            self,
            f"Someone published version {actual} of this quarter since you opened the page "
            f"(you saw {'version ' + str(expected) if expected else 'nothing published'}). "
            "Check what they published, then try again.",
        )
        self.expected = expected
        self.actual = actual


def approved_entries(organisation: Organisation, quarter: Quarter) -> list[YouSaidEntry]:
    """The entries approved for the organisation's quarter, in the order they were drafted (one query)."""
    return list(
        YouSaidEntry.objects.filter(
            organisation=organisation, quarter_start=quarter.start, status=EntryStatus.APPROVED
        )
        .select_related("theme__parent")
        .order_by("drafted_at", "pk")
    )


def entry_snapshot(entry: YouSaidEntry) -> dict[str, Any]:
    """An entry as published: its words and its theme's label, nothing about who wrote it."""
    return {
        "id": entry.pk,
        "you_said": entry.you_said,
        "we_did": entry.we_did,
        "theme": entry.theme.label if entry.theme else "",
        "theme_key": entry.theme.key if entry.theme else "",
        "approved_at": entry.approved_at,
    }


def latest_publication(organisation: Organisation, quarter: Quarter) -> Publication | None:
    return (
        Publication.objects.filter(organisation=organisation, quarter_start=quarter.start)
        .order_by("-version")
        .first()
    )


def publish_quarter(
    organisation: Organisation,
    quarter: Quarter,
    actor: User,
    correction_note: str = "",
    *,
    now: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Publication:
    """Publish the quarter as it stands now: a new version with the figures and approved entries.

    ``expected_version`` is the latest version the caller saw (0 for none): if someone has
    published since, the request is refused (unless it would publish exactly that again).
    """
    if not can(actor, Capability.APPROVE_YOU_SAID):
        raise NotAllowedToPublish("Only a senior manager may publish a quarter.")
    note = correction_note.strip()
    now = now or timezone.now()
    if quarter.end > timezone.localdate(now):
        last_day = quarter.end - dt.timedelta(days=1)
        raise InvalidInput(
            "quarter", f"{quarter.label} runs until {last_day:%-d %B %Y}: publish it once it has ended."
        )
    with transaction.atomic():
        # Every publisher of this organisation queues here: the version number is read and
        # written under the lock, so a double click cannot write two versions.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
        latest = latest_publication(organisation, quarter)
        entries = [entry_snapshot(e) for e in approved_entries(organisation, quarter)]
        figures = quarter_figures(organisation, quarter).as_json()
        if latest is None and not entries:
            raise NothingToPublish(organisation, quarter)
        if latest is not None and _same(latest, figures, entries):
            if note in ("", latest.correction_note):
                return latest  # the same click again: it is published already
            raise StepNotAllowed(
                STEP,
                f"Nothing has changed since version {latest.version} was published: "
                "the figures and the approved entries are the same.",
            )
        seen = latest.version if latest else 0
        if expected_version is not None and expected_version != seen:
            raise StalePublication(expected_version, seen)
        if latest is not None and not note:
            raise InvalidInput(
                "correction_note",
                f"{quarter.label} was published on {timezone.localtime(latest.published_at):%-d %B %Y}: "
                "say what this new version corrects.",
            )
        if note and (found := privacy.findings(note, organisation)):
            # The note is published beside the entries: the same check as their approval.
            raise InvalidInput(
                "correction_note",
                f"the public page would show {privacy.summary(found)}: say what is corrected without it",
            )
        try:
            with transaction.atomic():
                publication = Publication.objects.create(
                    organisation=organisation,
                    quarter_start=quarter.start,
                    version=seen + 1,
                    published_at=now,
                    published_by=actor,
                    figures=figures,
                    entries=entries,
                    correction_note=note,
                )
        except IntegrityError:
            # The unique version caught a publisher the lock did not hold back (a database
            # without row locks): theirs stands; the same words again are the same click.
            theirs = latest_publication(organisation, quarter)
            if (
                theirs is not None
                and _same(theirs, figures, entries)
                and note in ("", theirs.correction_note)
            ):
                return theirs
            raise StalePublication(seen, theirs.version if theirs else seen) from None
        summary = f"{organisation.short_name} {quarter.label} published (version {publication.version})"
        LearningEvent.objects.create(
            kind=LearningEventKind.QUARTER_PUBLISHED,
            occurred_at=now,
            actor=actor,
            summary=summary + (f": {note}" if note else ""),
            data={
                "organisation": organisation.short_name,
                "quarter": quarter.key,
                "version": publication.version,
                "entries": [e["id"] for e in entries],
                "correction_note": note,
            },
            publication=publication,
        )
    return publication


def _same(latest: Publication, figures: dict[str, Any], entries: list[dict[str, Any]]) -> bool:
    """Whether publishing now would say exactly what the latest version says."""

    def plain(value: Any) -> Any:
        return json.loads(json.dumps(value, cls=DjangoJSONEncoder))

    return bool(plain(latest.figures) == plain(figures) and plain(latest.entries) == plain(entries))
