"""``access_*``: load a record by what a caller names and check, in one call, that they may see it.

Records outside the caller's organisations are treated as not there at all.
"""

from __future__ import annotations

from django.db.models import QuerySet

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.errors import InvalidInput
from putright.cases.models import Customer, Representative


def customers_for(user: User) -> QuerySet[Customer]:
    """The customers of the organisations the user works for."""
    visible = visible_organisation_ids(user)
    customers = Customer.objects.all()
    if visible is not None:
        customers = customers.filter(organisation_id__in=visible)
    return customers


def access_organisation(*, user: User, short_name: str, field: str = "organisation") -> Organisation:
    visible = visible_organisation_ids(user)
    found = Organisation.objects.filter(short_name__iexact=short_name).first()
    if found is None or (visible is not None and found.pk not in visible):
        raise InvalidInput(field, f"no organisation {short_name!r} that you work for")
    return found


def access_customer(*, user: User, customer_id: int, field: str = "customer_id") -> Customer:
    """The customer, with their landlord: intake checks the complaint's organisation serves it
    (issue 16, overhead: read in the same query, not again inside the create's transaction)."""
    found = customers_for(user).select_related("organisation").filter(pk=customer_id).first()
    if found is None:
        raise InvalidInput(field, f"no customer {customer_id} that you can see")
    return found


def access_representative(
    *, customer: Customer, representative_id: int | None, field: str = "representative_id"
) -> Representative | None:
    if representative_id is None:
        return None
    found = Representative.objects.filter(pk=representative_id, customer=customer).first()
    if found is None:
        raise InvalidInput(field, "not a representative of this customer")
    return found
