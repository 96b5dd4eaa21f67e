"""Cases for the letter tests, walked through the real services, and a way to read a letter back.

The standard journey of tests/cases (flagship policy, England and Wales) gives
each letter its case; the dates it produces are worked out by hand in the tests.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from putright.cases.models import Complaint
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind
from tests.cases.conftest import Journey
from tests.cases.helpers import at


@pytest.fixture(autouse=True)
def _fast_passwords_for_letters(settings):
    """Staff are made with passwords; a slow hasher would spend seconds per test on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _letters_in_tmp(settings, tmp_path):
    """Each test's PDFs in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def landlord(org):
    """Victory Housing Trust with its letterhead; the phone number comes from its group."""
    org.address = "Tom Moore House\nCromer Road\nNorth Walsham\nNR28 0NB"
    org.email = "info@victoryhousing.co.uk"
    org.website = "www.victoryhousing.co.uk"
    org.save(update_fields=["address", "email", "website"])
    org.parent.phone = "0800 371 860"
    org.parent.save(update_fields=["phone"])
    return org


@pytest.fixture
def journey(log, officer, senior, landlord) -> Journey:
    return Journey(log, officer, senior)


def send(complaint: Complaint, kind: LetterKind, actor, when: str) -> Letter:
    """Draft the letter from the current template and send it unchanged, at a London time."""
    with at(when):
        draft = letters.draft(complaint, kind)
        return letters.send_letter(
            complaint.pk,
            kind,
            subject=draft.subject,
            body=draft.body,
            template_id=draft.template.pk,
            actor=actor,
        )


def pdf_text(letter: Letter) -> str:
    """The letter's PDF as text, white space made single (a line may wrap anywhere)."""
    letter.pdf.open("rb")
    try:
        reader = PdfReader(io.BytesIO(letter.pdf.read()))
    finally:
        letter.pdf.close()
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_bytes(letter: Letter) -> bytes:
    letter.pdf.open("rb")
    try:
        return letter.pdf.read()
    finally:
        letter.pdf.close()
