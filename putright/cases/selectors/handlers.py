"""Who handled stage 1 of a complaint: read from its record, so the review goes to someone else.

The Code (6.13) asks that the stage 2 review is not given by anyone who
handled stage 1. That is every owner stage 1 had (the officer it was accepted
for and each one it was reassigned to while at stage 1) and whoever recorded
the stage 1 response. The timeline holds all of them (``ACCEPTED`` names the
owner, ``REASSIGNED`` the new one, ``RESPONDED`` is by the person who recorded
it), so one query on the case's own events reads them, whatever happened since.
"""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind, TimelineEvent

OWNED = "handled stage 1"
RESPONDED = "recorded the stage 1 response"

_STAGE1_EVENTS = (EventKind.ACCEPTED, EventKind.REASSIGNED, EventKind.RESPONDED)


def stage1_handlers(complaint: Complaint | int) -> dict[int, str]:
    """Each person who handled stage 1, by id, with how: one query."""
    events = TimelineEvent.objects.filter(complaint=complaint, stage_number=1, kind__in=_STAGE1_EVENTS)
    handlers: dict[int, str] = {}
    for kind, data, actor_id in events.order_by("pk").values_list("kind", "data", "actor_id"):
        if kind == EventKind.RESPONDED:
            if actor_id is not None:
                handlers.setdefault(actor_id, RESPONDED)
            continue
        owner = (data or {}).get("owner" if kind == EventKind.ACCEPTED else "new")
        if isinstance(owner, int):
            handlers[owner] = OWNED
    return handlers


def stage1_people(complaint: Complaint) -> list[tuple[User, str]]:
    """Who handled stage 1 and how, by name (two queries): for a picker to say whom it leaves out."""
    handlers = stage1_handlers(complaint)
    people = User.objects.filter(pk__in=handlers).order_by("first_name", "last_name", "pk")
    return [(person, handlers[person.pk]) for person in people]


def not_offered(people: list[tuple[User, str]]) -> str:
    """A picker's hint: who is left out of the review and why, in a caseworker's words."""
    named = "; ".join(f"{person}, who {how}" for person, how in people)
    return f"The review must be by someone who did not handle stage 1, so not offered: {named}."
