"""Load a policy file and say plainly what is wrong with a bad one.

A policy is written by a complaints manager, not a programmer, so a bad file is
refused with one line per problem naming the field (``stage1.response.from``)
and what is wrong with it, never with a traceback.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from putright.procedure.policy import Policy

BUILTIN = {
    "flagship": "flagship.toml",
    "code-2024": "code-2024.toml",
}
DEFAULT = "flagship"


class PolicyError(Exception):
    """A policy file that cannot be used, with every problem found in it."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class LoadedPolicy:
    """A validated policy with the exact text it came from, for the record."""

    policy: Policy
    text: str
    source: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


def load(name_or_path: str | Path | None = None) -> LoadedPolicy:
    """Load a built-in policy by name ("flagship", "code-2024") or a file by path."""
    key = str(name_or_path) if name_or_path else DEFAULT
    if key in BUILTIN:
        text = resources.files("putright.procedure.policies").joinpath(BUILTIN[key]).read_text()
        return LoadedPolicy(parse(text, source=key), text, key)
    path = Path(key)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        known = ", ".join(sorted(BUILTIN))
        raise PolicyError(key, [f"no such file, and not a built-in policy ({known})"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(key, [f"cannot be read: {exc}"]) from None
    return LoadedPolicy(parse(text, source=key), text, str(path))


def parse(text: str, *, source: str = "<policy>") -> Policy:
    """Validate a policy's TOML text, raising PolicyError with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(source, [f"not valid TOML: {exc}"]) from None
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(source, [_describe(err) for err in exc.errors()]) from None


def _describe(error: object) -> str:
    assert isinstance(error, dict)
    where = _path(error["loc"]) or "(top level)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "is required but missing"
    elif error["type"] == "extra_forbidden":
        message = "is not a field this policy format knows (check the spelling)"
    elif error["type"] == "string_pattern_mismatch":
        message = f"{_PATTERN_MEANING.get(where.rsplit('.', 1)[-1], 'is not in the expected form')} "
        message += f"(got {error['input']!r})"
    else:
        message = f"{message} (got {error['input']!r})" if _shows_input(error) else message
    return f"{where}: {message}"


_PATTERN_MEANING = {
    "version": "must be numbers separated by dots, such as 1.0 or 2.1",
    "key": "must be lower-case letters, digits and underscores, starting with a letter",
}


def _path(loc: tuple[object, ...]) -> str:
    """``("stage2", "grounds", 0, "key")`` as ``stage2.grounds[0].key``."""
    where = ""
    for part in loc:
        if isinstance(part, int):
            where += f"[{part}]"
        else:
            where += f".{part}" if where else str(part)
    return where


def _shows_input(error: dict[str, object]) -> bool:
    return not isinstance(error.get("input"), dict | list)
