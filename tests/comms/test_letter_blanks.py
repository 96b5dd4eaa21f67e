"""A letter never goes out with a blank, its letterhead prints the group's details where the landlord
has none, and the logo an administrator uploaded is drawn on it (read back from the PDF)."""

# ruff: noqa: F811

from __future__ import annotations

import io
import struct
import zlib

import pytest
from pypdf import PdfReader

from putright.accounts.contact import update_contact_details
from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind
from putright.comms.letters.services import letters, templates
from putright.comms.models import Letter, LetterKind, OutboundEmail
from tests.cases.helpers import at
from tests.comms.letter_cases import (  # noqa: F401 (fixtures)
    _fast_passwords_for_letters,
    _letters_in_tmp,
    journey,
    landlord,
    pdf_bytes,
    pdf_text,
    send,
)

pytestmark = pytest.mark.django_db

K = LetterKind
WHEN = "Mon 2026-03-02 11:30"
PHONE_BLANK = (
    "Victory Housing Trust's phone number: an administrator adds it on the Letterheads page "
    "(Letter templates, then Letterheads)"
)


def png(width: int = 4, height: int = 2) -> bytes:
    """A real (tiny, red) PNG picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _no_phone(landlord) -> None:
    landlord.parent.phone = ""
    landlord.parent.save(update_fields=["phone"])


def test_a_letter_printing_an_empty_phone_number_is_refused_naming_it_and_nothing_is_sent(
    journey, officer, landlord
):
    complaint = journey.until("accepted")
    _no_phone(landlord)
    with at(WHEN):
        draft = letters.draft(complaint, K.ACKNOWLEDGEMENT)
        assert draft.blanks == [PHONE_BLANK]
        with pytest.raises(InvalidInput) as refused:
            letters.send_letter(
                complaint.pk,
                K.ACKNOWLEDGEMENT,
                subject=draft.subject,
                body=draft.body,
                template_id=draft.template.pk,
                actor=officer,
            )
    assert refused.value.field == "blanks"
    assert refused.value.detail == f"this letter would go out with a blank. Fill in {PHONE_BLANK}"
    assert not Letter.objects.exists()
    assert not OutboundEmail.objects.exists()
    assert not complaint.timeline.filter(kind=EventKind.LETTER_SENT).exists()


def test_a_placeholder_printed_only_when_it_has_a_value_is_no_blank(journey, officer, landlord):
    complaint = journey.until("accepted")
    _no_phone(landlord)
    current = templates.current(K.ACKNOWLEDGEMENT)
    templates.save_version(
        K.ACKNOWLEDGEMENT,
        subject=current.subject,
        body="Dear {{ recipient_name }},\n\nWe have your complaint {{ reference }}."
        "{% if landlord_phone %} Call us on {{ landlord_phone }}.{% endif %}\n",
        note="No phone number unless we have one",
        based_on=current.version,
        actor=officer,
    )
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, WHEN)
    assert "We have your complaint" in pdf_text(letter) and "Call us on" not in pdf_text(letter)


def test_the_letterhead_prints_the_groups_details_where_the_landlord_has_none(journey, officer, landlord):
    complaint = journey.until("accepted")
    landlord.address = landlord.email = landlord.website = ""
    landlord.save(update_fields=["address", "email", "website"])
    group = landlord.parent
    group.address, group.email, group.website = (
        "31 King Street\nNorwich NR1 1PD",
        "fg@example.org",
        "fg.example",
    )
    group.save(update_fields=["address", "email", "website"])
    text = pdf_text(send(complaint, K.ACKNOWLEDGEMENT, officer, WHEN))
    assert "Victory Housing Trust 31 King Street, Norwich NR1 1PD" in text
    assert "Phone 0800 371 860 · Email fg@example.org · fg.example" in text


def test_the_uploaded_logo_is_drawn_on_the_letter_and_the_groups_serves_a_subsidiary(
    journey, officer, landlord
):
    complaint = journey.until("accepted")
    without = PdfReader(io.BytesIO(pdf_bytes(send(complaint, K.ACKNOWLEDGEMENT, officer, WHEN))))
    assert not without.pages[0].images
    group = landlord.parent
    update_contact_details(
        group, address="", phone="0800 371 860", email="", website="", logo=("fg.png", png())
    )
    letter = send(complaint, K.ACKNOWLEDGEMENT, officer, "Mon 2026-03-02 11:40")
    (image,) = PdfReader(io.BytesIO(pdf_bytes(letter))).pages[0].images
    assert image.image.size == (4, 2)
    assert "Victory Housing Trust" in pdf_text(letter)
