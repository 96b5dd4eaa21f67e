"""Files sent in as evidence: photos, letters, reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def _upload_to(instance: Attachment, filename: str) -> str:
    # Stored under a random name: the customer's file name is kept only as data.
    return f"evidence/{instance.complaint_id}/{instance.sha256[:16]}-{instance.stored_suffix}"


class Attachment(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=_upload_to, max_length=300)
    name = models.CharField(max_length=200, help_text="The file's name as sent.")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(max_length=300, blank=True)
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.size} bytes)"

    @property
    def stored_suffix(self) -> str:
        return {"application/pdf": "file.pdf", "image/png": "image.png", "image/jpeg": "image.jpg"}.get(
            self.content_type, "file.txt"
        )
