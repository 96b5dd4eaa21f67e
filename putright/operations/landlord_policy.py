"""The landlord's policy in force: a base policy with the landlord's closure days, as a file.

``putright setup`` writes it to ``DATA_DIR/policy.toml``, which the settings
use when ``PUTRIGHT_POLICY`` is not set. Closure days are part of the policy
text rather than a table of their own because every complaint keeps the exact
policy text it was opened under (``cases.policies``): a closure day added
later must not move the deadlines of a complaint already running, and the
text records which days were counted.

A changed text needs a new version (``register_current_policy`` refuses the
same version with other words), and a version is numbers and dots, so the
local policy is the base version with an edition number added: flagship
``1.2`` with closure days becomes ``1.2.1``, and ``1.2.2`` when the days
change again. An edition is reused when its text is exactly the one wanted,
whether in the file already written or among the policies complaints were
opened under, so running setup twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from putright.cases.models import PolicyRecord
from putright.procedure import loader

HEADER = (
    "# The policy in force, written by `putright setup` from the landlord file: the policy {base}\n"
    "# with the landlord's closure days. Change the landlord file and run setup again; an edit\n"
    "# made here is replaced by the next run.\n"
)


@dataclass(frozen=True)
class LocalPolicy:
    """The policy text setup would put in force, and whether it differs from the one written."""

    text: str
    version: str
    changed: bool
    closure_days: tuple[dt.date, ...]


def base_policy(base: str, *, relative_to: Path) -> loader.LoadedPolicy:
    """The base policy: a built-in name, or a file named relative to the landlord file."""
    if base in loader.BUILTIN:
        return loader.load(base)
    return loader.load(relative_to / base)


def local_policy(base: loader.LoadedPolicy, closure_days: list[dt.date], *, target: Path) -> LocalPolicy:
    """The text to write to ``target`` (validated by the policy loader), with its edition."""
    days = tuple(sorted(set(closure_days)))
    base_version = base.policy.policy.version
    name = base.policy.policy.name
    existing = target.read_text(encoding="utf-8") if target.is_file() else ""

    def text_for(version: str) -> str:
        header = HEADER.format(base=f"“{name}” {base_version}")
        return _with_version(_with_closure_days(header + base.text, days), version)

    editions = {_edition(v, base_version) for v in _versions(existing, name)} - {None}
    records = PolicyRecord.objects.filter(name=name, version__startswith=f"{base_version}.")
    recorded = {record.version: record.text for record in records}
    editions |= {_edition(v, base_version) for v in recorded} - {None}
    for edition in sorted(e for e in editions if e is not None):
        version = f"{base_version}.{edition}"
        text = text_for(version)
        if text == existing or recorded.get(version) == text:
            return LocalPolicy(text, version, text != existing, days)
    version = f"{base_version}.{max((e for e in editions if e is not None), default=0) + 1}"
    text = text_for(version)
    loader.parse(text, source=str(target))  # PolicyError: never write a policy the loader refuses
    return LocalPolicy(text, version, True, days)


def write_policy(policy: LocalPolicy, target: Path) -> None:
    """Replace ``target`` in one step (a reader sees the old file or the new, never half)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".policy-", suffix=".toml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(policy.text)
    Path(temporary).replace(target)


def _versions(text: str, name: str) -> list[str]:
    if not text:
        return []
    try:
        meta = loader.parse(text).policy
    except loader.PolicyError:
        return []
    return [meta.version] if meta.name == name else []


def _edition(version: str, base_version: str) -> int | None:
    rest = version.removeprefix(f"{base_version}.")
    return int(rest) if rest != version and rest.isdigit() else None


_TABLE = re.compile(r"^\s*\[")


def _in_table(lines: list[str], table: str) -> tuple[int, int] | None:
    """The first and past-the-last line index of ``[table]``'s own keys, None if it is absent."""
    start = next((i for i, line in enumerate(lines) if line.strip() == f"[{table}]"), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
    return start + 1, end


def _set_key(text: str, table: str, key: str, value: str) -> str:
    """``text`` with ``key = value`` in ``[table]`` (replacing a one-line or multi-line value)."""
    lines = text.splitlines()
    span = _in_table(lines, table)
    if span is None:
        return text.rstrip("\n") + f"\n\n[{table}]\n{key} = {value}\n"
    start, end = span
    for i in range(start, end):
        if re.match(rf"^\s*{key}\s*=", lines[i]):
            last = i
            if lines[i].split("=", 1)[1].strip().startswith("[") and "]" not in lines[i]:
                last = next(j for j in range(i + 1, end) if "]" in lines[j])
            lines[i : last + 1] = [f"{key} = {value}"]
            return "\n".join(lines) + "\n"
    lines.insert(start, f"{key} = {value}")
    return "\n".join(lines) + "\n"


def _with_closure_days(text: str, days: tuple[dt.date, ...]) -> str:
    return _set_key(text, "calendar", "closure_days", "[" + ", ".join(d.isoformat() for d in days) + "]")


def _with_version(text: str, version: str) -> str:
    return _set_key(text, "policy", "version", f'"{version}"')
