"""``putright bench ACTION ...``: tools to measure putright at scale.

Each action is a small class with ``help``, ``add_arguments(parser)`` and ``run(options, stdout)``,
named in this table, so a new one (issue 16's ``run``) is one line here.
"""

from __future__ import annotations

from argparse import ArgumentParser
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand

#: action -> "module:Class"
ACTIONS: dict[str, str] = {
    "seed": "putright.bench.seeding:Seed",
}


class Command(BaseCommand):
    help = "Tools to measure putright at scale: " + ", ".join(ACTIONS) + "."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, target in ACTIONS.items():
            handler = _load(target)
            handler.add_arguments(actions.add_parser(name, help=handler.help, description=handler.help))

    def handle(self, *args: Any, **options: Any) -> None:
        _load(ACTIONS[options["action"]]).run(options, self.stdout)


def _load(target: str) -> Any:
    module, name = target.split(":")
    return getattr(import_module(module), name)()
