"""What the rate limits count: one row per attempt, by a digest of the address or email."""

from __future__ import annotations

from django.db import models


class RateEvent(models.Model):
    #: What was attempted and what it is counted by, e.g. "complain:ip", "follow:email".
    bucket = models.CharField(max_length=40)
    #: SHA-256 of the address or email: the limit needs to recognise it, not to know it.
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["bucket", "key", "at"], name="rate_event_lookup")]

    def __str__(self) -> str:
        return f"{self.bucket} at {self.at:%Y-%m-%d %H:%M}"
