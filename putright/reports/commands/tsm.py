"""``putright report tsm --year 2025-26 [--organisation NAME] [--json]``: the TSM from the command line.

Run as the system, it reads every organisation (as an administrator would); ``--organisation``
narrows it to one organisation and those below it.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import CommandError

from putright.accounts.models import Organisation, Role, User
from putright.reports.scope import reporting_year
from putright.reports.tsm import TsmReport, tsm_report


class TsmCommand:
    help = "Tenant Satisfaction Measures CH01 and CH02 for a reporting year, with the complaints behind each."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", required=True, help="A reporting year, for example 2025-26.")
        parser.add_argument("--organisation", help="An organisation's short name or name.")
        parser.add_argument("--json", action="store_true", help="JSON, with every reference.")

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        try:
            period = reporting_year(options["year"])
        except ValueError as bad:
            raise CommandError(str(bad)) from None
        organisation = organisation_by_name(options.get("organisation"))
        report = tsm_report(user=system_user(), period=period, organisation=organisation)
        if options.get("json"):
            stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            stdout.write(as_text(report))


def system_user() -> User:
    """An unsaved administrator: the command is run by whoever runs the server, who sees all."""
    return User(username="putright-report", role=Role.ADMINISTRATOR, is_active=True)


def organisation_by_name(name: str | None) -> Organisation | None:
    if not name:
        return None
    found = Organisation.objects.filter(short_name__iexact=name.strip()).first()
    found = found or Organisation.objects.filter(name__iexact=name.strip()).first()
    if found is None:
        raise CommandError(f"no organisation {name!r}: give its short name or its name")
    return found


def as_text(report: TsmReport) -> str:
    """The report as a reader checks it: each measure's numerator, denominator and value."""
    lines = [f"Tenant Satisfaction Measures, {report.period.key} ({report.period.label})", ""]
    lines += ["Reading: " + report.reading.describe(), ""]
    if not report.organisations:
        lines.append("No organisation has homes recorded for this year.")
    for row in report.organisations:
        lines.append(row.name + (" (with the organisations below it)" if row.is_group else ""))
        for stock in row.stocks:
            lines.append(f"  {stock.label}: {stock.homes} homes")
            for m in stock.measures:
                value = "no value" if m.value is None else f"{m.value}"
                lines.append(f"    {m.key:8} {m.numerator:>6} / {m.denominator:<6} = {value:>8}  {m.title}")
            lines.append(f"    Resolved informally: {len(stock.informal_resolutions)}")
        if row.without_stock_type:
            lines.append(f"  With no stock type (in no measure): {len(row.without_stock_type)}")
        lines.append("")
    return "\n".join(lines) + "\n"
