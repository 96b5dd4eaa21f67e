"""Letterheads in the workspace: an administrator sets an organisation's contact details and logo; a
blank detail shows the group's that letters print instead; a logo that will not do is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from putright.accounts.contact import MAX_LOGO_BYTES
from putright.accounts.models import Role
from tests.cases.helpers import at
from tests.conftest import sign_in_with_code
from tests.web.helpers import make_user, text

pytestmark = pytest.mark.django_db

WHEN = "Tue 2026-03-17 09:00"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
LIST = reverse("web:organisations")
EDIT = reverse("web:organisation-edit", kwargs={"short_name": "VHT"})
DETAILS = {"address": "Tom Moore House\nNorth Walsham NR28 0NB", "phone": "", "email": "", "website": ""}


@pytest.fixture
def signed_in(client, org):
    org.parent.phone = "0808 157 0001"
    org.parent.save()
    with at(WHEN):
        sign_in_with_code(client, make_user("adele", Role.ADMINISTRATOR, org))
    return client


def post(client, data, **files):
    with at(WHEN):
        return client.post(EDIT, {**data, **files}, follow=True)


def test_the_list_says_what_each_organisation_still_lacks(signed_in):
    with at(WHEN):
        page = text(signed_in.get(LIST), main_only=True)
    assert "Flagship Group Phone 0808 157 0001 postal address, website" in page
    assert "Victory Housing Trust Phone 0808 157 0001 (the group's) postal address, website" in page


def test_a_blank_detail_says_whose_is_printed_and_the_saved_details_are_kept(signed_in, org):
    with at(WHEN):
        page = text(signed_in.get(EDIT), main_only=True)
    assert "Leave it blank to print Flagship Group's: 0808 157 0001" in page
    assert "Letters cannot be sent while this is blank and the group has none either" in page
    done = post(signed_in, DETAILS, logo=SimpleUploadedFile("victory.png", PNG, content_type="image/png"))
    assert "Victory Housing Trust's letterhead is saved" in text(done)
    assert "This organisation has its own logo." in text(done)
    org.refresh_from_db()
    assert org.address == "Tom Moore House\nNorth Walsham NR28 0NB"
    assert org.logo.read() == PNG


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("logo.gif", b"GIF89a" + bytes(40), "logo.gif is not a PNG or JPEG picture"),
        ("big.png", PNG + bytes(MAX_LOGO_BYTES), "big.png is 500 KB: a logo can be at most 500 KB"),
    ],
)
def test_a_logo_that_will_not_do_is_refused_beside_the_field_and_nothing_is_saved(
    signed_in, org, name, content, why
):
    refused = post(signed_in, DETAILS, logo=SimpleUploadedFile(name, content))
    assert refused.status_code == 400
    assert why in text(refused)
    assert "There is a problem" in text(refused)
    org.refresh_from_db()
    assert (org.address, org.logo.name) == ("", "")


def test_only_an_administrator_may_see_or_change_letterheads(client, org, officer):
    with at(WHEN):
        sign_in_with_code(client, officer)
        assert client.get(LIST).status_code == 403
        assert client.get(EDIT).status_code == 403
        assert client.post(EDIT, DETAILS).status_code == 403
    org.refresh_from_db()
    assert org.address == ""


def test_an_organisation_that_does_not_exist_is_not_found(signed_in):
    with at(WHEN):
        missing = signed_in.get(reverse("web:organisation-edit", kwargs={"short_name": "NOPE"}))
    assert missing.status_code == 404
