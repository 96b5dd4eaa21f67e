"""mozilla-django-oidc's backend, given the provider's endpoints and putright's rules.

The library exchanges the code (with the PKCE verifier), checks the ID token's signature
against the provider's keys and its nonce; this class adds the checks it leaves out (the
token's issuer and audience), reads the groups from the ID token (Entra puts them there, not
in its userinfo), and hands the claims to ``services.sign_in``. A refusal's reason is left on
the request for the callback page to show.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from putright.accounts.models import User
from putright.accounts.oidc import provider, services

REFUSAL = "putright_oidc_refusal"


class OidcBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Nothing is asked of the provider here: Django makes a backend on every request of
        someone signed in by it, and those requests must not wait on (or fail with) the provider."""
        self.UserModel = User

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if request is None or not provider.is_on() or "code_verifier" not in kwargs:
            return None
        found = provider.endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT = found.token
        self.OIDC_OP_USER_ENDPOINT = found.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = found.jwks
        self.OIDC_RP_CLIENT_ID = settings.PUTRIGHT_OIDC_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.PUTRIGHT_OIDC_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        """The library checks the signature and the nonce; the issuer and audience are checked here."""
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        issuer = settings.PUTRIGHT_OIDC_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation(f"The ID token was issued by {payload.get('iss')!r}, not {issuer!r}.")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued for this client.")
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, with what only the userinfo endpoint has added where missing."""
        claims = dict(payload)
        wanted = (settings.PUTRIGHT_OIDC_GROUPS_CLAIM, "email")
        if self.OIDC_OP_USER_ENDPOINT and any(key not in claims for key in wanted):
            userinfo = super().get_userinfo(access_token, id_token, payload)
            claims = {**userinfo, **claims}
        return claims

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User | None:
        claims = self.get_userinfo(access_token, id_token, payload)
        try:
            return services.sign_in(
                issuer=settings.PUTRIGHT_OIDC_ISSUER or self.OIDC_OP_TOKEN_ENDPOINT,
                claims=claims,
                groups_claim=settings.PUTRIGHT_OIDC_GROUPS_CLAIM,
                rules=provider.rules(),
            )
        except services.Refused as refusal:
            setattr(self.request, REFUSAL, str(refusal))
            return None


def not_a_password(request: HttpRequest, credentials: dict[str, Any] | None = None) -> bool:
    """django-axes' whitelist: a code from the provider is not a password guess, so a refusal
    (no mapped group) is not counted towards locking an office's address out (AXES_WHITELIST_CALLABLE)."""
    return bool(credentials) and "code_verifier" in credentials  # type: ignore[operator]
