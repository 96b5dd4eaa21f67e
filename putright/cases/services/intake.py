"""Logging a complaint, however it arrives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    Channel,
    Complaint,
    Customer,
    EventKind,
    Point,
    Representative,
    TimelineEvent,
    copied_from,
)
from putright.cases.models.people import STOCK_TYPE_OF_TENURE
from putright.cases.policies import policy_of, register_current_policy
from putright.cases.references import new_reference
from putright.cases.services.steps import actor_label, check_occurred_at
from putright.procedure.wording import by_means

_REFERENCE_ATTEMPTS = 8


def log_complaint(
    *,
    organisation: Organisation,
    customer: Customer,
    channel: Channel | str,
    received_at: dt.datetime,
    summary: str,
    description: str,
    points: Sequence[str] = (),
    category: str,
    desired_outcome: str = "",
    matter_date: dt.date | None = None,
    became_aware_on: dt.date | None = None,
    representative: Representative | None = None,
    parent: Complaint | None = None,
    actor: User | None = None,
    on_behalf_of: str = "",
    submission_key: str | None = None,
) -> Complaint:
    """Store a new complaint, awaiting triage, under the policy in force.

    The complaint is stored, with its timeline's first event, before anything
    is acknowledged to the customer: nothing accepted is ever lost. A
    ``submission_key`` (a form's one-time token) is unique: a second submission
    with it fails with an IntegrityError and its caller finds the first with
    ``logged_with``.
    """
    _check_intake(channel, received_at, summary, description, matter_date, became_aware_on)
    if not _serves(organisation, customer.organisation):
        raise InvalidInput(
            "organisation",
            f"{customer.full_name} is a customer of {customer.organisation}, which {organisation} "
            "does not belong to or act for",
        )
    if representative is not None and representative.customer_id != customer.pk:
        raise InvalidInput("representative", "acts for another customer")
    if representative is not None and not representative.has_consent:
        raise InvalidInput("representative", "the customer's consent for this representative is not recorded")
    points = [p.strip() for p in points if p.strip()] or [summary.strip()]
    with transaction.atomic():
        record = register_current_policy()
        if category not in {c.key for c in policy_of(record).eligibility.reasons_to_complain}:
            raise InvalidInput("category", f"{category!r} is not one of the policy's reasons to complain")
        complaint = _create_with_reference(
            organisation=organisation,
            customer=customer,
            representative=representative,
            policy=record,
            channel=Channel(channel),
            received_at=received_at,
            matter_date=matter_date,
            became_aware_on=became_aware_on,
            category=category,
            summary=summary.strip(),
            description=description.strip(),
            desired_outcome=desired_outcome.strip(),
            stock_type=STOCK_TYPE_OF_TENURE.get(customer.tenure, ""),
            parent=parent,
            submission_key=submission_key or None,
        )
        Point.objects.bulk_create(
            Point(complaint=complaint, number=n, summary=text, **copied_from(complaint))
            for n, text in enumerate(points, start=1)
        )
        logged = TimelineEvent(
            complaint=complaint,
            kind=EventKind.COMPLAINT_LOGGED,
            occurred_at=received_at,
            actor=actor,
            actor_label=actor_label(actor, on_behalf_of),
            summary=f"Complaint received {by_means(Channel(channel).label)}: {complaint.summary}",
            data={"channel": str(channel), "points": points, "policy": f"{record.name} {record.version}"},
        )
        TimelineEvent.objects.create_first([logged])  # the complaint was inserted just now
    return complaint


def _check_intake(
    channel: Channel | str,
    received_at: dt.datetime,
    summary: str,
    description: str,
    matter_date: dt.date | None,
    became_aware_on: dt.date | None,
) -> None:
    if channel not in Channel.values:
        raise InvalidInput("channel", f"must be one of {', '.join(Channel.values)}")
    check_occurred_at(received_at, not_before=None, field="received_at")
    if not summary.strip():
        raise InvalidInput("summary", "say in a line what the complaint is about")
    if not description.strip():
        raise InvalidInput("description", "say what went wrong")
    received_on = timezone.localtime(received_at).date()
    for name, day in (("matter_date", matter_date), ("became_aware_on", became_aware_on)):
        if day is not None and day > received_on:
            raise InvalidInput(name, "cannot be after the complaint was received")


def _serves(organisation: Organisation, landlord: Organisation) -> bool:
    """Whether a complaint about ``organisation`` can come from a customer of ``landlord``:
    the same group of companies, or a contractor acting for one of them."""
    if organisation.pk == landlord.pk:
        return True  # the usual case (a landlord's own customer): no walk up the group to prove it
    group = _group_of(landlord)
    return _group_of(organisation) == group or (
        organisation.acting_for is not None and _group_of(organisation.acting_for) == group
    )


def _group_of(organisation: Organisation) -> int:
    seen = [organisation.pk]
    while organisation.parent_id is not None and organisation.parent_id not in seen:
        organisation = Organisation.objects.only("pk", "parent_id").get(pk=organisation.parent_id)
        seen.append(organisation.pk)
    return organisation.pk


def logged_with(submission_key: str) -> Complaint | None:
    """The complaint a form with this one-time key already logged, if any."""
    if not submission_key:
        return None
    return Complaint.objects.filter(submission_key=submission_key).first()


def _create_with_reference(**fields: object) -> Complaint:
    """Create the complaint under a fresh random reference, retrying the rare clash."""
    for _ in range(_REFERENCE_ATTEMPTS):
        reference = new_reference()
        try:
            with transaction.atomic():
                return Complaint.objects.create(reference=reference, **fields)
        except IntegrityError:
            if not Complaint.objects.filter(reference=reference).exists():
                raise
    raise RuntimeError("Could not find an unused complaint reference")
