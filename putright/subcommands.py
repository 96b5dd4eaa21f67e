"""A management command that is a table of subcommands, each a small class in its own module.

Each class has ``help``, ``add_arguments(parser)`` and ``run(options, stdout)`` (raising
CommandError for a clear refusal), so a command such as ``putright report`` is only its table.
"""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import import_module
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError


class TableCommand(BaseCommand):
    #: subcommand -> "module:Class", loaded only when asked for.
    table: ClassVar[dict[str, str]] = {}
    metavar: ClassVar[str] = "KIND"

    def add_arguments(self, parser: ArgumentParser) -> None:
        chosen = parser.add_subparsers(dest="subcommand", required=True, metavar=self.metavar)
        for name, target in self.table.items():
            handler = _load(target)
            handler.add_arguments(chosen.add_parser(name, help=handler.help, description=handler.help))

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["subcommand"]
        if name not in self.table:
            raise CommandError(f"no {self.metavar.lower()} {name!r}: choose from {', '.join(self.table)}")
        _load(self.table[name]).run(options, self.stdout)


def _load(target: str) -> Any:
    module, name = target.split(":")
    return getattr(import_module(module), name)()
