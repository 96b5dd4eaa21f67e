"""Homes owned per organisation, stock type and reporting year: the data CH01 divides by."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from putright.accounts.models import HomesCount, Organisation, StockType, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.errors import InvalidInput

#: The reporting years homes may be recorded for (by the year each begins).
FIRST_YEAR, LAST_YEAR = 2000, 2100
#: More homes than any landlord in England owns: a typing slip, not a figure.
MOST_HOMES = 5_000_000


@dataclass(frozen=True)
class HomesEntry:
    """One figure as given: an organisation's short name, a stock type, the homes."""

    organisation: str
    stock_type: str
    homes: int


def homes_for_year(*, user: User, year: int) -> list[HomesCount]:
    """The homes recorded for ``year`` of the organisations the user may see."""
    _check_year(year)
    found = HomesCount.objects.filter(year=year).select_related("organisation")
    visible = visible_organisation_ids(user)
    if visible is not None:
        found = found.filter(organisation_id__in=visible)
    return list(found.order_by("organisation__name", "stock_type"))


@transaction.atomic
def set_homes(*, user: User, year: int, entries: Iterable[HomesEntry]) -> list[HomesCount]:
    """Record the homes of ``year``: every entry or, on the first bad one, none.

    An entry for an organisation and stock type already recorded replaces its figure; the
    figures not named are kept. The caller checks the user may manage homes.
    """
    _check_year(year)
    given = list(entries)
    if not given:
        raise InvalidInput("homes", "give at least one figure")
    organisations = _organisations(user, {entry.organisation for entry in given})
    seen: set[tuple[str, str]] = set()
    for index, entry in enumerate(given):
        _check_entry(index, entry, seen)
    for entry in given:
        HomesCount.objects.update_or_create(
            organisation=organisations[entry.organisation.lower()],
            stock_type=entry.stock_type,
            year=year,
            defaults={"homes": entry.homes},
        )
    return homes_for_year(user=user, year=year)


def _check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput("year", "give the year a reporting year begins, such as 2025 (for 2025-26)")


def _check_entry(index: int, entry: HomesEntry, seen: set[tuple[str, str]]) -> None:
    if entry.stock_type not in StockType.values:
        raise InvalidInput(f"homes.{index}.stock_type", f"must be one of {', '.join(StockType.values)}")
    if not 0 <= entry.homes <= MOST_HOMES:
        raise InvalidInput(f"homes.{index}.homes", f"give a number of homes from 0 to {MOST_HOMES:,}")
    key = (entry.organisation.lower(), entry.stock_type)
    if key in seen:
        raise InvalidInput(f"homes.{index}", "this organisation and stock type are given twice")
    seen.add(key)


def _organisations(user: User, short_names: set[str]) -> dict[str, Organisation]:
    """The named organisations, by lower-case short name; each must be one the user may see."""
    visible = visible_organisation_ids(user)
    found = {
        o.short_name.lower(): o
        for o in Organisation.objects.filter(_any_of(short_names))
        if visible is None or o.pk in visible
    }
    missing = sorted(name for name in short_names if name.lower() not in found)
    if missing:
        raise InvalidInput("homes", f"no organisation {', '.join(missing)} that you work for")
    return found


def _any_of(short_names: set[str]) -> Q:
    query = Q(pk__in=[])
    for name in short_names:
        query |= Q(short_name__iexact=name)
    return query
