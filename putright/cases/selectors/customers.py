"""Finding a customer to log a complaint for, among those the member of staff may see."""

from __future__ import annotations

from functools import reduce
from operator import and_

from django.db.models import Q

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Customer
from putright.cases.selectors.access import customers_for
from putright.cases.services.customers import normalise_postcode

#: Enough to recognise the right person; a longer list means the search needs another word.
SEARCH_LIMIT = 20


def find_customers(*, user: User, text: str, limit: int = SEARCH_LIMIT) -> list[Customer]:
    """Customers matching every word by name, postcode, email or tenancy reference.

    A caller on the phone gives what they have: "Ada Lovelace", "NR28 0NB",
    "ada@example.org" or "T-1234". Each word must match one of those, so a name
    and a postcode together narrow the list; a whole postcode typed without its
    space still finds it. Fixed number of queries, whatever the number found.
    """
    words = text.split()
    if not words:
        return []
    each_word = [_matches(word) for word in words]
    whole_postcode = Q(postcode=normalise_postcode(text)) if len(text) <= 10 else Q(pk__in=[])
    found = customers_for(user).filter(reduce(and_, each_word) | whole_postcode)
    return list(found.select_related("organisation").order_by("last_name", "first_name", "pk")[:limit])


def _matches(word: str) -> Q:
    return (
        Q(first_name__icontains=word)
        | Q(last_name__icontains=word)
        | Q(email__icontains=word)
        | Q(postcode__icontains=word)
        | Q(tenancy_reference__icontains=word)
    )


def customer_to_log_for(*, user: User, customer_id: int) -> Customer | None:
    """The chosen customer, with what the log page shows of them, if the user may see them."""
    return (
        customers_for(user)
        .filter(pk=customer_id)
        .select_related("organisation")
        .prefetch_related("adjustments", "representatives")
        .first()
    )


def visible_organisations(user: User) -> list[Organisation]:
    """The organisations the user works for and those below them (all, for an administrator), by name."""
    visible = visible_organisation_ids(user)
    organisations = (
        Organisation.objects.all() if visible is None else Organisation.objects.filter(pk__in=visible)
    )
    return list(organisations.order_by("name"))


def organisations_to_log_for(user: User) -> list[Organisation]:
    """The organisations whose complaints the user may log: those they work for, and below."""
    return visible_organisations(user)
