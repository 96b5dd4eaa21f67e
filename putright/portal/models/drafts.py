"""A complaint being written on the web form, kept on the server between its pages.

The answers live here, not in the browser, so that a failed upload, a
closed tab or a server restart loses nothing, and a second press of
"Send" finds the complaint the first one made.
"""

from __future__ import annotations

from django.db import models


class Draft(models.Model):
    #: Random, held in the visitor's session; never shown in a URL.
    key = models.CharField(max_length=64, unique=True)
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    complaint = models.OneToOneField(
        "cases.Complaint", null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )

    def __str__(self) -> str:
        return f"Draft {self.pk} ({'sent' if self.submitted_at else 'open'})"


def _draft_upload_to(instance: DraftFile, filename: str) -> str:
    return f"drafts/{instance.draft_id}/{instance.sha256[:16]}"


class DraftFile(models.Model):
    """Evidence attached to a draft, checked by its bytes when it arrived."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_draft_upload_to, max_length=300)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
