"""Open work with a date on it, and who answers for it: one definition for the reminders.

The deadline sweep and the daily digest both read "the open deadlines of open
cases due by a time, with the team lead to tell", and the digest reads "the
open agreed actions of open cases due by a date, with the person to tell".
They are defined here once, so that the two can never disagree about what is
open or who leads a case.

- An open deadline: neither met nor cancelled, on a case in an open state
  (the filter matches the ``deadline_open_due`` partial index).
- The team lead of a case: the lead of the case's own team; when the case has
  no team, or its team has no lead, the lead of the owner's team.
- An open action: not completed, on a case in an open state; the person to
  tell is its owner, else (an action nobody was given) the case's owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import TYPE_CHECKING, TypedDict

from django.db.models import F, IntegerField, Q, QuerySet
from django.db.models.functions import Coalesce

from putright.cases.models import Action, Deadline
from putright.procedure.states import OPEN

if TYPE_CHECKING:  # django-stubs is a development dependency: the annotated types are for mypy
    from django_stubs_ext import WithAnnotations

#: The states of an open case, as stored (sorted, so that the SQL is the same every time).
OPEN_STATES = sorted(state.value for state in OPEN)


class WithLead(TypedDict):
    lead_id: int | None


class WithWhoToTell(TypedDict):
    to_tell_id: int | None


def team_lead(complaint: str = "complaint") -> Coalesce:
    """The id of the team lead to tell about the case at ``complaint`` (a path from the model read).

    The case's team's lead, else the owner's team's lead: a case team without
    a lead falls back too, so that a lead is not lost to an unfilled post.
    """
    return Coalesce(
        F(f"{complaint}__team__lead"), F(f"{complaint}__owner__team__lead"), output_field=IntegerField()
    )


def open_deadlines(
    until: dt.datetime, of: Collection[int] | None = None
) -> QuerySet[WithAnnotations[Deadline, WithLead]]:
    """Open deadlines of open cases due by ``until``, annotated with ``lead_id`` (``team_lead``);
    only those of cases that the people ``of`` own or lead, if given."""
    found = Deadline.objects.filter(
        met_at__isnull=True,
        cancelled_at__isnull=True,
        due_at__lte=until,
        complaint__state__in=OPEN_STATES,
    ).annotate(lead_id=team_lead())
    if of is not None:
        found = found.filter(Q(complaint__owner__in=of) | Q(lead_id__in=of))
    return found


def open_actions(
    until: dt.date, of: Collection[int] | None = None
) -> QuerySet[WithAnnotations[Action, WithWhoToTell]]:
    """Open agreed actions of open cases due on or before ``until``, annotated with ``to_tell_id``:
    the action's owner, else the case's owner; only those to tell the people ``of``, if given."""
    found = Action.objects.filter(
        completed_at__isnull=True,
        due_on__lte=until,
        complaint__state__in=OPEN_STATES,
    ).annotate(to_tell_id=Coalesce(F("owner"), F("complaint__owner"), output_field=IntegerField()))
    if of is not None:
        found = found.filter(to_tell_id__in=of)
    return found
