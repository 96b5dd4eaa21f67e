"""Signing in with the organisation's account: off to the provider, and back.

mozilla-django-oidc's two views do the protocol; these give them the provider's endpoints
(``accounts.oidc.provider``), a page instead of a bare redirect when the provider cannot be
reached or the person is refused, and the second factor afterwards for administrators, as after
a password. Both answer "not found" while OpenID Connect is not set up.
"""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from mozilla_django_oidc import views as oidc_views

from putright.accounts.oidc import provider
from putright.accounts.oidc.backend import REFUSAL
from putright.web.access import needs_second_factor
from putright.web.views.auth import _verified, _with_next

log = logging.getLogger("putright.oidc")

UNREACHABLE = (
    "{name} could not be reached, so you cannot sign in with it just now. Try again in a few "
    "minutes. Administrators can still sign in with their password."
)
FAILED = "Signing in with {name} did not complete. Go back to the sign-in page and try again."


def _problem(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(request, "web/auth/oidc_refused.html", {"message": message}, status=status)


def _provider_name() -> str:
    return str(settings.PUTRIGHT_OIDC_PROVIDER_NAME)


class StartView(oidc_views.OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Send the browser to the provider, with state, nonce and a PKCE challenge kept in the session."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.is_on():
            raise Http404("Signing in with an organisation account is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.endpoints().authorization
        except provider.ProviderUnavailable as error:
            log.warning("OIDC provider unavailable: %s", error)
            return _problem(request, UNREACHABLE.format(name=_provider_name()), 503)
        self.OIDC_RP_CLIENT_ID = settings.PUTRIGHT_OIDC_CLIENT_ID
        response: HttpResponse = super().get(request)
        return response


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """The provider's answer: a member of staff signed in, or a page that says why not."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not provider.is_on():
            raise Http404("Signing in with an organisation account is not set up.")
        try:
            response: HttpResponse = super().get(request)
        except provider.ProviderUnavailable as error:
            log.warning("OIDC provider unavailable: %s", error)
            return _problem(request, UNREACHABLE.format(name=_provider_name()), 503)
        except (requests.RequestException, SuspiciousOperation) as error:
            log.warning("OIDC sign-in failed: %s", error)
            return _problem(request, FAILED.format(name=_provider_name()), 400)
        return response

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL, None)
        if refusal:
            return _problem(self.request, refusal, 403)
        return _problem(self.request, FAILED.format(name=_provider_name()), 400)

    @property
    def success_url(self) -> str:
        """The page asked for, after the second factor where the person needs one."""
        url: str = super().success_url
        user = self.request.user
        if needs_second_factor(user) and not _verified(user):
            return _with_next(reverse("web:two-factor"), url)
        return url


urlpatterns = [
    path("sign-in/organisation/", StartView.as_view(), name="oidc-start"),
    path("sign-in/organisation/callback/", CallbackView.as_view(), name="oidc-callback"),
]
