"""``putright oidc check``: the OpenID Connect sign-in's settings, checked (issue 14, oidc)."""

from __future__ import annotations

from typing import ClassVar

from putright.subcommands import TableCommand


class Command(TableCommand):
    help = "Signing in with the organisation's account (OpenID Connect)."
    metavar = "ACTION"
    table: ClassVar[dict[str, str]] = {"check": "putright.operations.oidc_check:Check"}
