"""Reads for the pages: the letters of a case, in a fixed number of queries."""

from __future__ import annotations

from putright.cases.models import Complaint
from putright.comms.models import Letter


def letters_for_case(complaint: Complaint) -> list[Letter]:
    """Every letter of ``complaint``, oldest first, with who sent and posted it and the template version.

    One query, however many letters.
    """
    return list(
        Letter.objects.filter(complaint_id=complaint.pk)
        .select_related("template", "sent_by", "posted_by")
        .order_by("sent_at", "pk")
    )
