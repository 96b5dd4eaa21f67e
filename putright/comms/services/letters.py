"""Letters: a draft from the template, edited by the caseworker, sent as a PDF.

Sending a letter is not a step of the procedure: it does not change the
case's state or version. It still locks the complaint row, so two letters
(or a letter and a step) are recorded in a clear order, and it writes the
letter, its PDF, its email (to the outbox) and its timeline event in one
transaction: a letter that is not recorded is never sent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import AdjustmentKind, Complaint, EventKind, TimelineEvent
from putright.cases.policies import rules_for
from putright.cases.services import timeline
from putright.cases.services.steps import lock_complaint
from putright.comms import outbox
from putright.comms.letter_context import context_of, load, role_words
from putright.comms.letter_email import email_bodies
from putright.comms.letterhead import letterhead_for
from putright.comms.models import Letter, LetterKind, LetterStatus, LetterTemplate
from putright.comms.pdf import LetterPage, letter_pdf
from putright.comms.recipients import Recipient, recipient_for
from putright.comms.services.templates import current, render_words
from putright.comms.suggestions import suggested_for
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


def suggested_kinds(complaint: Complaint) -> list[LetterKind]:
    """The letters the procedure calls for at the case's current point, most likely first."""
    return suggested_for(complaint)


def draft(complaint: Complaint, kind: LetterKind) -> LetterDraft:
    """The letter ``kind`` for ``complaint`` from the current template, dates from the case's deadlines."""
    kind = LetterKind(kind)
    template = current(kind)
    case = load(complaint.pk)
    subject, body = render_words(
        kind, subject=template.subject, body=template.body, context=context_of(case, kind)
    )
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
) -> Letter:
    """Make the PDF, store the letter, email it (outbox) or mark it to post, and record it on the timeline.

    One transaction. Raises cases.errors.InvalidInput for an empty subject or body
    and for a template that is not of ``kind``.
    """
    kind = LetterKind(kind)
    subject, body = " ".join(subject.split()), body.strip()
    if not subject:
        raise InvalidInput("subject", "give the letter a subject")
    if not body:
        raise InvalidInput("body", "the letter has no words")
    with transaction.atomic():
        locked = lock_complaint(complaint_id)
        template = _template_of(kind, template_id)
        case = load(locked.pk)
        recipient = recipient_for(case, kind)
        if not recipient.email and not recipient.address:
            raise InvalidInput(
                "recipient", f"{recipient.name} has no email or postal address to send this to"
            )
        now = timezone.now()
        page = _page(case, recipient, subject=subject, body=body, actor=actor, when=now)
        letter = _store(case, kind, template, page, recipient, actor=actor, when=now)
        try:
            if recipient.by_email:
                _email(case, letter, page)
            timeline.append(_sent_event(case, letter, template, actor))
        except BaseException:
            letter.pdf.delete(save=False)  # the row rolls back; do not leave its file behind
            raise
    return letter


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
    recipient: Recipient,
    *,
    actor: User,
    when: dt.datetime,
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
    )
    letter.pdf.save(pdf_name(case, kind), ContentFile(letter_pdf(page)), save=False)
    letter.save()
    return letter


def pdf_name(case: Complaint, kind: LetterKind) -> str:
    """ "VHT-2026-0001-stage1-response.pdf": the reference and the kind, for whoever files it."""
    return f"{case.reference}-{kind.value.replace('_', '-')}.pdf"


def _email(case: Complaint, letter: Letter, page: LetterPage) -> None:
    text, html = email_bodies(page)
    message = EmailMultiAlternatives(subject=page.subject, body=text, to=[letter.email])
    message.attach_alternative(html, "text/html")
    letter.pdf.open("rb")
    try:
        message.attach(pdf_name(case, LetterKind(letter.kind)), letter.pdf.read(), "application/pdf")
    finally:
        letter.pdf.close()
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
    return letter
