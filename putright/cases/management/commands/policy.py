"""``putright policy check [FILE]``: validate a policy and hold it against the Code."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.procedure import code, loader
from putright.procedure.wording import long_date


class Command(BaseCommand):
    help = (
        "Validate a complaints policy (a built-in name or a TOML file; default: the policy in force) "
        "and compare it, point by point, with the Housing Ombudsman's Complaint Handling Code."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = actions.add_parser("check", help="validate and compare with the Code")
        check.add_argument("file", nargs="?", help="policy file or built-in name (flagship, code-2024)")
        check.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"] or settings.PUTRIGHT_POLICY
        try:
            loaded = loader.load(source)
        except loader.PolicyError as error:
            problems = "\n".join(f"  - {problem}" for problem in error.problems)
            raise CommandError(f"{error.source} is not a valid policy:\n{problems}", returncode=2) from None
        points = code.compare(loaded.policy)
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(loaded, points), indent=2))
        else:
            self.stdout.write(_as_table(loaded, points))
            self.stdout.write(_by_hand_list())


def _as_json(loaded: loader.LoadedPolicy, points: list[code.CodePoint]) -> dict[str, Any]:
    meta = loaded.policy.policy
    return {
        "policy": {"name": meta.name, "version": meta.version, "approved_on": meta.approved_on.isoformat()},
        "valid": True,
        "code": code.CODE_NAME,
        "rules": loaded.policy.rule_settings,
        "points": [p.as_dict() for p in points],
        "weaker": [p.key for p in points if p.verdict is code.Verdict.WEAKER],
        "check_by_hand": [p.as_dict() for p in code.by_hand()],
        # issue 12, remedies
        "compensation_rates": loaded.policy.remedies.described(),
    }


def _by_hand_list() -> str:
    """The points no policy file shows, apart from the verdicts so they never count as weaker."""
    lines = ["", "", "Check by hand (a policy file cannot show these):"]
    lines += [f"  - {p.title} ({_cited(p)}): {p.code}" for p in code.by_hand()]
    return "\n".join(lines)


def _as_table(loaded: loader.LoadedPolicy, points: list[code.CodePoint]) -> str:
    meta = loaded.policy.policy
    lines = [
        f"{meta.name}, version {meta.version} (approved {long_date(meta.approved_on)})",
        f"Source: {loaded.source}",
        "The policy is valid.",
        "",
        f"Compared with the {code.CODE_NAME}:",
        "",
    ]
    rows = [("Verdict", "Point", "Code ¶", "The Code", "This policy")]
    rows += [(p.verdict.label.upper(), p.title, p.paragraph, p.code, p.policy) for p in points]
    widths = [min(max(len(row[i]) for row in rows), 44) for i in range(5)]
    for row in rows:
        cells = [_fit(cell, widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    weaker = [p for p in points if p.verdict is code.Verdict.WEAKER]
    lines.append("")
    if weaker:
        lines.append(f"{len(weaker)} point(s) weaker than the Code:")
        for p in weaker:
            note = f" ({p.note})" if p.note else ""
            lines.append(f"  - {p.title} ({_cited(p)}): the Code: {p.code}; this policy: {p.policy}{note}")
        lines.append(
            "The built-in policy 'code-2024' meets the Code: set PUTRIGHT_POLICY=code-2024 to use it."
        )
    else:
        lines.append("No point is weaker than the Code.")
    return "\n".join(lines)


def _cited(p: code.CodePoint) -> str:
    """ "¶ 6.13" for a paragraph, "section 4" as it stands for a point cited by its section."""
    return f"¶ {p.paragraph}" if p.paragraph[:1].isdigit() else p.paragraph


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
