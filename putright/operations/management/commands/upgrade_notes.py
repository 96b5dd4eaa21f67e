"""``putright upgrade_notes``: what to read before `putright migrate`, from the migrations not yet applied."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from putright.operations.databases import unapplied_migrations
from putright.operations.migration_safety import notes_of


class Command(BaseCommand):
    help = (
        "List the migrations `putright migrate` would apply and the upgrade notes among them: a "
        "migration that is not safe to run while the old version still serves says what to do instead."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        waiting = unapplied_migrations()
        if not waiting:
            self.stdout.write("The database is up to date: no migrations to apply.")
            return
        loader = MigrationLoader(connection)
        notes = notes_of(waiting, loader)
        self.stdout.write(f"{len(waiting)} migrations to apply: {', '.join(waiting)}.")
        if not notes:
            self.stdout.write(
                "None carries an upgrade note: each is safe to run while the old version still serves. "
                "Run `putright migrate`, then reload the web processes and restart the worker."
            )
            return
        self.stdout.write(f"{len(notes)} carry an upgrade note. Read each before you run `putright migrate`:")
        for name, note in notes:
            self.stdout.write(f"\n{name}:\n  {note}")
