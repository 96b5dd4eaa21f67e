"""Record, review and withdraw a disclosed vulnerability (issue 15, vuln; Code 5.10).

Each is one transaction that locks what it changes and appends its timeline event to each of
the customer's open complaints (and the complaint it was recorded from, open or not). The
event says only "Vulnerability recorded (kind)": timeline events are permanent and chained
(``procedure/chain.py``), so what the customer told us, special category data, never goes into
one; the detail lives on the row, which withdrawal and anonymisation can empty.

See ``cases.models.vulnerabilities`` for what withdrawal keeps and why.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    CONSENT_SCOPE,
    Complaint,
    Customer,
    DisclosedVia,
    EventKind,
    Vulnerability,
    VulnerabilityKind,
)
from putright.cases.services import timeline
from putright.procedure.states import OPEN
from putright.procedure.wording import long_date

LONGEST = 2000
NO_CONSENT = (
    "the customer's consent is needed to keep this: record when and how they agreed to it being "
    f"{CONSENT_SCOPE}. Nothing was saved."
)


def _text(field: str, value: str, *, required: bool = False) -> str:
    words = (value or "").strip()
    if required and not words:
        raise InvalidInput(field, "say what the customer told us")
    if len(words) > LONGEST:
        raise InvalidInput(field, f"keep it to {LONGEST} characters")
    return words


def _cases(customer_id: int, also: Complaint | None) -> list[Complaint]:
    """The customer's open complaints (and ``also``), locked, for the events."""
    found = Complaint.objects.select_for_update().filter(customer_id=customer_id, state__in=OPEN)
    cases = list(found.order_by("pk"))
    if also is not None and also.customer_id == customer_id and all(c.pk != also.pk for c in cases):
        cases.append(Complaint.objects.select_for_update().get(pk=also.pk))
    return cases


def _events(
    cases: list[Complaint],
    kind: EventKind,
    summary: str,
    actor: User | None,
    when: dt.datetime,
    **data: object,
) -> None:
    timeline.append(*(timeline.event(c, kind, summary, actor=actor, occurred_at=when, **data) for c in cases))


def record_vulnerability(
    customer: Customer,
    *,
    kind: str,
    detail: str,
    support_needed: str = "",
    disclosed_on: dt.date,
    disclosed_via: str,
    consent_given_at: dt.datetime | None,
    consent_how: str,
    consent_to_share: bool,
    review_on: dt.date,
    actor: User | None,
    complaint: Complaint | None = None,
) -> Vulnerability:
    """Keep a vulnerability the customer disclosed, only with their consent; nothing is saved
    without it (``InvalidInput`` naming ``consent``)."""
    if kind not in VulnerabilityKind.values:
        raise InvalidInput("kind", "choose what kind of vulnerability it is")
    if disclosed_via not in DisclosedVia.values:
        raise InvalidInput("disclosed_via", "choose how the customer told us")
    if not consent_to_share or consent_given_at is None or not (consent_how or "").strip():
        raise InvalidInput("consent", NO_CONSENT)
    now = timezone.now()
    if consent_given_at > now:
        raise InvalidInput("consent_given_at", "consent cannot be given in the future")
    today = timezone.localdate(now)
    if disclosed_on > today:
        raise InvalidInput("disclosed_on", "the date it was disclosed cannot be in the future")
    if review_on <= today:
        raise InvalidInput("review_on", "the review date must be after today")
    words = _text("detail", detail, required=True)
    support = _text("support_needed", support_needed)
    with transaction.atomic():
        owner = Customer.objects.select_for_update().get(pk=customer.pk)
        cases = _cases(owner.pk, complaint)
        found = Vulnerability.objects.create(
            customer=owner,
            kind=kind,
            detail=words,
            support_needed=support,
            disclosed_on=disclosed_on,
            disclosed_via=disclosed_via,
            consent_given_at=consent_given_at,
            consent_how=consent_how.strip()[:200],
            consent_scope=CONSENT_SCOPE,
            review_on=review_on,
            recorded_by=actor,
        )
        label = VulnerabilityKind(kind).label
        _events(
            cases,
            EventKind.VULNERABILITY_RECORDED,
            f"Vulnerability recorded ({label.lower()})",
            actor,
            now,
            vulnerability=found.pk,
            vulnerability_kind=kind,
            review_on=review_on,
        )
    return found


def _day(instant: dt.datetime) -> str:
    return long_date(timezone.localdate(instant))


def _locked(vulnerability: Vulnerability) -> Vulnerability:
    found = Vulnerability.objects.select_for_update().filter(pk=vulnerability.pk).first()
    if found is None:
        raise InvalidInput("vulnerability", "no such vulnerability on this customer")
    if found.consent_withdrawn_at is not None:
        raise InvalidInput(
            "vulnerability",
            f"the customer withdrew their consent on {_day(found.consent_withdrawn_at)}",
        )
    return found


def review_vulnerability(
    vulnerability: Vulnerability,
    *,
    note: str,
    next_review_on: dt.date,
    support_needed: str | None = None,
    actor: User | None,
    complaint: Complaint | None = None,
) -> Vulnerability:
    """Record that it was reviewed with the customer (Code 5.10: kept under review), and when next."""
    words = _text("review_note", note)
    if not words:
        raise InvalidInput("review_note", "say what the review found")
    now = timezone.now()
    if next_review_on <= timezone.localdate(now):
        raise InvalidInput("next_review_on", "the next review must be after today")
    with transaction.atomic():
        found = _locked(vulnerability)
        cases = _cases(found.customer_id, complaint)
        old = found.review_on
        found.review_note = words
        found.reviewed_on = timezone.localdate(now)
        found.review_on = next_review_on
        fields = ["review_note", "reviewed_on", "review_on"]
        if support_needed is not None:
            found.support_needed = _text("support_needed", support_needed)
            fields.append("support_needed")
        found.save(update_fields=fields)
        _events(
            cases,
            EventKind.VULNERABILITY_REVIEWED,
            f"Vulnerability reviewed ({found.get_kind_display().lower()}); "
            f"next review {long_date(next_review_on)}",
            actor,
            now,
            vulnerability=found.pk,
            old_review_on=old,
            new_review_on=next_review_on,
        )
    return found


def withdraw_consent(
    vulnerability: Vulnerability,
    *,
    actor: User | None,
    withdrawn_at: dt.datetime | None = None,
    complaint: Complaint | None = None,
) -> Vulnerability:
    """The customer no longer agrees: remove what they told us, keep that one was held and withdrawn."""
    now = timezone.now()
    when = withdrawn_at or now
    if when > now:
        raise InvalidInput("withdrawn_at", "consent cannot be withdrawn in the future")
    with transaction.atomic():
        found = _locked(vulnerability)
        cases = _cases(found.customer_id, complaint)
        found.detail = ""
        found.support_needed = ""
        found.review_note = ""
        found.consent_how = ""
        found.consent_withdrawn_at = when
        found.save(
            update_fields=["detail", "support_needed", "review_note", "consent_how", "consent_withdrawn_at"]
        )
        _events(
            cases,
            EventKind.VULNERABILITY_CONSENT_WITHDRAWN,
            "Consent to hold a vulnerability withdrawn: what the customer told us was removed",
            actor,
            when,
            vulnerability=found.pk,
        )
    return found


def forget_vulnerabilities(customer: Customer | int) -> int:
    """Delete every vulnerability held about the customer, for anonymisation and erasure.

    Called inside the anonymising transaction, which writes its own event; returns how many
    were deleted. Nothing of them is left: the anonymised customer is no one, so a count of
    their vulnerabilities would describe nobody (the events name only the kind).
    """
    customer_id = customer if isinstance(customer, int) else customer.pk
    deleted, _ = Vulnerability.objects.filter(customer_id=customer_id).delete()
    return deleted
