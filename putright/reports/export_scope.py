"""Which complaints an export covers: those received in a period (or all), of an organisation and
those below it (or all), never beyond the organisations the person asking works for.

The page, its downloads, the API and the command all read their filters through
``export_scope``, so a bad period or an organisation the user may not see is refused with the
same words everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.errors import InvalidInput
from putright.cases.selectors.access import access_organisation
from putright.cases.selectors.responses_given import organisations_under
from putright.reports import periods
from putright.reports.periods import Period

#: What a user types for "every period".
ALL = "all"


@dataclass(frozen=True)
class Scope:
    """The complaints of ``organisation_ids`` (None: every one) received in ``period`` (None: ever)."""

    organisation_ids: frozenset[int] | None = None
    period: Period | None = None
    organisation: str = ""

    def complaints(self, path: str = "") -> Q:
        """The condition on complaints, reached from another table through ``path`` ("complaint__")."""
        q = Q()
        if self.organisation_ids is not None:
            q &= Q(**{f"{path}organisation_id__in": sorted(self.organisation_ids)})
        if self.period is not None:
            q &= Q(
                **{
                    f"{path}received_at__gte": self.period.starts_at,
                    f"{path}received_at__lt": self.period.ends_at,
                }
            )
        return q

    @property
    def period_key(self) -> str:
        return self.period.key if self.period else ALL

    @property
    def label(self) -> str:
        """ "Complaints received April 2025 to March 2026, of VHT and the organisations below it"."""
        when = f"received {self.period.label}" if self.period else "received at any time"
        where = (
            f"{self.organisation} and the organisations below it"
            if self.organisation
            else "every organisation you may see"
        )
        return f"Complaints {when}, of {where}"


def parse_period(text: str | None) -> Period | None:
    """A period's key (2025-26, 2026-Q1, 2026-04-01..2026-05-15); blank or "all" for every period."""
    text = (text or "").strip()
    if not text or text.lower() == ALL:
        return None
    try:
        return periods.parse(text)
    except ValueError as error:
        raise InvalidInput("period", str(error)) from None


def export_scope(*, user: User | None, period: str | None = None, organisation: str | None = None) -> Scope:
    """The scope a member of staff asked for (``user`` None: the command line, which sees all).

    Raises InvalidInput (field "period" or "organisation") for a period that cannot be read,
    or an organisation that does not exist or that the user does not work for.
    """
    chosen = _organisation(user, (organisation or "").strip())
    visible = visible_organisation_ids(user) if user is not None else None
    ids: frozenset[int] | None = visible
    if chosen is not None:
        ids = frozenset(organisations_under(chosen.pk))
        if visible is not None:
            ids &= visible
    return Scope(
        organisation_ids=ids, period=parse_period(period), organisation=chosen.short_name if chosen else ""
    )


def _organisation(user: User | None, short_name: str) -> Organisation | None:
    if not short_name:
        return None
    if user is not None:
        return access_organisation(user=user, short_name=short_name)
    found = Organisation.objects.filter(short_name__iexact=short_name).first()
    if found is None:
        raise InvalidInput("organisation", f"no organisation {short_name!r}")
    return found
