"""The personal-data check's reads: which of a text's words the database knows as a person's.

Two queries whatever the size of the data: the organisations (a small table, to
find the group above and below the organisation), then one ``UNION`` of
index-served lookups: customers', representatives' and staff's names (lower case,
``IN``), the first lines of their addresses (a lower-case prefix) and the
complaint references. The functional indexes are made by migration
``learning.0003_yswd_privacy_indexes``.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Lower

from putright.accounts.models import Organisation, User
from putright.cases.models import Complaint, Customer, Representative
from putright.learning.privacy import Candidates, Known, first_line


def group_of(organisation: Organisation | int) -> frozenset[int]:
    """The organisation, every group above it and every company below it (one query)."""
    own = organisation if isinstance(organisation, int) else organisation.pk
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    scope = {own}
    current = parents.get(own)
    while current is not None and current not in scope:
        scope.add(current)
        current = parents.get(current)
    frontier = [own]
    while frontier:
        parent = frontier.pop()
        for pk, up in parents.items():
            if up == parent and pk not in scope:
                scope.add(pk)
                frontier.append(pk)
    return frozenset(scope)


def known_to(organisation: Organisation | int, wanted: Candidates) -> Known:
    """What the database holds of the candidate words, for the organisation's group."""
    if not (wanted.names or wanted.address_starts or wanted.references):
        return Known(frozenset(), frozenset(), frozenset())
    first, *others = lookups(group_of(organisation), wanted)
    rows = first.union(*others) if others else first
    names_found: set[str] = set()
    lines: set[str] = set()
    references: set[str] = set()
    for kind, found in rows:
        if kind == "name":
            names_found.add(found)
        elif kind == "address":
            lines.add(first_line(found))
        else:
            references.add(found.upper())
    return Known(frozenset(names_found), frozenset(lines), frozenset(references))


def lookups(scope: frozenset[int], wanted: Candidates) -> list[QuerySet[Any, Any]]:
    """One index-served lookup per column, each giving (kind, what was found) rows (for a UNION)."""
    parts: list[QuerySet[Any, Any]] = []
    if wanted.names:
        names = sorted(wanted.names)
        customers = Customer.objects.filter(organisation_id__in=scope)
        parts += [_lower(customers, field, names) for field in ("first_name", "last_name")]
        representatives = Representative.objects.filter(customer__organisation_id__in=scope)
        parts.append(_lower(representatives, "name", names))
        staff = User.objects.filter(organisations__in=scope)
        parts += [_lower(staff, field, names) for field in ("first_name", "last_name")]
    if wanted.address_starts:
        starts = reduce(or_, (Q(pd_found__startswith=start) for start in sorted(wanted.address_starts)))
        for model in (Customer, Representative):
            people = (
                Customer.objects.filter(organisation_id__in=scope)
                if model is Customer
                else Representative.objects.filter(customer__organisation_id__in=scope)
            )
            found = people.annotate(pd_found=Lower("address"), pd_kind=_kind("address")).filter(starts)
            parts.append(found.order_by().values_list("pd_kind", "pd_found"))
    if wanted.references:
        complaints = Complaint.objects.filter(
            organisation_id__in=scope, reference__in=sorted(wanted.references)
        ).annotate(pd_kind=_kind("reference"), pd_found=Lower("reference"))
        parts.append(complaints.order_by().values_list("pd_kind", "pd_found"))
    return parts


def _kind(kind: str) -> Value:
    return Value(kind, output_field=CharField())


def _lower(people: QuerySet[Any, Any], field: str, names: list[str]) -> QuerySet[Any, Any]:
    found: QuerySet[Any, Any] = (
        people.annotate(pd_kind=_kind("name"), pd_found=Lower(field))
        .filter(pd_found__in=names)
        .order_by()
        .values_list("pd_kind", "pd_found")
    )
    return found
