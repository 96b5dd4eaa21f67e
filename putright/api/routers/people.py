"""Customers and the people who act for them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.email_addresses import EmailAddress
from putright.accounts.models import User
from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require
from putright.api.presenters import vulnerabilities
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.api.schemas import VULNERABILITIES_FIELD, VulnerabilityOut, WithoutHiddenVulnerabilities
from putright.cases.errors import NotFound
from putright.cases.models import (
    AdjustmentKind,
    ContactPreference,
    Customer,
    Representative,
    RepresentativeKind,
    Tenure,
)
from putright.cases.selectors.access import access_organisation, customers_for
from putright.cases.selectors.vulnerabilities import vulnerabilities_of
from putright.cases.services import customers

router = Router(tags=["Customers"])


class AdjustmentIO(Schema):
    kind: AdjustmentKind
    detail: str = ""


class RepresentativeOut(Schema):
    id: int
    name: str
    kind: str
    role: str
    email: str
    phone: str
    consent_given_at: dt.datetime | None
    consent_how: str
    consent_withdrawn_at: dt.datetime | None
    has_consent: bool


class CustomerOut(WithoutHiddenVulnerabilities):
    id: int
    organisation: str
    title: str
    first_name: str
    last_name: str
    email: str
    phone: str
    address: str
    postcode: str
    tenure: str
    tenancy_reference: str
    preferred_contact: str
    preferred_contact_time: str
    adjustments: list[AdjustmentIO]
    representatives: list[RepresentativeOut]
    # issue 15, vuln: only for roles that may see them; absent for the others
    vulnerabilities: list[VulnerabilityOut] | None = VULNERABILITIES_FIELD


class CustomerIn(Schema):
    organisation: str = Field(description="The landlord's short name, e.g. VHT.")
    title: str = ""
    first_name: str
    last_name: str
    email: EmailAddress = ""  # issue 15, inputsec: one address, or a 422 naming the field
    phone: str = ""
    address: str = ""
    postcode: str = ""
    tenure: Tenure = Tenure.TENANT
    tenancy_reference: str = ""
    preferred_contact: ContactPreference = ContactPreference.PHONE
    preferred_contact_time: str = ""
    adjustments: list[AdjustmentIO] = Field(default_factory=list)


class RepresentativeIn(Schema):
    name: str
    kind: RepresentativeKind
    role: str = ""
    email: EmailAddress = ""  # issue 15, inputsec: one address, or a 422 naming the field
    phone: str = ""
    consent_given_at: dt.datetime | None = None
    consent_how: str = ""


class CustomerQuery(Schema):
    q: str | None = Field(
        None, max_length=100, description="Name, postcode, email, phone or tenancy reference."
    )
    limit: int = Field(25, ge=1, le=100)


def _visible(request: HttpRequest) -> QuerySet[Customer]:
    user = caller(request)
    require(user, Capability.MANAGE_CUSTOMERS)
    return (
        customers_for(user).select_related("organisation").prefetch_related("adjustments", "representatives")
    )


def present_all(customers: list[Customer], user: User) -> list[dict[str, object]]:
    """The customers as the API shows them; their vulnerabilities (one query) for roles that may see them."""
    held = vulnerabilities_of(user, [c.pk for c in customers])
    return [present(c, None if held is None else held[c.pk]) for c in customers]


def present(customer: Customer, held: list[Any] | None = None) -> dict[str, object]:
    return {
        "id": customer.pk,
        "organisation": customer.organisation.short_name,
        **{
            f: getattr(customer, f)
            for f in (
                "title",
                "first_name",
                "last_name",
                "email",
                "phone",
                "address",
                "postcode",
                "tenure",
                "tenancy_reference",
                "preferred_contact",
                "preferred_contact_time",
            )
        },
        "adjustments": [{"kind": a.kind, "detail": a.detail} for a in customer.adjustments.all()],
        "representatives": [
            {
                "id": r.pk,
                "name": r.name,
                "kind": r.kind,
                "role": r.role,
                "email": r.email,
                "phone": r.phone,
                "consent_given_at": r.consent_given_at,
                "consent_how": r.consent_how,
                "consent_withdrawn_at": r.consent_withdrawn_at,
                "has_consent": r.has_consent,
            }
            for r in customer.representatives.all()
        ],
        "vulnerabilities": vulnerabilities(held),
    }


def _customer(request: HttpRequest, customer_id: int) -> Customer:
    found = _visible(request).filter(pk=customer_id).first()
    if found is None:
        raise NotFound(f"No customer {customer_id}.")
    return found


@router.get("/customers", response={200: list[CustomerOut], **READ_ERRORS}, summary="Find customers")
def find_customers(request: HttpRequest, query: Query[CustomerQuery]) -> list[dict[str, object]]:
    found = _visible(request)
    if query.q:
        for word in query.q.split()[:4]:
            found = found.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(postcode__icontains=word)
                | Q(email__icontains=word)
                | Q(phone__icontains=word)
                | Q(tenancy_reference__iexact=word)
            )
    return present_all(list(found.order_by("last_name", "first_name", "pk")[: query.limit]), caller(request))


@router.get("/customers/{customer_id}", response={200: CustomerOut, **READ_ERRORS}, summary="Read a customer")
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, object]:
    return present_all([_customer(request, customer_id)], caller(request))[0]


@router.post("/customers", response={201: CustomerOut, **WRITE_ERRORS}, summary="Add a customer")
def create_customer(request: HttpRequest, body: CustomerIn) -> Status[Any]:
    user = caller(request)
    require(user, Capability.MANAGE_CUSTOMERS)
    organisation = access_organisation(user=user, short_name=body.organisation)

    def act() -> Answer:
        fields = body.dict(exclude={"organisation", "adjustments"})
        made = customers.create_customer(
            organisation=organisation,
            adjustments=[(a.kind, a.detail) for a in body.adjustments],
            **fields,
        )
        return 201, present_all([_customer(request, made.pk)], user)[0]

    return run_write(request, act)


@router.post(
    "/customers/{customer_id}/representatives",
    response={201: CustomerOut, **WRITE_ERRORS},
    summary="Add a representative",
)
def add_representative(request: HttpRequest, customer_id: int, body: RepresentativeIn) -> Status[Any]:
    require(caller(request), Capability.MANAGE_CUSTOMERS)
    customer = _customer(request, customer_id)

    def act() -> Answer:
        customers.add_representative(customer=customer, **body.dict())
        return 201, present_all([_customer(request, customer_id)], caller(request))[0]

    return run_write(request, act)


@router.post(
    "/customers/{customer_id}/representatives/{representative_id}/withdraw-consent",
    response={200: CustomerOut, **WRITE_ERRORS},
    summary="Record that consent was withdrawn",
)
def withdraw_consent(request: HttpRequest, customer_id: int, representative_id: int) -> Status[Any]:
    require(caller(request), Capability.MANAGE_CUSTOMERS)
    customer = _customer(request, customer_id)
    representative = Representative.objects.filter(pk=representative_id, customer=customer).first()
    if representative is None:
        raise NotFound(f"No representative {representative_id} for this customer.")

    def act() -> Answer:
        customers.withdraw_consent(representative)
        return 200, present_all([_customer(request, customer_id)], caller(request))[0]

    return run_write(request, act)
