"""Reading disclosed vulnerabilities, only for the roles allowed to see them (issue 15, vuln).

A user without ``VIEW_VULNERABILITIES`` gets ``None``: not an empty list, so a page or the API
can leave the whole section out rather than say "none", which would itself be a statement
about the customer. The timeline's vulnerability events are left out for them too.
"""

from __future__ import annotations

from collections.abc import Iterable

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import NotFound
from putright.cases.models import Complaint, TimelineEvent, Vulnerability
from putright.cases.models.vulnerabilities import EVENT_KINDS
from putright.cases.selectors.complaints import complaint_for_user


def visible_events(user: User, events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
    """The case's timeline as the user may see it: without the vulnerability events for a role
    that may not see vulnerabilities (they would say that one was disclosed, and its kind)."""
    if can(user, Capability.VIEW_VULNERABILITIES):
        return list(events)
    return [e for e in events if e.kind not in EVENT_KINDS]


def vulnerabilities_of(user: User, customer_ids: list[int]) -> dict[int, list[Vulnerability]] | None:
    """The customers' vulnerabilities, by customer, in one query; ``None`` if the role may not see them.

    The caller has already checked that the user may see these customers."""
    if not can(user, Capability.VIEW_VULNERABILITIES):
        return None
    found: dict[int, list[Vulnerability]] = {pk: [] for pk in customer_ids}
    rows = Vulnerability.objects.filter(customer_id__in=customer_ids).select_related("recorded_by")
    for row in rows.order_by("disclosed_on", "pk"):
        found[row.customer_id].append(row)
    return found


def vulnerabilities_for_case(user: User, complaint: Complaint) -> list[Vulnerability] | None:
    """The vulnerabilities of the complaint's customer, or ``None`` for a role that may not see them."""
    found = vulnerabilities_of(user, [complaint.customer_id])
    return None if found is None else found[complaint.customer_id]


def vulnerability_for_user(
    *, user: User, reference: str, vulnerability_id: int
) -> tuple[Complaint, Vulnerability]:
    """The complaint and one of its customer's vulnerabilities, or ``NotFound`` (also for a role
    that may not see them, so that one's existence is not confirmed)."""
    complaint = complaint_for_user(user=user, reference=reference)
    found = (
        Vulnerability.objects.filter(pk=vulnerability_id, customer_id=complaint.customer_id).first()
        if can(user, Capability.VIEW_VULNERABILITIES)
        else None
    )
    if found is None:
        raise NotFound(f"No such vulnerability on {complaint.reference}.")
    return complaint, found
