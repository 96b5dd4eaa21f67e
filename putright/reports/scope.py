"""What a report is asked about: a reporting year, an organisation the user may see."""

from __future__ import annotations

from django.db.models import Q

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import organisations_below, visible_organisation_ids
from putright.reports import periods
from putright.reports.periods import Period


def reporting_year(text: str) -> Period:
    """A reporting year written "2025-26"; ValueError, saying so, for anything else."""
    period = periods.parse(text)
    if period != periods.year_containing(period.start):
        raise ValueError(f"{text!r}: give a reporting year such as 2025-26 (April 2025 to March 2026)")
    return period


def organisation_named(user: User, name: str) -> Organisation | None:
    """The organisation a user names (its short name or its name, in any case), if they may see it.

    None for one that does not exist and for one outside their organisations alike, so that a
    report never says which organisations exist elsewhere.
    """
    name = name.strip()
    found = Organisation.objects.filter(Q(short_name__iexact=name) | Q(name__iexact=name)).first()
    visible = visible_organisation_ids(user)
    if found is None or (visible is not None and found.pk not in visible):
        return None
    return found


def organisations_in_scope(user: User, organisation: Organisation | None) -> frozenset[int]:
    """The organisations a report covers: those the user sees, narrowed to ``organisation`` and below."""
    visible = visible_organisation_ids(user)
    every = frozenset(Organisation.objects.values_list("pk", flat=True)) if visible is None else visible
    if organisation is None:
        return every
    parents: dict[int, int | None] = dict(Organisation.objects.values_list("pk", "parent_id"))
    return every & organisations_below(parents, [organisation.pk])


def document_organisation(user: User, organisation: Organisation | None) -> Organisation | None:
    """Whom a kept document speaks for: the organisation asked for, else the whole group (None)
    only for someone who sees every organisation, else the highest organisation the user works
    for, so that a document is never filed under the group by someone who sees only part of it
    (the list of documents shows a group's only to those who see every organisation)."""
    if organisation is not None:
        return organisation
    visible = visible_organisation_ids(user)
    if visible is None:
        return None
    found = Organisation.objects.filter(pk__in=visible).exclude(parent__in=visible).order_by("name").first()
    if found is None:
        raise Organisation.DoesNotExist("the user works for no organisation")
    return found
