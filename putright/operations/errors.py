"""The one refusal of the backup and restore commands: a sentence the operator can act on."""

from __future__ import annotations


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead, and why; raised before anything is changed."""
