"""Customers, their reasonable adjustments and the people who act for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from putright.accounts.email_addresses import clean_email_address
from putright.accounts.models import Organisation
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    AdjustmentKind,
    ContactPreference,
    Customer,
    ReasonableAdjustment,
    Representative,
    RepresentativeKind,
    Tenure,
)


def create_customer(
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    address: str = "",
    postcode: str = "",
    title: str = "",
    tenure: Tenure | str = Tenure.TENANT,
    tenancy_reference: str = "",
    preferred_contact: ContactPreference | str = ContactPreference.PHONE,
    preferred_contact_time: str = "",
    adjustments: Iterable[tuple[AdjustmentKind | str, str]] = (),
) -> Customer:
    """Add a customer with how they like to be contacted and what they need from us."""
    if not first_name.strip() or not last_name.strip():
        raise InvalidInput("name", "give the customer's first name and last name")
    if not (email.strip() or phone.strip() or address.strip()):
        raise InvalidInput("contact", "give at least one way to reach the customer")
    if preferred_contact == ContactPreference.EMAIL and not email.strip():
        raise InvalidInput("email", "the customer prefers email: give their address")
    email = _one_address(email)
    with transaction.atomic():
        customer = Customer.objects.create(
            organisation=organisation,
            title=title.strip(),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
            phone=phone.strip(),
            address=address.strip(),
            postcode=normalise_postcode(postcode),
            tenure=tenure,
            tenancy_reference=tenancy_reference.strip(),
            preferred_contact=preferred_contact,
            preferred_contact_time=preferred_contact_time.strip(),
        )
        ReasonableAdjustment.objects.bulk_create(
            ReasonableAdjustment(customer=customer, kind=kind, detail=detail.strip())
            for kind, detail in adjustments
        )
    return customer


def _one_address(email: str) -> str:
    """The address as stored, or InvalidInput: a bad one would make this person's emails fail quietly."""
    try:
        return clean_email_address(email)
    except ValueError as error:
        raise InvalidInput("email", str(error)) from None


def normalise_postcode(postcode: str) -> str:
    """A UK postcode in its usual form: upper case, one space before the last three characters."""
    compact = "".join(postcode.split()).upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def add_representative(
    *,
    customer: Customer,
    name: str,
    kind: RepresentativeKind | str,
    role: str = "",
    email: str = "",
    phone: str = "",
    consent_given_at: dt.datetime | None = None,
    consent_how: str = "",
) -> Representative:
    """Record someone who acts for the customer; they act only once consent is recorded."""
    if not name.strip():
        raise InvalidInput("name", "give the representative's name")
    if consent_given_at is not None and not consent_how.strip():
        raise InvalidInput("consent_how", "record how the customer gave consent")
    email = _one_address(email)
    return Representative.objects.create(
        customer=customer,
        name=name.strip(),
        kind=kind,
        role=role.strip(),
        email=email,
        phone=phone.strip(),
        consent_given_at=consent_given_at,
        consent_how=consent_how.strip(),
    )


def withdraw_consent(representative: Representative, *, at: dt.datetime | None = None) -> Representative:
    if representative.consent_withdrawn_at is None:
        representative.consent_withdrawn_at = at or timezone.now()
        representative.save(update_fields=["consent_withdrawn_at"])
    return representative
