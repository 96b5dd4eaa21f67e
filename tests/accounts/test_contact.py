"""An organisation's contact details: its own, else its group's; and the logo an administrator uploads,
checked by its bytes before anything is kept."""

from __future__ import annotations

import pytest

from putright.accounts.contact import (
    MAX_LOGO_BYTES,
    LogoRefused,
    check_logo,
    contact_details,
    update_contact_details,
)
from putright.accounts.models import Organisation

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + bytes(40)
JPEG = b"\xff\xd8\xff\xe0" + bytes(40)
GIF = b"GIF89a" + bytes(40)
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="http://tracker.example/x.png"/></svg>'


@pytest.fixture
def group(org) -> Organisation:
    group = org.parent
    group.address = "31 King Street\nNorwich NR1 1PD"
    group.phone = "0808 157 0001"
    group.email = "complaints@flagship-group.example"
    group.website = "www.flagship-group.example"
    group.save()
    return group


def test_a_blank_detail_is_the_groups_and_an_own_detail_wins(org, group):
    org.phone = "0800 371 860"
    org.save()
    details = contact_details(Organisation.objects.select_related("parent").get(pk=org.pk))
    assert details.name == "Victory Housing Trust"
    assert details.phone == "0800 371 860"
    assert details.email == "complaints@flagship-group.example"
    assert details.address_lines == ["31 King Street", "Norwich NR1 1PD"]
    assert details.website == "www.flagship-group.example"
    assert details.inherited == {"address", "email", "website"}


def test_an_organisation_without_a_group_keeps_its_blanks(group):
    group.phone = ""
    group.save()
    details = contact_details(group)
    assert (details.phone, details.inherited) == ("", frozenset())


def test_a_group_logo_is_printed_by_a_subsidiary_without_its_own(org, group):
    update_contact_details(group, address=group.address, phone=group.phone, email=group.email,
                           website=group.website, logo=("flagship.png", PNG))  # fmt: skip
    details = contact_details(Organisation.objects.select_related("parent").get(pk=org.pk))
    assert details.logo_name.startswith("logos/fg-flagship")
    assert "logo" in details.inherited


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("logo.gif", GIF, "logo.gif is not a PNG or JPEG picture: choose the logo as a PNG or JPEG file"),
        ("logo.svg", SVG, "logo.svg is not a PNG or JPEG picture: choose the logo as a PNG or JPEG file"),
        ("logo.png", b"", "logo.png is empty"),
        ("big.png", PNG + bytes(MAX_LOGO_BYTES), "big.png is 500 KB: a logo can be at most 500 KB"),
    ],
)
def test_a_logo_that_will_not_do_is_refused_with_why_and_nothing_changes(org, name, content, why):
    with pytest.raises(LogoRefused) as refused:
        update_contact_details(
            org, address="New address", phone="1", email="", website="", logo=(name, content)
        )
    assert str(refused.value) == why
    org.refresh_from_db()
    assert (org.address, org.phone, org.logo.name) == ("", "", "")


def test_png_and_jpeg_logos_are_accepted_and_a_replaced_one_is_deleted(
    org, django_capture_on_commit_callbacks
):
    assert check_logo("a.png", PNG) == "image/png"
    assert check_logo("a.jpg", JPEG) == "image/jpeg"
    with django_capture_on_commit_callbacks(execute=True):
        first = update_contact_details(org, address="", phone="", email="", website="", logo=("a.png", PNG))
    old = first.logo.name
    storage = first.logo.storage
    assert storage.exists(old)
    with django_capture_on_commit_callbacks(execute=True):
        second = update_contact_details(org, address="", phone="", email="", website="", logo=("b.jpg", JPEG))
    assert not storage.exists(old)
    assert second.logo.read() == JPEG
    with django_capture_on_commit_callbacks(execute=True):
        third = update_contact_details(org, address="", phone="", email="", website="", remove_logo=True)
    assert third.logo.name == "" and not storage.exists(second.logo.name)
