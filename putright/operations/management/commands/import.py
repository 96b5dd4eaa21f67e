# ruff: noqa: N999 - the command is "putright import", so its module is import.py
"""``putright import KIND FILE ...``: bring a landlord's past in from the system it used before.

Each kind is a small class with ``help``, ``add_arguments(parser)`` and ``run(options, stdout)``,
named in this table (``putright.subcommands``), so another kind (staff, customers) is one line.
"""

from __future__ import annotations

from putright.subcommands import TableCommand

#: kind -> "module:Class"
KINDS: dict[str, str] = {
    "complaints": "putright.operations.importing.command:ImportComplaints",
}


class Command(TableCommand):
    help = "Bring a landlord's records in from another system: " + ", ".join(KINDS) + "."
    table = KINDS
    metavar = "KIND"
