"""``putright report KIND ...``: the reports, from the command line.

Each kind is a small class in its own module (``putright.reports.commands``), with the
arguments it takes and what it does, so that the command itself is only this table.
"""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandError

#: kind -> "module:Class"; the class has ``help``, ``add_arguments(parser)`` and
#: ``run(options, stdout) -> None`` (raising CommandError for a clear refusal).
KINDS: dict[str, str] = {
    # issue 13, tsm
    "tsm": "putright.reports.commands.tsm:TsmCommand",
    "annual": "putright.reports.commands.annual:AnnualCommand",
    # issue 13, documents
    # issue 13, export
    "export": "putright.reports.commands.export:Export",
    "board": "putright.reports.commands.board:BoardReport",
}


class Command(BaseCommand):
    help = "Reports over the complaints: " + ", ".join(KINDS) + "."

    def add_arguments(self, parser: ArgumentParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="KIND")
        for name, target in KINDS.items():
            handler = _load(target)
            handler.add_arguments(kinds.add_parser(name, help=handler.help, description=handler.help))

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind not in KINDS:
            raise CommandError(f"no report {kind!r}: choose from {', '.join(KINDS)}")
        _load(KINDS[kind]).run(options, self.stdout)


def _load(target: str) -> Any:
    module, name = target.split(":")
    return getattr(import_module(module), name)()
