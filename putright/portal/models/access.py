"""A private link for a customer to follow one complaint: no account, no password.

Only a SHA-256 digest of the link's secret is stored; the link itself is
signed with the site's key and expires. Staff or the customer can revoke it.
"""

from __future__ import annotations

from django.db import models


class CaseLink(models.Model):
    complaint = models.ForeignKey("cases.Complaint", on_delete=models.CASCADE, related_name="links")
    email = models.EmailField(help_text="Where the link was sent.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Link to {self.complaint_id} for {self.email}"
