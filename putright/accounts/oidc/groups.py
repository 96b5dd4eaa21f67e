"""The landlord's rules from the provider's groups to putright's roles and organisations.

The rules are a small TOML file named by PUTRIGHT_OIDC_GROUPS, one ``[[group]]`` table per group:

    [[group]]
    id = "3f2a…"                 # what the groups claim carries: Entra's Object ID, or a name
    name = "Complaints – Resolution officers"   # optional, for people reading the file
    role = "resolution_officer"
    organisations = ["VHT", "FHS"]             # organisations' short names
    create_staff = true          # may someone in this group get a new account on first sign-in?

When someone is in several mapped groups, the FIRST of them in the file gives the role and the
organisations of all of them are joined. Roles are not a ladder (a safeguarding lead is not "more"
than a Resolution Officer), so the landlord states precedence by order instead of putright guessing
it; organisations are what a person may see, and someone in two landlords' groups works for both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

#: The role names a rule may give (``accounts.models.Role``; read without Django for the settings).
ROLES = (
    "customer_services",
    "resolution_officer",
    "senior_manager",
    "panel_member",
    "safeguarding_lead",
    "health_safety_lead",
    "manager",
    "administrator",
)
KEYS = {"id", "name", "role", "organisations", "create_staff"}


class GroupRulesError(ValueError):
    """The rules file cannot be used; the message names the group and the field."""


@dataclass(frozen=True)
class GroupRule:
    group: str
    role: str
    organisations: tuple[str, ...]
    create_staff: bool
    name: str = ""


@dataclass(frozen=True)
class Access:
    """What a person's groups give them: one role, the organisations, and whether a new account
    may be made for them."""

    role: str
    organisations: tuple[str, ...]
    create_staff: bool
    groups: tuple[str, ...]


def load_rules(path: str | Path) -> tuple[GroupRule, ...]:
    """Read and check the rules file; a mistake is reported by group and field."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise GroupRulesError(f"PUTRIGHT_OIDC_GROUPS: cannot read {path}: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise GroupRulesError(f"PUTRIGHT_OIDC_GROUPS: {path} is not valid TOML: {error}") from None
    tables = data.get("group")
    if not isinstance(tables, list) or not tables:
        raise GroupRulesError(f"PUTRIGHT_OIDC_GROUPS: {path} has no [[group]] tables")
    rules = tuple(_rule(table, number) for number, table in enumerate(tables, start=1))
    seen: set[str] = set()
    for rule in rules:
        if rule.group in seen:
            raise GroupRulesError(f"PUTRIGHT_OIDC_GROUPS: group {rule.group!r} is listed twice")
        seen.add(rule.group)
    return rules


def _rule(table: dict[str, object], number: int) -> GroupRule:
    where = f"PUTRIGHT_OIDC_GROUPS: group {number}"
    unknown = set(table) - KEYS
    if unknown:
        raise GroupRulesError(
            f"{where}: unknown field {sorted(unknown)[0]!r} (fields: {', '.join(sorted(KEYS))})"
        )
    group, role, organisations = table.get("id"), table.get("role"), table.get("organisations", [])
    if not isinstance(group, str) or not group.strip():
        raise GroupRulesError(f"{where}: 'id' must be the group's id or name as the provider sends it")
    where = f"{where} ({group})"
    if role not in ROLES:
        raise GroupRulesError(f"{where}: 'role' must be one of {', '.join(ROLES)}, not {role!r}")
    if not isinstance(organisations, list) or not all(isinstance(o, str) and o for o in organisations):
        raise GroupRulesError(f"{where}: 'organisations' must be a list of organisations' short names")
    create_staff = table.get("create_staff", False)
    if not isinstance(create_staff, bool):
        raise GroupRulesError(f"{where}: 'create_staff' must be true or false")
    return GroupRule(
        group=group.strip(),
        role=str(role),
        organisations=tuple(organisations),
        create_staff=create_staff,
        name=str(table.get("name", "")),
    )


def access_for(rules: tuple[GroupRule, ...], groups: list[str]) -> Access | None:
    """What these groups give, by the rules (None: no group of theirs is mapped)."""
    mine = set(groups)
    matched = [rule for rule in rules if rule.group in mine]
    if not matched:
        return None
    organisations = tuple(dict.fromkeys(o for rule in matched for o in rule.organisations))
    return Access(
        role=matched[0].role,
        organisations=organisations,
        create_staff=any(rule.create_staff for rule in matched),
        groups=tuple(rule.group for rule in matched),
    )
