"""Whose paper a letter is on: the landlord's name, contact details and logo.

A subsidiary often leaves its own phone, website or logo blank and uses the
group's; each detail comes from ``accounts.contact`` (the landlord's, else its
parent's), and the name from ``settings.PUTRIGHT_LANDLORD_NAME`` as a last
resort, so a letter never goes out without saying who sent it. The logo is
read from storage and handed to the PDF inline, as a ``data:`` URL: drawing
a letter fetches nothing.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage

from putright.accounts.contact import contact_details, logo_type
from putright.accounts.models import Organisation


@dataclass(frozen=True)
class Letterhead:
    name: str
    address_lines: list[str]
    phone: str
    email: str
    website: str
    logo: str = ""  # a data: URL of the PNG or JPEG logo, "" for none


def letterhead_for(organisation: Organisation | None) -> Letterhead:
    """The letterhead of ``organisation`` (its parent's details where its own are blank)."""
    if organisation is None:
        return Letterhead(settings.PUTRIGHT_LANDLORD_NAME, [], "", "", "")
    details = contact_details(organisation)
    return Letterhead(
        name=details.name or settings.PUTRIGHT_LANDLORD_NAME,
        address_lines=details.address_lines,
        phone=details.phone,
        email=details.email,
        website=details.website,
        logo=logo_url(details.logo_name),
    )


def logo_url(name: str) -> str:
    """The stored logo as an inline ``data:`` URL ("" when there is none, or it is gone or not a picture)."""
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except OSError:
        return ""  # a logo file lost from storage must not stop every letter
    kind = logo_type(content)
    return f"data:{kind};base64,{base64.b64encode(content).decode()}" if kind else ""
