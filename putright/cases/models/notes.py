"""Internal notes: what staff tell each other about a case, never shown to the customer.

A note is not a contact with the customer (``Contact``) and not a step of the
procedure: it changes nothing about where the case stands. The colleagues it
names (by an @mention or the "tell a colleague" picker) are emailed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CaseNote(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    written_at = models.DateTimeField()
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["written_at", "pk"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.written_at:%Y-%m-%d %H:%M}"
