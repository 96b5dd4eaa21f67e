"""``putright report KIND ...``: the reports, from the command line.

Each kind is a small class in its own module (``putright.reports.commands``), with the
arguments it takes and what it does, so that the command itself is only this table.
"""

from __future__ import annotations

from putright.subcommands import TableCommand

#: kind -> "module:Class"; the class has ``help``, ``add_arguments(parser)`` and
#: ``run(options, stdout) -> None`` (raising CommandError for a clear refusal).
KINDS: dict[str, str] = {
    "tsm": "putright.reports.commands.tsm:TsmCommand",
    "annual": "putright.reports.commands.annual:AnnualCommand",
    "export": "putright.reports.commands.export:Export",
    "board": "putright.reports.commands.board:BoardReport",
}


class Command(TableCommand):
    help = "Reports over the complaints: " + ", ".join(KINDS) + "."
    table = KINDS
    metavar = "KIND"
