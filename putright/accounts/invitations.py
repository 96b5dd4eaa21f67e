"""The link a new member of staff follows to choose their first password.

It is Django's password-reset token with its own salt and a longer life: an
invitation is read when the person starts work, often days after an
administrator ran ``putright setup``, while a reset link someone asked for
a minute ago should die within the hour. Like a reset link it works once:
the token is bound to the password hash, which changes when they choose one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """A reset token that cannot be used as a reset link (other salt) and lasts the invitation's days."""

    key_salt = "putright.accounts.invitations.InvitationTokenGenerator"

    @property
    def timeout_seconds(self) -> int:
        return int(settings.PUTRIGHT_INVITATION_DAYS) * 24 * 60 * 60

    def check_token(self, user: Any, token: str | None) -> bool:
        """Django's check, with the invitation's validity instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in secrets
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= self.timeout_seconds


invitation_tokens = InvitationTokenGenerator()
