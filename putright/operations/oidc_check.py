"""``putright oidc check``: is signing in with the organisation's account set up right?

Run it after setting the environment and before telling staff: it asks the provider for its
endpoints (as a sign-in would), reads the group rules, checks each organisation they name
exists, and prints the redirect URI to register at the provider. Exit 1 on any problem.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import CommandError
from django.urls import reverse

from putright.accounts.models import Organisation
from putright.accounts.oidc import provider
from putright.accounts.oidc.groups import GroupRulesError


class Check:
    help = "Check the OpenID Connect settings: the provider answers, the group rules load and match."

    def add_arguments(self, parser: ArgumentParser) -> None:
        pass

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        redirect = settings.PUTRIGHT_BASE_URL + reverse("web:oidc-callback")
        stdout.write(f"Redirect URI to register at the provider: {redirect}\n")
        if not provider.is_on():
            raise CommandError(
                "OpenID Connect sign-in is off: set PUTRIGHT_OIDC_ISSUER and PUTRIGHT_OIDC_CLIENT_ID "
                "(and PUTRIGHT_OIDC_CLIENT_SECRET, PUTRIGHT_OIDC_GROUPS)"
            )
        provider.forget_discovery()
        started = time.monotonic()
        try:
            found = provider.endpoints()
        except provider.ProviderUnavailable as error:
            raise CommandError(f"The provider did not give its endpoints: {error}") from None
        seconds = time.monotonic() - started
        where = settings.PUTRIGHT_OIDC_ISSUER or "(endpoints set)"
        stdout.write(f"Provider {where} answered in {seconds:.2f} s\n  sign-in page: {found.authorization}\n")
        stdout.write(f"  token: {found.token}\n  keys: {found.jwks}\n")
        self._rules(stdout)
        everyone = provider.passwords_for_everyone()
        stdout.write(f"Passwords: {'everyone' if everyone else 'administrators only'}\n")
        stdout.write(f'Sign-in button: "Sign in with {settings.PUTRIGHT_OIDC_PROVIDER_NAME}"\nOK\n')

    def _rules(self, stdout: TextIO) -> None:
        try:
            rules = provider.rules()
        except GroupRulesError as error:
            raise CommandError(str(error)) from None
        known = set(Organisation.objects.values_list("short_name", flat=True))
        stdout.write(
            f"Group rules {settings.PUTRIGHT_OIDC_GROUPS}: {len(rules)} groups (first wins the role)\n"
        )
        missing: set[str] = set()
        for rule in rules:
            creates = "creates new staff" if rule.create_staff else "existing staff only"
            label = f" ({rule.name})" if rule.name else ""
            stdout.write(f"  {rule.group}{label}: {rule.role}, {', '.join(rule.organisations)}; {creates}\n")
            missing |= set(rule.organisations) - known
        if missing:
            raise CommandError(
                f"The group rules name organisations putright does not have: {', '.join(sorted(missing))}"
            )
