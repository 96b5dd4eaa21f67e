"""A complaint's receipt and organisation, copied onto the rows the reports count by them.

The reports count a period's stages, deadlines, outcomes, themes and remedies by their
complaint's receipt and organisation (the cohort: the complaints received in the period).
Through a join to the complaint, the database read every such row there is to find a year's
(a year's complaints are spread over the whole range of ids, as in an import of history): at
1,000,000 complaints the dashboard took 11 s. Copied onto the rows, with an index each, a
year reads only its own rows.

They are facts, never figures: a complaint's receipt and organisation are set when it is
logged and never change, and every service that writes one of these rows copies them from
its complaint (``copied_from``); the columns refuse a row without them.

Each table's index starts with the receipt and holds every column the reports read of it, so
that a year is one contiguous range of the index, read without the table: a year's rows are
spread over every page of the table (as the complaints' ids are), so reading them from the
table would read the whole table.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models


class _Received(Protocol):
    received_at: Any
    organisation_id: int


class ComplaintCopy(models.Model):
    """The complaint's ``received_at`` and ``organisation``, as they are on the complaint."""

    complaint_received_at = models.DateTimeField(
        editable=False, help_text="The complaint's received_at, copied for the reports."
    )
    complaint_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        editable=False,
        help_text="The complaint's organisation, copied for the reports.",
    )

    class Meta:
        abstract = True


def copied_from(complaint: _Received) -> dict[str, Any]:
    """The copied columns of a row of ``complaint``, to pass to a create or a constructor."""
    return {
        "complaint_received_at": complaint.received_at,
        "complaint_organisation_id": complaint.organisation_id,
    }
