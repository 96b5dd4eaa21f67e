"""``putright bench ACTION ...``: tools to measure putright at scale.

Each action is a small class with ``help``, ``add_arguments(parser)`` and ``run(options, stdout)``,
named in this table, so a new one (issue 16's ``run``) is one line here.
"""

from __future__ import annotations

from putright.subcommands import TableCommand

#: action -> "module:Class"
ACTIONS: dict[str, str] = {
    "seed": "putright.bench.seeding:Seed",
    "run": "putright.bench.running:Run",  # issue 16, benchrun
}


class Command(TableCommand):
    help = "Tools to measure putright at scale: " + ", ".join(ACTIONS) + "."
    table = ACTIONS
    metavar = "ACTION"
