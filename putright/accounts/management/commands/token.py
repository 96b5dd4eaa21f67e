"""``putright token create USERNAME NAME`` and ``putright token revoke PREFIX``: API tokens from the shell."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.accounts.models import ApiToken, User
from putright.accounts.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = "Create an API token for a user (the key is printed once) or revoke one by its prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a token; prints the key once")
        create.add_argument("username", help="the user the token acts as (e.g. a service account)")
        create.add_argument("name", help="what will use it, e.g. 'Housing management system'")
        revoke = actions.add_parser("revoke", help="revoke a token")
        revoke.add_argument("prefix", help="the start of the key, as listed in the admin")
        actions.add_parser("list", help="list tokens and whether they are active")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user {options['username']!r}.", returncode=2)
            token, key = create_token(user=user, name=options["name"], created_by=None)
            self.stdout.write(f"Token “{token.name}” for {user.username} ({user.get_role_display()}):")
            self.stdout.write(key)
            self.stdout.write("Keep it secret; it is not shown again. Use it as: Authorization: Bearer <key>")
        elif action == "revoke":
            tokens = list(
                ApiToken.objects.filter(prefix__startswith=options["prefix"], revoked_at__isnull=True)
            )
            if len(tokens) != 1:
                raise CommandError(
                    f"{len(tokens)} active tokens start with {options['prefix']!r}.", returncode=2
                )
            revoke_token(tokens[0])
            self.stdout.write(f"Revoked “{tokens[0].name}” ({tokens[0].prefix}…).")
        else:
            for token in ApiToken.objects.select_related("user"):
                state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                self.stdout.write(f"{token.prefix}…  {token.user.username:<20} {token.name:<40} {state}")
