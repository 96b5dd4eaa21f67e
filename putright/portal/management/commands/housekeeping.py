"""``putright housekeeping``: forget what the public pages no longer need. Run it daily.

Drafts nobody has touched for 30 days go, with their files (a half-written
complaint holds a person's name, address and story), and rate-limit attempts
older than any window go too. Running it twice removes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from putright.portal import drafts, limits

#: Longer than any rate limit's window (the longest is a day).
KEEP_ATTEMPTS = dt.timedelta(days=2)


class Command(BaseCommand):
    help = "Delete drafts not updated for 30 days (and their files) and rate-limit attempts over 2 days old."

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        gone, files = drafts.forget_stale(now)
        attempts = limits.forget_before(now - KEEP_ATTEMPTS)
        self.stdout.write(f"Removed {gone} old draft(s) with {files} file(s).")
        self.stdout.write(f"Removed {attempts} old rate-limit attempt(s).")
