"""Read a landlord file (TOML) and say, by line and field, everything that is wrong with it.

The file is written by a housing association's administrator, often by
copying the shipped example, so a mistake must be found where it is typed:
each one names its line and its field (``staff[3].role``). Python's
``tomllib`` gives no positions for keys, so ``KeyLines`` finds them by
scanning the text for table headers and keys, which is enough for the plain
shape the example uses (a key inside an inline table is reported at the
line of the table). The shape itself is checked by pydantic, as the policy
file is, so an unknown key, a wrong type or an unknown role is refused with
the same words. YAML is not read: ``tomllib`` is in Python, a second format
would be a dependency and a second set of mistakes to explain.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from putright.accounts.models import OrganisationKind, Role, StockType
from putright.procedure.policy import Nation

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


@dataclass(frozen=True, order=True)
class Mistake:
    """One thing wrong in the file, where it is and what to do about it."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class LandlordFileError(Exception):
    """The file cannot be applied: every mistake found in it, in line order."""

    def __init__(self, source: str, mistakes: Sequence[Mistake]) -> None:
        self.source = source
        self.mistakes = sorted(mistakes)
        super().__init__(f"{source}: " + "; ".join(str(m) for m in self.mistakes))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HomesEntry(_Strict):
    year: Annotated[int, Field(ge=2000, le=2100)]
    stock_type: StockType
    homes: Annotated[int, Field(ge=0)]


class OrganisationEntry(_Strict):
    short_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    kind: OrganisationKind
    parent: Name | None = None
    acting_for: Name | None = None
    nation: Nation | None = None
    address: str | None = None
    phone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)] | None = None
    email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254)] | None = None
    website: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    logo: Name | None = None
    homes: list[HomesEntry] = []


class TeamEntry(_Strict):
    organisation: Name
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    lead: Name | None = None


class StaffEntry(_Strict):
    username: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
    first_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
    last_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=150)]
    role: Role
    job_title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] | None = None
    team: Name | None = None
    organisations: list[Name] | None = None


class PolicyEntry(_Strict):
    base: Name = "flagship"
    closure_days: list[dt.date] = []


class RetentionEntry(_Strict):
    """issue 15, retention: how long each record type is kept (each key optional: left out, unchanged).

    The keys are the record types' ``file_key`` in ``cases.services.retention``; the floors are
    checked there, against the database's record types, by ``landlord.check``.
    """

    complaint_years: Annotated[int, Field(ge=0)] | None = None
    draft_days: Annotated[int, Field(ge=0)] | None = None
    rate_limit_days: Annotated[int, Field(ge=0)] | None = None
    email_attachment_days: Annotated[int, Field(ge=0)] | None = None


class LandlordFile(_Strict):
    policy: PolicyEntry | None = None
    retention: RetentionEntry | None = None
    organisations: list[OrganisationEntry] = []
    teams: list[TeamEntry] = []
    staff: list[StaffEntry] = []


@dataclass(frozen=True)
class ReadFile:
    """A landlord file read: its well-formed entries, the mistakes in the others, and where each key is.

    An entry with a mistake in its shape is left out of ``content`` so the rest can
    still be checked against each other and the database (every mistake is reported
    at once); its name stays in ``named``, so a reference to it is not a second mistake.
    """

    path: Path
    content: LandlordFile
    lines: KeyLines
    mistakes: list[Mistake] = field(default_factory=list)
    origin: dict[str, list[int]] = field(default_factory=dict)  # a kept entry's place in the file
    named: dict[str, set[str]] = field(default_factory=dict)  # "organisations"/"staff": every name given

    def mistake(self, loc: tuple[str | int, ...], message: str) -> Mistake:
        if len(loc) > 1 and isinstance(loc[0], str) and isinstance(loc[1], int) and loc[0] in self.origin:
            loc = (loc[0], self.origin[loc[0]][loc[1]], *loc[2:])
        return Mistake(self.lines.line_of(loc), field_name(loc), message)


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+)\s*=\s*(.*)$")


class KeyLines:
    """The line of each table and key of a TOML text, by its path (``("staff", 2, "role")``)."""

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str | int, ...], int] = {}
        self._arrays: dict[tuple[str | int, ...], int] = {}
        self._scan(text.splitlines())

    def line_of(self, loc: tuple[str | int, ...]) -> int:
        """The line of ``loc``, or of the nearest table that holds it (1 when none is known)."""
        while loc:
            if loc in self._lines:
                return self._lines[loc]
            loc = loc[:-1]
        return 1

    def _scan(self, lines: list[str]) -> None:
        table: tuple[str | int, ...] = ()
        closing = ""  # what ends the multi-line value being skipped ('"""', "'''" or "]")
        for number, line in enumerate(lines, start=1):
            if closing:
                if closing in line:
                    closing = ""
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                table = self._table(header.group(1) == "[[", header.group(2))
                self._lines.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                self._lines[(*table, key.group(1))] = number
                closing = _unclosed(key.group(2))

    def _table(self, is_array: bool, dotted: str) -> tuple[str | int, ...]:
        path: tuple[str | int, ...] = ()
        names = [part.strip().strip('"') for part in dotted.split(".")]
        for i, name in enumerate(names):
            path = (*path, name)
            last = i == len(names) - 1
            if last and is_array:
                index = self._arrays.get(path, 0)
                self._arrays[path] = index + 1
                path = (*path, index)
            elif path in self._arrays:
                path = (*path, self._arrays[path] - 1)
        return path


def _unclosed(value: str) -> str:
    """What closes a value that goes on past its first line ("" if it ends there)."""
    value = value.split(" #", 1)[0].strip()
    for quotes in ('"""', "'''"):
        if value.startswith(quotes) and (value.count(quotes) == 1):
            return quotes
    if value.startswith("[") and value.count("[") > value.count("]"):
        return "]"
    return ""


def field_name(loc: tuple[str | int, ...]) -> str:
    """``("staff", 2, "role")`` as a person reads it: ``staff[3].role`` (counting from 1)."""
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "(the file)"


def read(path: Path) -> ReadFile:
    """The landlord file at ``path`` with the mistakes in its shape (LandlordFileError if unreadable)."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LandlordFileError(source, [Mistake(1, "(the file)", f"cannot be read: {error}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"line (\d+)", str(error))
        line = int(found.group(1)) if found else 1
        raise LandlordFileError(source, [Mistake(line, "(the file)", f"not valid TOML: {error}")]) from None
    lines = KeyLines(text)
    named = {
        "organisations": _names(data.get("organisations"), "short_name"),
        "staff": _names(data.get("staff"), "username"),
    }
    try:
        content = LandlordFile.model_validate(data)
    except ValidationError as error:
        mistakes = [_mistake(lines, e) for e in error.errors()]
        content, origin = _well_formed(data)
        return ReadFile(path, content, lines, mistakes, origin, named)
    return ReadFile(path, content, lines, named=named)


def _names(entries: object, key: str) -> set[str]:
    if not isinstance(entries, list):
        return set()
    return {str(e[key]).strip() for e in entries if isinstance(e, dict) and isinstance(e.get(key), str)}


_SECTIONS: dict[str, type[_Strict]] = {
    "organisations": OrganisationEntry,
    "teams": TeamEntry,
    "staff": StaffEntry,
}


def _well_formed(data: dict[str, object]) -> tuple[LandlordFile, dict[str, list[int]]]:
    """The entries of a file with mistakes that are well formed, and where each was in the file."""
    parts: dict[str, object] = {}
    origin: dict[str, list[int]] = {}
    policy = data.get("policy")
    if isinstance(policy, dict):
        parts["policy"] = _without_bad_keys(PolicyEntry, policy)
    kept_for = data.get("retention")  # issue 15, retention
    if isinstance(kept_for, dict):
        parts["retention"] = _without_bad_keys(RetentionEntry, kept_for)
    for section, model in _SECTIONS.items():
        entries = data.get(section)
        kept: list[_Strict] = []
        origin[section] = []
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            valid = _without_bad_keys(model, entry)
            if valid is not None:
                kept.append(valid)
                origin[section].append(i)
        parts[section] = kept
    return LandlordFile.model_validate(parts), origin


def _without_bad_keys(model: type[_Strict], entry: object) -> _Strict | None:
    """The entry without the keys that have mistakes (so its others are still checked), if it stands."""
    if not isinstance(entry, dict):
        return None
    try:
        return model.model_validate(entry)
    except ValidationError as error:
        bad = {e["loc"][0] for e in error.errors() if e["loc"]}
    try:
        return model.model_validate({k: v for k, v in entry.items() if k not in bad})
    except ValidationError:
        return None  # a required key is wrong: the entry cannot be checked further


def _mistake(lines: KeyLines, error: object) -> Mistake:
    assert isinstance(error, dict)
    loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
    kind, message = error["type"], str(error["msg"])
    if kind == "extra_forbidden":
        message = "is not a key of the landlord file (see deploy/landlord.example.toml)"
    elif kind == "missing":
        message = "is required"
    elif "input" in error and kind != "missing" and not isinstance(error["input"], dict | list):
        message = f"{message} (found {error['input']!r})"
    # Enum and literal choices end their path with the value's type; the field is the one before.
    return Mistake(lines.line_of(loc), field_name(loc), message)
