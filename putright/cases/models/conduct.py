"""Unacceptable behaviour: the decision not to investigate a complaint (procedure section 8)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InvestigationDeclined(models.Model):
    """Why an accepted complaint is not investigated, and the legal advice sought first.

    The procedure reserves the right "to not investigate the case and will seek
    legal advice": the reason and the advice (what it said, and when) are kept
    beside the case, and the customer's letter gives the reason and signposts
    the Housing Ombudsman.
    """

    complaint = models.OneToOneField(
        "cases.Complaint", on_delete=models.CASCADE, related_name="investigation_declined"
    )
    reason = models.TextField()
    legal_advice = models.TextField(help_text="The legal advice sought, in short")
    advice_on = models.DateField(help_text="When the advice was given")
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Not investigated: {self.complaint_id}"
