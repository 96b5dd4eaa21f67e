"""Letters: a draft from the template, edited by the caseworker, sent as a PDF.

A letter can be drafted and sent only when the case's recorded facts allow
it (``availability``): a kind that cannot be written now is refused with the
reason, and nothing changes.

Sending a letter is not a step of the procedure: it does not change the
case's state or version. It still locks the complaint row, so two letters
(or a letter and a step) are recorded in a clear order, and it writes the
letter, its PDF, its email (to the outbox) and its timeline event in one
transaction: a letter that is not recorded is never sent. The PDF (slow:
WeasyPrint) is drawn before the lock is taken, so the case (on SQLite, the
whole database) is not held while it is drawn; under the lock the case is
read again, the checks are made again, and the PDF is drawn again only if
what it prints has changed in between.

The acknowledgement letter is the exception (issue 13): once sent, by email or
recorded as posted, it acknowledges its stage (``cases.services.acknowledgement``),
a step of its own in the same transaction, which may restart the response clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import CaseNotFound, InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import AcknowledgedVia, AdjustmentKind, Complaint, EventKind, TimelineEvent
from putright.cases.policies import rules_for
from putright.cases.services import acknowledgement, timeline
from putright.cases.services.steps import lock_complaint
from putright.comms.email import outbox
from putright.comms.letters import availability, blanks, rights
from putright.comms.letters.letter_context import context_of, load, role_words
from putright.comms.letters.letter_email import email_bodies
from putright.comms.letters.letterhead import letterhead_for
from putright.comms.letters.pdf import LetterPage, letter_pdf
from putright.comms.letters.placeholders import placeholders
from putright.comms.letters.recipients import Recipient, recipient_for
from putright.comms.letters.services.templates import current, render_words
from putright.comms.letters.suggestions import suggested_for
from putright.comms.letters.templating import MAX_RENDERED
from putright.comms.models import Letter, LetterKind, LetterStatus, LetterTemplate
from putright.procedure.wording import day_of, long_date


@dataclass(frozen=True)
class LetterDraft:
    """What the caseworker sees before sending: the words, who to, and what to watch for."""

    kind: LetterKind
    template: LetterTemplate  # the current version the words came from
    subject: str
    body: str  # plain text, paragraphs split by a blank line
    recipient_name: str
    recipient_address: str
    email: str  # "" when the letter goes by post only
    large_print: bool  # the customer asked for large print: the PDF will be large print
    needs: list[str]  # adjustments the caseworker must act on before sending (easy read, another language)
    version: int  # the case's version the dates were read from (a step since changes them)
    blanks: list[str] = field(default_factory=list)  # what to fill in first: sending is refused until then


#: The longest subject a letter may have (the model's column).
MAX_SUBJECT = Letter._meta.get_field("subject").max_length or 200
#: The longest body a letter may have: a full draft, with room for the caseworker's own words.
MAX_BODY = MAX_RENDERED + 10_000


@dataclass(frozen=True)
class LetterChoices:
    """The kinds a caseworker may write now, and those they may not, each with why."""

    suggested: list[LetterKind]  # what the procedure calls for now, most likely first
    others: list[LetterKind]  # every other kind that can be written now
    unavailable: dict[LetterKind, str]  # the kinds that cannot be written now, and why


def suggested_kinds(complaint: Complaint) -> list[LetterKind]:
    """The letters the procedure calls for at the case's current point, most likely first."""
    return suggested_for(load(complaint.pk))


def letter_choices(complaint: Complaint, *, actor: User) -> LetterChoices:
    """The chooser's lists, of the kinds ``actor``'s role sends (``rights``): the suggested kinds,
    the others available now, the rest with why. A kind their role does not send is in none."""
    case = load(complaint.pk)
    theirs = set(rights.sendable(actor, case.stage))
    suggested = [kind for kind in suggested_for(case) if kind in theirs]
    return LetterChoices(
        suggested=suggested,
        others=[kind for kind in availability.available(case) if kind in theirs and kind not in suggested],
        unavailable={k: why for k, why in availability.unavailable(case).items() if k in theirs},
    )


def may_send(actor: User, complaint: Complaint, kind: LetterKind) -> bool:
    """Whether ``actor``'s role sends ``kind`` on ``complaint`` (whether the case allows it now aside)."""
    return rights.may_send(actor, LetterKind(kind), complaint.stage)


def unavailable_reason(complaint: Complaint, kind: LetterKind) -> str:
    """Why ``kind`` cannot be written for ``complaint`` now ("" when it can)."""
    return availability.why_not(load(complaint.pk), LetterKind(kind))


def draft(complaint: Complaint, kind: LetterKind, *, actor: User | None = None) -> LetterDraft:
    """The letter ``kind`` for ``complaint`` from the current template, dates from the case's deadlines.

    Raises cases.errors.InvalidInput("kind", why) when the case's facts do not allow
    that letter yet (``availability``), and rights.NotYourLetter when ``actor`` is
    given and their role does not send it (``rights``).
    """
    kind = LetterKind(kind)
    case = load(complaint.pk)
    availability.require(case, kind)
    if actor is not None:
        rights.require(actor, kind, case.stage)
    template = current(kind)
    context = context_of(case, kind)
    subject, body = render_words(kind, subject=template.subject, body=template.body, context=context)
    recipient = recipient_for(case, kind)
    return LetterDraft(
        kind=kind,
        template=template,
        subject=subject,
        body=body,
        recipient_name=recipient.name,
        recipient_address=recipient.address,
        email=recipient.email,
        large_print=wants_large_print(case),
        needs=needs_of(case, recipient),
        version=case.version,
        blanks=blanks_of(case, kind, template, context),
    )


def blanks_of(
    case: Complaint, kind: LetterKind, template: LetterTemplate, context: dict[str, Any] | None = None
) -> list[str]:
    """What to fill in before a letter from ``template`` can be sent for ``case`` ([] when nothing)."""
    return blanks.blanks(
        subject=template.subject,
        body=template.body,
        context=context if context is not None else context_of(case, kind),
        placeholders=placeholders(kind),
        landlord=case.organisation.name,
    )


def wants_large_print(case: Complaint) -> bool:
    return any(a.kind == AdjustmentKind.LARGE_PRINT for a in case.customer.adjustments.all())


def needs_of(case: Complaint, recipient: Recipient) -> list[str]:
    """What the caseworker must do besides sending, in words they act on."""
    needs = []
    for adjustment in case.customer.adjustments.all():
        detail = adjustment.detail.strip()
        if adjustment.kind == AdjustmentKind.EASY_READ:
            needs.append("Easy read requested: send an easy read version as well")
        elif adjustment.kind == AdjustmentKind.OTHER_LANGUAGE:
            language = f" ({detail})" if detail else ""
            needs.append(f"Another language requested{language}: send a translation as well")
        elif adjustment.kind == AdjustmentKind.BSL_INTERPRETER:
            needs.append(
                "British Sign Language requested: offer a BSL interpreter or a BSL video of this letter"
            )
        elif adjustment.kind == AdjustmentKind.OTHER and detail:
            needs.append(f"Other adjustment: {detail}")
    if not recipient.email and not recipient.address:
        needs.append("No email or postal address: add one before sending, or the letter cannot reach them")
    return needs


def send_letter(
    complaint_id: int,
    kind: LetterKind,
    *,
    subject: str,
    body: str,
    template_id: int,
    actor: User,
    idempotency_key: str | None = None,
    expected_version: int | None = None,
) -> Letter:
    """Make the PDF, store the letter, email it (outbox) or mark it to post, and record it on the timeline.

    The rows are written in one transaction. Raises cases.errors.InvalidInput for an
    empty or too long subject or body, for a template that is not of ``kind``, for a
    kind the case's facts do not allow now ("kind") and for a recipient with no
    address; rights.NotYourLetter for a kind the actor's role does not send; and
    StaleCase when ``expected_version`` is given and a step has changed the case
    since (its dates may have changed with it). Nothing is changed then.

    ``idempotency_key`` (the one-time key of the form it was written in) makes it
    happen once: a letter already sent with that key is returned as it is, and
    nothing more is sent, however many requests carry it and however close
    together (``is_repeat`` tells them apart).
    """
    kind = LetterKind(kind)
    subject, body = _checked_words(subject, body)
    key = idempotency_key or None
    already = _sent_with(key, complaint_id)
    if already is not None:  # a resubmitted form: nothing to draw
        return already
    # Drawn before the lock (slow), from the case as it is now...
    template = _template_of(kind, template_id)
    case = _load(complaint_id)
    page = _ready(case, kind, template, subject=subject, body=body, actor=actor)
    rights.require(actor, kind, case.stage)
    pdf = letter_pdf(page)
    try:
        with transaction.atomic():
            locked = lock_complaint(complaint_id)
            # ... then checked again under the lock: a step, or the same form sent a moment
            # before, may have changed things meanwhile.
            already = _sent_with(key, complaint_id)
            if already is not None:
                return already
            if expected_version is not None and locked.version != expected_version:
                raise StaleCase(expected_version, locked.version)
            template = _template_of(kind, template_id)
            case = load(locked.pk)
            now = timezone.now()
            again = _ready(case, kind, template, subject=subject, body=body, actor=actor, when=now)
            rights.require(actor, kind, case.stage)
            if again != page:  # the recipient, letterhead or day changed since: draw what is true now
                page, pdf = again, letter_pdf(again)
            recipient = recipient_for(case, kind)
            letter = _store(case, kind, template, page, pdf, recipient, actor=actor, when=now, key=key)
            try:
                if recipient.by_email:
                    _email(case, letter, page, pdf)
                timeline.append(_sent_event(case, letter, template, actor))
                if recipient.by_email:  # issue 13, ack: emailed is sent; a letter to post, once posted
                    _acknowledged_by(letter, actor=actor, at=now)
            except BaseException:
                letter.pdf.delete(save=False)  # the row rolls back; do not leave its file behind
                raise
    except IntegrityError:
        # The same key stored by another request between our check and our insert (the
        # complaint's lock makes this rare; the unique key makes it harmless).
        already = _sent_with(key, complaint_id)
        if already is None:
            raise
        return already
    return letter


#: Set on a letter that ``send_letter`` found already sent with its key, rather than sent.
_REPEAT = "_putright_letter_repeat"


def is_repeat(letter: Letter) -> bool:
    """Whether ``send_letter`` returned ``letter`` as already sent with the key it was given."""
    return bool(getattr(letter, _REPEAT, False))


def sent_with(idempotency_key: str) -> Letter | None:
    """The letter sent from the form with this one-time key, if there is one."""
    if not idempotency_key:
        return None
    return Letter.objects.filter(idempotency_key=idempotency_key).first()


def _sent_with(key: str | None, complaint_id: int) -> Letter | None:
    """The letter already sent with ``key``, marked as a repeat; a key of another case is refused."""
    letter = sent_with(key) if key else None
    if letter is None:
        return None
    if letter.complaint_id != complaint_id:
        raise InvalidInput("idempotency_key", "that key was used for a letter on another complaint")
    setattr(letter, _REPEAT, True)
    return letter


def _load(complaint_id: int) -> Complaint:
    try:
        return load(complaint_id)
    except Complaint.DoesNotExist:
        raise CaseNotFound(str(complaint_id)) from None


def _checked_words(subject: str, body: str) -> tuple[str, str]:
    """The subject on one line and the body trimmed, refused when empty or longer than a letter keeps."""
    subject, body = " ".join(subject.split()), body.strip()
    if not subject:
        raise InvalidInput("subject", "give the letter a subject")
    if len(subject) > MAX_SUBJECT:
        raise InvalidInput(
            "subject", f"the subject is {len(subject):,} characters: shorten it to {MAX_SUBJECT} or fewer"
        )
    if not body:
        raise InvalidInput("body", "the letter has no words")
    if len(body) > MAX_BODY:
        raise InvalidInput(
            "body", f"the letter is {len(body):,} characters: shorten it to {MAX_BODY:,} or fewer"
        )
    return subject, body


def _ready(
    case: Complaint,
    kind: LetterKind,
    template: LetterTemplate,
    *,
    subject: str,
    body: str,
    actor: User,
    when: dt.datetime | None = None,
) -> LetterPage:
    """The page to print for ``case``, once the case allows the letter, it has no blanks (``blanks``)
    and it has somewhere to go."""
    availability.require(case, kind)
    blanks.refuse_blanks(blanks_of(case, kind, template))
    recipient = recipient_for(case, kind)
    if not recipient.email and not recipient.address:
        raise InvalidInput("recipient", f"{recipient.name} has no email or postal address to send this to")
    return _page(case, recipient, subject=subject, body=body, actor=actor, when=when or timezone.now())


def _template_of(kind: LetterKind, template_id: int) -> LetterTemplate:
    template = LetterTemplate.objects.filter(pk=template_id).first()
    if template is None or template.kind != kind:
        raise InvalidInput("template_id", f"that is not a template for {kind.label.lower()} letters")
    return template


def _page(
    case: Complaint, recipient: Recipient, *, subject: str, body: str, actor: User, when: dt.datetime
) -> LetterPage:
    tz = rules_for(case).calendar.tz
    return LetterPage(
        letterhead=letterhead_for(case.organisation),
        date=long_date(timezone.localtime(when, tz).date()),
        recipient_name=recipient.name,
        recipient_address=recipient.address,
        reference=case.reference,
        subject=subject,
        body=body,
        signed_by=actor.get_full_name() or actor.username,
        signer_role=role_words(actor),
        large_print=wants_large_print(case),
    )


def _store(
    case: Complaint,
    kind: LetterKind,
    template: LetterTemplate,
    page: LetterPage,
    pdf: bytes,
    recipient: Recipient,
    *,
    actor: User,
    when: dt.datetime,
    key: str | None,
) -> Letter:
    letter = Letter(
        complaint=case,
        kind=kind,
        template=template,
        stage_number=case.stage,
        recipient_name=recipient.name,
        recipient_address=recipient.address,
        email=recipient.email,
        subject=page.subject,
        body=page.body,
        large_print=page.large_print,
        status=LetterStatus.EMAILED if recipient.by_email else LetterStatus.TO_POST,
        sent_at=when,
        sent_by=actor,
        idempotency_key=key,
    )
    letter.pdf.save(pdf_name(case, kind), ContentFile(pdf), save=False)
    try:
        letter.save()
    except BaseException:
        letter.pdf.delete(save=False)  # not stored (the same key sent meanwhile): no orphan file
        raise
    return letter


def pdf_name(case: Complaint, kind: LetterKind) -> str:
    """ "VHT-2026-0001-stage1-response.pdf": the reference and the kind, for whoever files it."""
    return f"{case.reference}-{kind.value.replace('_', '-')}.pdf"


def letter_filename(letter: Letter) -> str:
    """ "VHT-2026-0001-stage1-response-2026-03-12.pdf": the name a download of a sent letter has,
    the same in the workspace, the portal and the API.

    The day is the one printed on the letter: the day it was sent where the case's
    calendar is (London), not in UTC, so a letter sent at 00:30 in summer carries its day.
    """
    case = letter.complaint
    day = timezone.localtime(letter.sent_at, rules_for(case).calendar.tz).date()
    return f"{case.reference}-{LetterKind(letter.kind).value.replace('_', '-')}-{day:%Y-%m-%d}.pdf"


def _email(case: Complaint, letter: Letter, page: LetterPage, pdf: bytes) -> None:
    text, html = email_bodies(page)
    message = EmailMultiAlternatives(subject=page.subject, body=text, to=[letter.email])
    message.attach_alternative(html, "text/html")
    message.attach(pdf_name(case, LetterKind(letter.kind)), pdf, "application/pdf")
    outbox.queue(message, purpose="letter", complaint=case, letter=letter)


def _sent_event(case: Complaint, letter: Letter, template: LetterTemplate, actor: User) -> TimelineEvent:
    label = LetterKind(letter.kind).label
    how = f"by email to {letter.email}" if letter.email else f"to post to {letter.recipient_name}"
    verb = "sent" if letter.email else "ready"
    return timeline.event(
        case,
        EventKind.LETTER_SENT,
        f"{label} {verb} {how} (template v{template.version})",
        actor=actor,
        occurred_at=letter.sent_at,
        letter_id=letter.pk,
        template_version=template.version,
        letter_kind=letter.kind,
        status=letter.status,
        large_print=letter.large_print,
    )


def mark_posted(letter_id: int, *, actor: User) -> Letter:
    """Record that a letter was posted (once; a second call changes nothing and says so)."""
    complaint_id = Letter.objects.filter(pk=letter_id).values_list("complaint_id", flat=True).first()
    if complaint_id is None:
        raise InvalidInput("letter_id", "there is no such letter")
    with transaction.atomic():
        case = lock_complaint(complaint_id)
        letter = Letter.objects.select_related("posted_by").get(pk=letter_id)
        if letter.status == LetterStatus.POSTED:
            tz = rules_for(case).calendar.tz
            raise InvalidInput(
                "letter_id",
                f"this letter was already recorded as posted on {day_of(letter.posted_at, tz)}"
                f"{f' by {letter.posted_by}' if letter.posted_by else ''}",
            )
        if letter.status != LetterStatus.TO_POST:
            raise InvalidInput("letter_id", f"this letter was sent by email to {letter.email}, not by post")
        letter.status = LetterStatus.POSTED
        letter.posted_at = timezone.now()
        letter.posted_by = actor
        letter.save(update_fields=["status", "posted_at", "posted_by"])
        label = LetterKind(letter.kind).label
        timeline.append(
            timeline.event(
                case,
                EventKind.LETTER_POSTED,
                f"{label} posted to {letter.recipient_name}",
                actor=actor,
                occurred_at=letter.posted_at,
                letter_id=letter.pk,
            )
        )
        _acknowledged_by(letter, actor=actor, at=letter.posted_at)  # issue 13, ack
    return letter


def _acknowledged_by(letter: Letter, *, actor: User, at: dt.datetime) -> None:
    """issue 13, ack: an acknowledgement letter, once sent by any channel, acknowledges its stage.

    In the letter's own transaction, so the two are recorded together or not at all.
    A letter posted after the complaint was withdrawn or closed as not accepted
    acknowledges nothing the procedure still counts: the letter is recorded, no more.
    """
    if letter.kind != LetterKind.ACKNOWLEDGEMENT:
        return
    try:
        acknowledgement.acknowledge(
            letter.complaint_id,
            via=AcknowledgedVia.LETTER,
            actor=actor,
            occurred_at=at,
            stage_number=letter.stage_number,
        )
    except StepNotAllowed:
        return
