"""How long each kind of record is kept, as the landlord set it (issue 15, retention).

One row per record type rather than a singleton: the record types are a fixed
list in code (``putright.cases.retention.RECORD_TYPES``), each with its own unit,
default and floor, and a row per type lets the admin list them all with the
period in force, change one without touching the others, and lets a new record
type be added by a data migration adding one row, not a column. A type with no
row keeps its default.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RetentionPeriod(models.Model):
    record_type = models.CharField(max_length=40, unique=True)
    amount = models.PositiveIntegerField(help_text="In the record type's unit (years or days).")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.record_type}: {self.amount}"
