"""The mapping file: which column of the old system's export is what, and what its words mean.

A TOML file an operator writes once per export (``deploy/import/example-mapping.toml``
documents every key). It is checked whole before any row is read, so a typing mistake
is named at once instead of rejecting every row for the same reason.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from putright.cases.models import Channel
from putright.cases.models.people import Tenure
from putright.procedure.states import Outcome, State

#: Every column the mapping may name, and what it holds (for messages and the example file).
COLUMNS = {
    "reference": "their reference for the complaint",
    "received": "the date it was received",
    "channel": "how it came in",
    "customer_name": "the customer's name",
    "customer_email": "the customer's email",
    "customer_phone": "the customer's phone",
    "tenure": "the customer's tenure",
    "address": "the address of the home",
    "postcode": "the postcode",
    "organisation": "the organisation (short name or name)",
    "summary": "a line saying what it is about",
    "description": "the complaint in full",
    "category": "the reason to complain",
    "stage": "the stage it reached",
    "state": "its status",
    "outcome": "the outcome",
    "acknowledged": "the date stage 1 was acknowledged",
    "responded": "the date of the stage 1 response",
    "escalated": "the date stage 2 was asked for",
    "stage2_acknowledged": "the date stage 2 was acknowledged",
    "stage2_responded": "the date of the stage 2 response",
    "closed": "the date it was closed",
}
REQUIRED_COLUMNS = ("reference", "received", "customer_name", "state")
DATE_COLUMNS = (
    "received",
    "acknowledged",
    "responded",
    "escalated",
    "stage2_acknowledged",
    "stage2_responded",
    "closed",
)
#: Besides putright's own states, a status may say "open" or "responded": at the row's stage.
STAGE_RELATIVE = {"open", "responded"}
DEFAULT_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")
TOP_KEYS = {"source_system", "encoding", "columns", "points", "dates", "defaults", "values"}
VALUE_MAPS = {"channel", "stage", "state", "outcome", "category", "tenure"}


class MappingError(ValueError):
    """The mapping file cannot be used; the message names the key and what is wrong."""


@dataclass(frozen=True)
class StateValue:
    """What one of their statuses means: a state (or "open"/"responded") and perhaps an outcome."""

    state: str
    outcome: str = ""


@dataclass(frozen=True)
class Mapping:
    source_system: str
    columns: dict[str, str]
    encoding: str = "utf-8-sig"
    points_column: str = ""
    points_separator: str = ";"
    points_columns: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = DEFAULT_FORMATS
    default_organisation: str = ""
    default_channel: str = ""
    default_category: str = ""
    default_tenure: str = Tenure.TENANT.value
    channels: dict[str, str] = field(default_factory=dict)
    stages: dict[str, int] = field(default_factory=dict)
    states: dict[str, StateValue] = field(default_factory=dict)
    outcomes: dict[str, str] = field(default_factory=dict)
    categories: dict[str, str] = field(default_factory=dict)
    tenures: dict[str, str] = field(default_factory=dict)

    def headers_needed(self) -> list[str]:
        return [*self.columns.values(), *([self.points_column] if self.points_column else [])]


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; MappingError names the first problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise MappingError(f"cannot read the mapping {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise MappingError(f"{path} is not UTF-8 text: save the mapping as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{path} is not valid TOML: {error}") from None
    return parse_mapping(data, str(path))


def parse_mapping(data: dict[str, Any], where: str = "the mapping") -> Mapping:
    _only(data, TOP_KEYS, where)
    source = data.get("source_system")
    if not isinstance(source, str) or not source.strip():
        raise MappingError(f"{where}: source_system is required, the name of the old system")
    columns = _strings(data.get("columns", {}), f"{where} [columns]")
    _only(columns, set(COLUMNS), f"{where} [columns]")
    defaults = _strings(data.get("defaults", {}), f"{where} [defaults]")
    _only(defaults, {"organisation", "channel", "category", "tenure"}, f"{where} [defaults]")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if "organisation" not in columns and not defaults.get("organisation"):
        missing.append("organisation (or [defaults] organisation)")
    if missing:
        raise MappingError(f"{where} [columns]: missing {', '.join(missing)}")
    points = data.get("points", {})
    _only(points, {"column", "separator", "columns"}, f"{where} [points]")
    points_columns = points.get("columns", [])
    if not isinstance(points_columns, list) or not all(isinstance(c, str) for c in points_columns):
        raise MappingError(f"{where} [points] columns: a list of column names")
    if "summary" not in columns and not points.get("column") and not points_columns:
        raise MappingError(f"{where}: name a summary column or the points ([points])")
    formats = data.get("dates", {}).get("formats", list(DEFAULT_FORMATS))
    _only(data.get("dates", {}), {"formats"}, f"{where} [dates]")
    if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
        raise MappingError(f'{where} [dates] formats: a list such as ["%d/%m/%Y", "%Y-%m-%d"]')
    values = data.get("values", {})
    _only(values, VALUE_MAPS, f"{where} [values]")
    channel = defaults.get("channel", "")
    if channel and channel not in Channel.values:
        raise MappingError(
            f"{where} [defaults] channel: {channel!r} is not one of {', '.join(Channel.values)}"
        )
    if defaults.get("tenure", "tenant") not in Tenure.values:
        raise MappingError(f"{where} [defaults] tenure: one of {', '.join(Tenure.values)}")
    return Mapping(
        source_system=source.strip(),
        encoding=_encoding(data.get("encoding", "utf-8"), where),
        columns=columns,
        points_column=points.get("column", ""),
        points_separator=points.get("separator", ";") or ";",
        points_columns=tuple(points_columns),
        date_formats=tuple(formats),
        default_organisation=defaults.get("organisation", ""),
        default_channel=channel,
        default_category=defaults.get("category", ""),
        default_tenure=defaults.get("tenure", Tenure.TENANT.value),
        channels=_choices(values, "channel", Channel.values, where),
        stages=_stages(values.get("stage", {}), where),
        states=_states(values.get("state", {}), where),
        outcomes=_choices(values, "outcome", [o.value for o in Outcome], where),
        categories={
            _key(k): v for k, v in _strings(values.get("category", {}), f"{where} [values.category]").items()
        },
        tenures=_choices(values, "tenure", Tenure.values, where),
    )


def _encoding(name: Any, where: str) -> str:
    """The file's character set; UTF-8 with or without a spreadsheet's byte-order mark by default."""
    if not isinstance(name, str):
        raise MappingError(f'{where}: encoding must be a name such as "utf-8" or "cp1252"')
    try:
        found = codecs.lookup(name).name
    except LookupError:
        raise MappingError(f'{where}: encoding {name!r} is not one Python knows (try "cp1252")') from None
    return "utf-8-sig" if found == "utf-8" else found


def _only(table: Any, allowed: set[str], where: str) -> None:
    if not isinstance(table, dict):
        raise MappingError(f"{where}: expected a table")
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise MappingError(f"{where}: unknown key {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")


def _strings(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise MappingError(f"{where}: each value must be a string")
    return {k: v for k, v in table.items() if v}


def _choices(values: dict[str, Any], name: str, allowed: list[str], where: str) -> dict[str, str]:
    table = _strings(values.get(name, {}), f"{where} [values.{name}]")
    for theirs, ours in table.items():
        if ours not in allowed:
            raise MappingError(
                f"{where} [values.{name}] {theirs!r} = {ours!r}: not one of {', '.join(allowed)}"
            )
    return {_key(k): v for k, v in table.items()}


def _stages(table: Any, where: str) -> dict[str, int]:
    if not isinstance(table, dict):
        raise MappingError(f"{where} [values.stage]: expected a table")
    for theirs, ours in table.items():
        if ours not in (0, 1, 2):
            raise MappingError(f"{where} [values.stage] {theirs!r} = {ours!r}: 0, 1 or 2")
    return {_key(k): v for k, v in table.items()}


def _states(table: Any, where: str) -> dict[str, StateValue]:
    if not isinstance(table, dict):
        raise MappingError(f"{where} [values.state]: expected a table")
    found = {}
    allowed = [s.value for s in State] + sorted(STAGE_RELATIVE)
    for theirs, ours in table.items():
        spec = {"state": ours} if isinstance(ours, str) else ours
        if not isinstance(spec, dict) or set(spec) - {"state", "outcome"} or "state" not in spec:
            raise MappingError(
                f'{where} [values.state] {theirs!r}: a state, or {{ state = "closed", outcome = "upheld" }}'
            )
        if spec["state"] not in allowed:
            raise MappingError(
                f"{where} [values.state] {theirs!r}: state {spec['state']!r} "
                f"is not one of {', '.join(allowed)}"
            )
        if spec.get("outcome", "") not in ("", *[o.value for o in Outcome]):
            raise MappingError(f"{where} [values.state] {theirs!r}: outcome {spec['outcome']!r} is not known")
        found[_key(theirs)] = StateValue(spec["state"], spec.get("outcome", ""))
    return found


def _key(text: str) -> str:
    """Their words are matched without regard to case or spaces around them."""
    return " ".join(text.split()).casefold()
