"""Whose paper a letter is on: the landlord's name and contact details.

A subsidiary often leaves its own phone or website blank and uses the group's;
the letterhead takes each detail from the landlord, then from its parent, and
the name from ``settings.PUTRIGHT_LANDLORD_NAME`` as a last resort, so a letter
never goes out without saying who sent it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from putright.accounts.models import Organisation


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: list[str]
    phone: str
    email: str
    website: str


def letterhead_for(organisation: Organisation | None) -> Letterhead:
    """The letterhead of ``organisation`` (its parent's details where its own are blank)."""
    parent = organisation.parent if organisation is not None else None

    def detail(name: str) -> str:
        for source in (organisation, parent):
            value = str(getattr(source, name, "") or "").strip() if source is not None else ""
            if value:
                return value
        return ""

    address = detail("address")
    return Letterhead(
        name=detail("name") or settings.PUTRIGHT_LANDLORD_NAME,
        address_lines=[line.strip(" ,") for line in address.splitlines() if line.strip(" ,")],
        phone=detail("phone"),
        email=detail("email"),
        website=detail("website"),
    )
