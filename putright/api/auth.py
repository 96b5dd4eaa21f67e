"""Who is calling: a service account by API token, or a member of staff by their session.

A session needs its CSRF token on every write, like any page's form.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from putright.accounts.models import User
from putright.accounts.tokens import user_for_key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = user_for_key(token)
        if user is not None:
            request.user = user
        return user


class StaffSessionAuth(SessionAuth):
    def __call__(self, request: HttpRequest) -> Any:
        # No signed-in member of staff: there is no session to protect, so the caller is
        # unauthenticated (401), not refused a CSRF check (403). A client whose token is
        # missing, unknown or revoked learns to fix its token.
        user = getattr(request, "user", None)
        if not (isinstance(user, User) and user.is_active):
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_active:
            return user
        return None


def caller(request: HttpRequest) -> User:
    """The authenticated user of a request that passed authentication."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


AUTH = [TokenAuth(), StaffSessionAuth()]
