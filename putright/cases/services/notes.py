"""Internal notes on a case: what staff tell each other, never shown to the customer.

A note changes nothing about where the case stands, so it is not a step of the
procedure and does not move the case's version: two colleagues writing at once
both keep their note. It is written with its timeline event in one transaction,
under the case's lock so the notes and their events keep one order. Each
colleague it names, by an @mention (their username) or the "tell a colleague"
picker, is emailed through Django's mail, whose backend is the outbox:
the email is stored in the same transaction, so a note rolled back tells nobody.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import CaseNotFound, InvalidInput
from putright.cases.models import CaseNote, Complaint, EventKind
from putright.cases.selectors.assignees import assignable_staff
from putright.cases.services import timeline

#: An @mention: a username after "@" that does not follow a letter (an email address is not one).
MENTION = re.compile(r"(?<![\w.@])@([\w][\w.+-]*)")
#: How the outbox is told what these emails are for (a header it reads and never sends).
PURPOSE = {"X-Putright-Purpose": "note_mention"}
LONGEST = 5000


def add_note(
    complaint: Complaint,
    *,
    text: str,
    actor: User,
    tell: Iterable[User] = (),
    occurred_at: dt.datetime | None = None,
) -> CaseNote:
    """Keep a note on the case and email the colleagues it names (not the writer)."""
    words = text.strip()
    if not words:
        raise InvalidInput("text", "write the note")
    if len(words) > LONGEST:
        raise InvalidInput("text", f"keep the note to {LONGEST} characters")
    with transaction.atomic():
        try:
            case = Complaint.objects.select_for_update().select_related("organisation").get(pk=complaint.pk)
        except Complaint.DoesNotExist as missing:
            raise CaseNotFound(complaint.reference) from missing
        told = _told(case, actor, words, tell)
        note = CaseNote.objects.create(
            complaint=case, author=actor, text=words, written_at=occurred_at or timezone.now()
        )
        note.mentioned.set(told)
        names = ", ".join(str(user) for user in told)
        timeline.append(
            timeline.event(
                case,
                EventKind.NOTE_ADDED,
                f"Internal note{f' (told {names})' if told else ''}: {words}",
                actor=actor,
                occurred_at=note.written_at,
                note=note.pk,
                told=[user.pk for user in told],
            )
        )
        for colleague in told:
            _email(colleague, note, case)
    return note


def mentioned_usernames(text: str) -> list[str]:
    """The usernames @mentioned in ``text``, in order, each once (a full stop after one is not part of it)."""
    found = [name.rstrip(".") for name in MENTION.findall(text)]
    return list(dict.fromkeys(name for name in found if name))


def _told(case: Complaint, actor: User, text: str, tell: Iterable[User]) -> list[User]:
    """Everyone the note names, checked against the colleagues who work for the case's organisation."""
    usernames = mentioned_usernames(text)
    picked = {user.pk for user in tell}
    colleagues = assignable_staff(actor, case)
    found = {user.username.lower(): user for user in colleagues.filter(username__in=usernames)}
    found |= {user.username.lower(): user for user in colleagues.filter(pk__in=picked)}
    unknown = [name for name in usernames if name.lower() not in found]
    if unknown:
        raise InvalidInput(
            "text", f"nobody called @{unknown[0]} works for {case.organisation}: check the username"
        )
    if picked - {user.pk for user in found.values()}:
        raise InvalidInput("tell", f"choose a colleague who works for {case.organisation}")
    told = [user for user in found.values() if user.pk != actor.pk]
    without_email = [user for user in told if not user.email]
    if without_email:
        raise InvalidInput("tell", f"{without_email[0]} has no email address: tell them another way")
    return sorted(told, key=lambda user: (user.first_name, user.last_name, user.pk))


def _email(colleague: User, note: CaseNote, case: Complaint) -> None:
    link = settings.PUTRIGHT_BASE_URL + reverse("web:case", kwargs={"reference": case.reference})
    body = (
        f"{note.author} mentioned you in an internal note on complaint {case.reference} "
        f"({case.organisation}):\n\n{note.text}\n\nOpen the complaint: {link}\n\n"
        "Internal notes are for staff only: the customer does not see them."
    )
    subject = f"{case.reference}: {note.author} mentioned you in a note"
    EmailMessage(subject=subject, body=body, to=[colleague.email], headers=PURPOSE).send()
