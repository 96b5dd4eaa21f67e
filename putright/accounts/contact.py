"""An organisation's contact details as a customer reads them: its own, else its group's.

A subsidiary often leaves its phone or website blank and uses the group's, so
each detail (address, phone, email, website, logo) is taken from the
organisation and, where it has none, from its parent. Letters, emails and the
public pages all ask here, so they never disagree about how to reach the
landlord. The logo an administrator uploads is checked here by its bytes
(PNG or JPEG only, small) before anything is stored: a letter draws it, and
a picture it cannot draw, or one large enough to slow every letter, is
refused with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.db import transaction

from putright.accounts.models import Organisation

#: The details an organisation may leave to its group, with how a person is told to fill them in.
DETAILS = {
    "address": "postal address",
    "phone": "phone number",
    "email": "email address",
    "website": "website",
}

#: The largest logo accepted, in bytes: a letterhead picture, not a photograph.
MAX_LOGO_BYTES = 500 * 1024
#: The pictures a letter can draw, by the bytes they start with.
LOGO_KINDS = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


class LogoRefused(ValueError):
    """A logo that will not do, with why, in words an administrator acts on."""


@dataclass(frozen=True)
class ContactDetails:
    """How to reach an organisation, with which details came from its group."""

    name: str
    address: str
    phone: str
    email: str
    website: str
    logo_name: str  # the stored file's name ("" when neither it nor its group has a logo)
    inherited: frozenset[str]  # the details (keys of DETAILS, or "logo") taken from the group

    @property
    def address_lines(self) -> list[str]:
        return [line.strip(" ,") for line in self.address.splitlines() if line.strip(" ,")]


def contact_details(organisation: Organisation) -> ContactDetails:
    """``organisation``'s details, each from its parent where its own is blank (load ``parent`` with it)."""
    parent = organisation.parent
    inherited: set[str] = set()

    def detail(name: str) -> str:
        own = str(getattr(organisation, name) or "").strip()
        if own or parent is None:
            return own
        theirs = str(getattr(parent, name) or "").strip()
        if theirs:
            inherited.add(name)
        return theirs

    values = {name: detail(name) for name in (*DETAILS, "logo")}
    return ContactDetails(
        name=organisation.name,
        address=values["address"],
        phone=values["phone"],
        email=values["email"],
        website=values["website"],
        logo_name=values["logo"],
        inherited=frozenset(inherited),
    )


def check_logo(name: str, content: bytes) -> str:
    """The content type of an acceptable logo; LogoRefused (with why) for any other file."""
    shown = PurePath(name.replace("\\", "/")).name.strip() or "The file"
    if not content:
        raise LogoRefused(f"{shown} is empty")
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRefused(
            f"{shown} is {len(content) // 1024:,} KB: a logo can be at most {MAX_LOGO_BYTES // 1024} KB"
        )
    for signature, content_type in LOGO_KINDS.items():
        if content.startswith(signature):
            return content_type
    raise LogoRefused(f"{shown} is not a PNG or JPEG picture: choose the logo as a PNG or JPEG file")


def logo_type(content: bytes) -> str:
    """The content type of stored logo bytes ("" if they are not a picture a letter can draw)."""
    return next((kind for signature, kind in LOGO_KINDS.items() if content.startswith(signature)), "")


def update_contact_details(
    organisation: Organisation,
    *,
    address: str,
    phone: str,
    email: str,
    website: str,
    logo: tuple[str, bytes] | None = None,
    remove_logo: bool = False,
) -> Organisation:
    """Save ``organisation``'s own details (blank: use the group's) and, if given, its new logo.

    The logo is checked before anything is saved (LogoRefused), and a replaced
    or removed logo's file is deleted once the change has committed.
    """
    if logo is not None:
        check_logo(*logo)
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        old_logo = locked.logo.name or ""
        locked.address = "\n".join(line.strip() for line in address.strip().splitlines())  # \r\n from a form
        locked.phone = phone.strip()
        locked.email = email.strip()
        locked.website = website.strip()
        fields = ["address", "phone", "email", "website"]
        if logo is not None:
            name = PurePath(logo[0].replace("\\", "/")).name.strip()[:100] or "logo"
            locked.logo.save(f"{locked.short_name.lower()}-{name}", ContentFile(logo[1]), save=False)
            fields.append("logo")
        elif remove_logo:
            locked.logo = ""  # a FileField is cleared with ""
            fields.append("logo")
        try:
            locked.save(update_fields=fields)
        except BaseException:
            if logo is not None:
                locked.logo.delete(save=False)
            raise
        if old_logo and "logo" in fields:
            storage = locked.logo.storage
            transaction.on_commit(lambda: storage.delete(old_logo))
    return locked
