"""A letter never goes out with a blank: the placeholders it prints that are empty, and what to fill in.

A template prints some placeholders unconditionally ("call us on {{
landlord_phone }}") and others only when they have a value ("{% if
landlord_email %}or email {{ landlord_email }}{% endif %}"). An empty value
of the first kind leaves a gap in the customer's letter ("call us on ."), so
sending is refused while one is empty, naming what to fill in and where.
Placeholders inside an ``if`` or a loop, or given a ``default``, are the
template's own choice and never a blank.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.base import VariableNode

from putright.accounts.contact import DETAILS
from putright.cases.errors import InvalidInput
from putright.comms.letters import templating

#: The landlord's details a letter may print, each with the organisation's field it comes from.
LANDLORD_DETAILS = {
    "landlord_phone": "phone",
    "landlord_email": "email",
    "landlord_website": "website",
}
#: Where a caseworker finds the organisations' details: the workspace's letterheads page.
LETTERHEADS = "an administrator adds it on the Letterheads page (Letter templates, then Letterheads)"

#: Blanks a caseworker fills in on the case, in their words (others are named by what they hold).
CASE_DETAILS = {
    "handler_name": "who is dealing with the complaint: assign the complaint to someone",
    "handler_role": "the role of who is dealing with the complaint: assign the complaint to someone",
}


def printed_names(*sources: str) -> set[str]:
    """The placeholders the templates print whatever the values (outside any ``if`` or loop).

    A saved template holds only text, placeholders, ``if``, ``for`` and
    comments (``templating``), so the placeholders it always prints are the
    ones at its top level.
    """
    names: set[str] = set()
    for source in sources:
        for node in templating.ENGINE.from_string(source).nodelist:
            if not isinstance(node, VariableNode):
                continue
            expression = node.filter_expression
            lookups = getattr(expression.var, "lookups", None)
            defaulted = any(getattr(f, "__name__", "").startswith("default") for f, _ in expression.filters)
            if lookups and not defaulted:
                names.add(lookups[0])
    return names


def blanks(
    *, subject: str, body: str, context: Mapping[str, Any], placeholders: Mapping[str, str], landlord: str
) -> list[str]:
    """What to fill in before a letter from these words can go, one sentence each ([] when nothing)."""
    found = []
    for name in sorted(printed_names(subject, body)):
        value = context.get(name)
        if name in placeholders and (value is None or (isinstance(value, str) and not value.strip())):
            found.append(what_to_fill(name, placeholders[name], landlord))
    return found


def what_to_fill(name: str, holds: str, landlord: str) -> str:
    """ "Victory Housing Trust's phone number: an administrator adds it ..." for one blank."""
    if name in LANDLORD_DETAILS:
        return f"{landlord}'s {DETAILS[LANDLORD_DETAILS[name]]}: {LETTERHEADS}"
    if name in CASE_DETAILS:
        return CASE_DETAILS[name]
    return f"{holds[:1].lower()}{holds[1:]} ({{{{ {name} }}}}): record it on the complaint first"


def refuse_blanks(found: list[str]) -> None:
    """Refuse (InvalidInput on "blanks") a letter that would go out with any of ``found`` empty."""
    if found:
        raise InvalidInput(
            "blanks",
            "this letter would go out with a blank. Fill in " + "; and ".join(found),
        )
