"""A web complaint being written: its answers and files, kept on the server, and sending it.

The visitor's session holds only the draft's random key. Every Continue saves
that page's answers here, so a failed upload, a closed tab or Back loses
nothing. Sending turns the draft into a customer, perhaps a representative,
a complaint and its evidence in one transaction, and marks the draft sent
with its complaint: a second Send of the same draft finds that complaint
instead of making another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind
from putright.cases.errors import InvalidInput
from putright.cases.models import Attachment, Channel, Complaint, Customer, Representative
from putright.cases.policies import calendar_for, current_policy, rules_for
from putright.cases.services import retention
from putright.cases.services.customers import add_representative, create_customer
from putright.cases.services.evidence import attach, check_file, sniff
from putright.cases.services.intake import log_complaint
from putright.design.sizes import size_words
from putright.portal import limits
from putright.portal.models import Draft, DraftFile
from putright.portal.selectors import first_dates
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.guards import Rules
from putright.procedure.policy import Period
from putright.procedure.wording import due_words

#: Complaints sent from one address, and to one email address, before "try again later".
BY_ADDRESS = limits.Limit("complain:address", 10, dt.timedelta(hours=1))
BY_EMAIL = limits.Limit("complain:email", 5, dt.timedelta(days=1))
#: Drafts begun, and files added, from one address in an hour: far more than a person needs.
STARTS = limits.Limit("draft:address", 30, dt.timedelta(hours=1))
UPLOADS = limits.Limit("draft-file:address", 30, dt.timedelta(hours=1))
#: Files one complaint may carry from the form, and their size together (times the one-file limit).
MAX_FILES = 10
MAX_TOTAL_FILES_SIZE = 5
#: How a representative's consent is recorded when they tick the box on the form.
CONSENT_HOW = "on the web form, confirmed by the representative"


# Reading and writing a draft


def find(key: str | None) -> Draft | None:
    """The draft with this key (from the session), or None."""
    return Draft.objects.filter(key=key).first() if key else None


def start(*, address: str, answers: dict[str, dict[str, Any]] | None = None) -> Draft:
    """A new draft under a fresh random key, holding ``answers`` (the first page's) if given.

    RateLimited if ``address`` began too many. The count and the draft are one
    transaction (on SQLite one wait for the writer, not two), and the first
    answers go in with the row itself, not in an UPDATE straight after it.
    """
    with transaction.atomic():
        limits.count_each([(STARTS, address)])
        return Draft.objects.create(key=secrets.token_urlsafe(32), answers=_as_stored(answers or {}))


def max_total_bytes() -> int:
    """How large one draft's files may be together."""
    return MAX_TOTAL_FILES_SIZE * settings.PUTRIGHT_MAX_UPLOAD_BYTES


def save_page(draft: Draft, slug: str, answers: dict[str, Any]) -> bool:
    """Keep one page's answers, replacing what that page said before; whether anything was written.

    A page Continued through as it was (Back, then forward again, or "Change"
    and no change) writes nothing: its answers are already kept, and on SQLite
    every write waits for the database's one writer, which the Send of other
    visitors' complaints holds. ``updated_at`` then stays the last change, which
    is what forgetting stale drafts counts from.
    """
    stored = _as_stored(answers)
    if slug in draft.answers and draft.answers[slug] == stored:
        return False
    draft.answers = {**draft.answers, slug: stored}
    draft.save(update_fields=["answers", "updated_at"])
    return True


def _as_stored(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as the draft's JSON holds them (tuples as lists), to compare as they read back."""
    return json.loads(json.dumps(answers))  # type: ignore[no-any-return]


def add_file(draft: Draft, name: str, content: bytes, *, address: str) -> DraftFile:
    """Keep a file of evidence with the draft, checked by its bytes; InvalidInput if it will not do.

    RateLimited when ``address`` has added too many files this hour, so that
    nobody can fill the disk by uploading again and again.
    """
    limits.count(UPLOADS, address)
    kept_sizes = list(draft.files.values_list("size", flat=True))
    if len(kept_sizes) >= MAX_FILES:
        raise InvalidInput("file", f"You can send up to {MAX_FILES} files. Remove one to add another")
    if sum(kept_sizes) + len(content) > max_total_bytes():
        raise InvalidInput(
            "file",
            f"Your files can add up to {size_words(max_total_bytes())} at most. "
            "Remove a file or choose a smaller one",
        )
    try:
        clean, content_type = check_file(name, content)
    except InvalidInput as refused:
        raise _in_plain_words(refused, name, content) from None
    digest = hashlib.sha256(content).hexdigest()
    kept = DraftFile(draft=draft, name=clean, content_type=content_type, size=len(content), sha256=digest)
    kept.file.save(clean, ContentFile(content), save=False)
    try:
        kept.save()
    except BaseException:
        kept.file.delete(save=False)
        raise
    return kept


#: What a kind of file is called in a sentence to a customer.
_KIND_WORDS = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "text/plain": "text",
}


def _in_plain_words(refused: InvalidInput, name: str, content: bytes) -> InvalidInput:
    """A file whose name says one kind and whose bytes another, said without content types."""
    found = sniff(content)
    fits = 0 < len(content) <= settings.PUTRIGHT_MAX_UPLOAD_BYTES
    clean = PurePath(name.replace("\\", "/")).name.strip()
    if found is None or not fits or "." not in clean:
        return refused
    called = clean.rsplit(".", 1)[-1].upper()
    return InvalidInput(
        "file",
        f"{clean} is not a real {called} file: it is a {_KIND_WORDS[found[0]]} file. "
        "Check you chose the right file",
    )


def remove_file(draft: Draft, file_id: int) -> DraftFile | None:
    """Take a file off the draft (only one of its own); the removed file, or None."""
    found = draft.files.filter(pk=file_id).first()
    if found is not None:
        found.file.delete(save=False)
        found.delete()
    return found


def discard(draft: Draft) -> None:
    """Forget a draft and its files entirely (a filled honeypot: nothing is kept)."""
    for kept in draft.files.all():
        kept.file.delete(save=False)
    draft.delete()


#: A draft nobody has touched for this long is forgotten, with its files (the default: the period
#: in force is the landlord's, ``cases.services.retention``, issue 15).
KEEP_DRAFTS = dt.timedelta(days=30)


def forget_stale(now: dt.datetime | None = None) -> tuple[int, int]:
    """Delete drafts not updated within the retention period and their files; how many drafts and files went.

    Run by ``putright housekeeping`` and the daily retention run: a half-written
    complaint holds a person's name, address and story, which are not kept for ever.
    """
    before = retention.period(retention.RecordType.DRAFTS).cut(now or timezone.now())
    return forget_before(before)


def forget_before(before: dt.datetime, dry_run: bool = False) -> tuple[int, int]:
    """Delete drafts last changed before ``before`` with their files (a dry run only counts them)."""
    stale = Draft.objects.filter(updated_at__lt=before)
    if dry_run:
        return stale.count(), DraftFile.objects.filter(draft__in=stale).count()
    files = 0
    for kept in DraftFile.objects.filter(draft__in=stale):
        kept.file.delete(save=False)
        files += 1
    deleted = stale.count()
    stale.delete()
    return deleted, files


def landlords() -> list[Organisation]:
    """The landlords a customer can complain to: any organisation if none is marked a landlord."""
    found = list(Organisation.objects.filter(kind=OrganisationKind.LANDLORD).order_by("name"))
    return found or list(Organisation.objects.order_by("name"))


# Sending


@dataclass(frozen=True)
class Acting:
    """Someone complaining for a tenant or leaseholder, who has said the tenant agrees."""

    name: str
    kind: str
    role: str


@dataclass(frozen=True)
class Submission:
    """Everything the form asked, as the services want it."""

    organisation: Organisation
    tenure: str
    first_name: str
    last_name: str
    address: str
    postcode: str
    email: str
    phone: str
    preferred_contact: str
    preferred_contact_time: str
    category: str
    summary: str
    description: str
    desired_outcome: str
    matter_date: dt.date | None
    became_aware_on: dt.date | None = None
    adjustments: list[tuple[str, str]] = field(default_factory=list)
    acting: Acting | None = None

    @property
    def sender(self) -> str:
        """Who filled in the form, as the timeline names them."""
        return self.acting.name if self.acting else f"{self.first_name} {self.last_name}"


def submit(draft: Draft, submission: Submission, *, address: str) -> tuple[Complaint, bool]:
    """Store the complaint the draft describes, or find the one it already made.

    One transaction: the rate limits' count, the customer, their representative,
    the complaint, its evidence and the draft marked sent, or none of them.
    Returns the complaint and whether it was made now. RateLimited when the
    address or the email has sent too many; InvalidInput when a service refuses.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            locked = Draft.objects.select_for_update().get(pk=draft.pk)
            if locked.complaint_id is not None:
                return Complaint.objects.get(pk=locked.complaint_id), False
            counted = [(BY_ADDRESS, address)]
            if submission.email:
                counted.append((BY_EMAIL, submission.email))
            limits.count_each(counted)
            complaint = _store(locked, submission, stored)
    except BaseException:
        # Rolled back: the evidence files written on the way must not outlive it.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    if stored:  # a draft without files has none to forget: no query for them
        transaction.on_commit(lambda: _forget_files(draft.pk))
    return complaint, True


def _store(draft: Draft, submission: Submission, stored: list[Attachment]) -> Complaint:
    now = timezone.now()
    customer = _customer(submission)
    representative = _representative(customer, submission, now)
    complaint = log_complaint(
        organisation=submission.organisation,
        customer=customer,
        representative=representative,
        channel=Channel.WEB,
        received_at=now,
        category=submission.category,
        summary=submission.summary,
        description=submission.description,
        desired_outcome=submission.desired_outcome,
        matter_date=submission.matter_date,
        became_aware_on=submission.became_aware_on,
        actor=None,
        on_behalf_of=submission.sender,
    )
    for kept in draft.files.all():
        with kept.file.open("rb") as handle:
            content = handle.read()
        stored.append(
            attach(complaint, name=kept.name, content=content, actor=None, on_behalf_of=submission.sender)
        )
    draft.submitted_at = now
    draft.complaint = complaint
    # The answers now live on the case: the draft keeps only which complaint it made.
    draft.answers = {}
    draft.save(update_fields=["submitted_at", "complaint", "answers", "updated_at"])
    return complaint


def _customer(submission: Submission) -> Customer:
    """The tenant or leaseholder: the one complaining, or the one complained for."""
    acting = submission.acting is not None
    return create_customer(
        organisation=submission.organisation,
        first_name=submission.first_name,
        last_name=submission.last_name,
        # Someone acting for the customer gave their own contact details, kept on the representative.
        email="" if acting else submission.email,
        phone="" if acting else submission.phone,
        address=submission.address,
        postcode=submission.postcode,
        tenure=submission.tenure,
        preferred_contact="letter" if acting else submission.preferred_contact,
        preferred_contact_time=submission.preferred_contact_time,
        adjustments=submission.adjustments,
    )


def _representative(customer: Customer, submission: Submission, now: dt.datetime) -> Representative | None:
    """The person acting for the customer, with their consent as they confirmed it on the form."""
    acting = submission.acting
    if acting is None:
        return None
    return add_representative(
        customer=customer,
        name=acting.name,
        kind=acting.kind,
        role=acting.role,
        email=submission.email,
        phone=submission.phone,
        consent_given_at=now,
        consent_how=CONSENT_HOW,
    )


def _forget_files(draft_id: int) -> None:
    """The evidence now lives on the complaint: the draft's copies are no longer needed."""
    for kept in DraftFile.objects.filter(draft_id=draft_id):
        kept.file.delete(save=False)
        kept.delete()


# What the customer is promised


@dataclass(frozen=True)
class Promise:
    """Stage 1's first contact and response, as the confirmation page says them."""

    contact_by: str
    respond_by: str
    contact_period: str
    response_period: str


def promise(rules: Rules, received_at: dt.datetime) -> Promise:
    """When we will contact the customer and respond, if the complaint is accepted at stage 1.

    Stage 1's clocks start when the complaint was received, so the dates are
    the ones the case will carry once accepted.
    """
    stage = rules.policy.stage1
    contact, response = first_dates(rules, received_at)
    tz = rules.calendar.tz
    return Promise(
        contact_by=due_words(contact, tz),
        respond_by=due_words(response, tz),
        contact_period=Period.describe(stage.contact),
        response_period=Period.describe(stage.response),
    )


def promise_for(complaint: Complaint) -> Promise:
    """The promise made for a stored complaint: its own policy and its organisation's calendar."""
    return promise(rules_for(complaint), complaint.received_at)


def promise_now(organisation: Organisation | None) -> Promise:
    """The promise for a complaint sent now under the policy in force (nothing stored)."""
    policy = current_policy().policy
    calendar = (
        calendar_for(policy, organisation) if organisation else WorkingCalendar.from_rules(policy.calendar)
    )
    return promise(Rules(policy, calendar), timezone.now())
