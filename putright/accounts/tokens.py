"""API tokens: created and revoked by an administrator, stored only as a digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import ApiToken, User

KEY_PREFIX = "pr_"
LAST_USED_EVERY = dt.timedelta(minutes=5)


def _digest(key: str) -> str:
    # The key is 256 random bits, so a plain SHA-256 is enough: there is nothing to guess.
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(*, user: User, name: str, created_by: User | None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the key is returned once and never stored."""
    if not name.strip():
        raise ValueError("name the system that will use the token")
    if user.is_superuser:
        raise ValueError("a token acts as its user: make one for a service account, not a superuser")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=key[:10], digest=_digest(key), created_by=created_by
    )
    return token, key


def revoke_token(token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_key(key: str) -> User | None:
    """The active user a key belongs to, or None for an unknown, revoked or disabled one."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        # Not on every request: a write per read would serialise readers on SQLite.
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
