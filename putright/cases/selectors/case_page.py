"""Everything the case page shows about one complaint, in a fixed number of queries.

``complaint_detail`` loads the record the API and the step pages share; the
case page also shows the contacts, the evidence asked for, the responses and
extensions of each stage, and the customer's restrictions, so it adds those
as prefetches: one query each, whatever the size of the case, and none for a
list the case has no rows of (``selectors.lists``).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from putright.accounts.models import User
from putright.cases.errors import NotFound
from putright.cases.models import (
    Attachment,
    CaseNote,
    Complaint,
    Contact,
    EventKind,
    EvidenceRequest,
    Extension,
    Response,
    Restriction,
    Stage,
    TimelineEvent,
)
from putright.cases.selectors.complaints import complaint_detail, complaint_for_user
from putright.cases.selectors.lists import of_complaint, of_customer, through

#: The lists the case page shows besides the record's, each read only when it has rows.
CASE_PAGE_LISTS = (
    of_complaint(
        Prefetch(
            "contacts", queryset=Contact.objects.select_related("recorded_by").order_by("-occurred_at", "-pk")
        ),
        Contact,
    ),
    of_complaint(
        Prefetch(
            "evidence_requests",
            queryset=EvidenceRequest.objects.select_related("recorded_by").order_by("-occurred_at", "-pk"),
        ),
        EvidenceRequest,
    ),
    through(
        Prefetch("stages__responses", queryset=Response.objects.order_by("occurred_at", "pk")),
        Response,
        "stage_id",
        Stage,
    ),
    through(
        Prefetch("stages__extensions", queryset=Extension.objects.order_by("number")),
        Extension,
        "stage_id",
        Stage,
    ),
    of_customer(
        Prefetch("customer__restrictions", queryset=Restriction.objects.order_by("-starts_on", "-pk")),
        Restriction,
    ),
    # Internal notes: staff only, so loaded here and never for the customer's pages.
    of_complaint(
        Prefetch(
            "notes",
            queryset=CaseNote.objects.select_related("author")
            .prefetch_related("mentioned")
            .order_by("-written_at", "-pk"),
        ),
        CaseNote,
    ),
)


def case_page(*, user: User, reference: str) -> Complaint:
    """The complaint as its page shows it, or CaseNotFound outside the user's cases."""
    return complaint_detail(user=user, reference=reference, also=CASE_PAGE_LISTS)


def evidence_file(*, user: User, reference: str, attachment_id: int) -> Attachment:
    """One evidence file of a complaint the user may see, or NotFound (as for the complaint itself)."""
    complaint = complaint_for_user(user=user, reference=reference)
    found = Attachment.objects.filter(complaint=complaint, pk=attachment_id).first()
    if found is None:
        raise NotFound(f"No evidence file {attachment_id} on complaint {complaint.reference}.")
    if not found.file:  # issue 15, anonymise: deleted with the personal details
        raise NotFound(f"Evidence file {attachment_id} on complaint {complaint.reference} was removed.")
    return found


def anonymised_on(case: Complaint) -> tuple[dt.datetime, str] | None:
    """issue 15, anonymise: when the case's personal details were removed and why, for its banner.

    None (and no query) for a case never anonymised; otherwise one query, for the reason its
    ``ANONYMISED`` event records.
    """
    if case.anonymised_at is None:
        return None
    data = (
        TimelineEvent.objects.filter(complaint=case, kind=EventKind.ANONYMISED)
        .order_by("-pk")
        .values_list("data", flat=True)
        .first()
    )
    reason = data.get("reason", "") if isinstance(data, dict) else ""
    return case.anonymised_at, str(reason)
