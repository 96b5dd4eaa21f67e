"""Every demo organisation can be reached: its own address, phone, email and website, or its group's,
so no demo letter is refused for a blank (comms.letters.blanks)."""

from __future__ import annotations

import pytest

from putright.accounts.contact import DETAILS, contact_details
from putright.accounts.models import Organisation
from putright.cases.demo.organisations import ensure_organisations

pytestmark = pytest.mark.django_db


def test_every_demo_organisation_has_every_contact_detail_its_own_or_its_groups():
    ensure_organisations()
    organisations = list(Organisation.objects.select_related("parent"))
    assert len(organisations) == 7
    for organisation in organisations:
        details = contact_details(organisation)
        missing = [name for name in DETAILS if not getattr(details, name)]
        assert not missing, f"{organisation} has no {missing}"
    gasway = contact_details(Organisation.objects.select_related("parent").get(short_name="GAS"))
    assert (gasway.phone, gasway.inherited) == ("0808 157 0001", {"address", "phone", "email", "website"})
    victory = contact_details(Organisation.objects.select_related("parent").get(short_name="VHT"))
    assert (victory.phone, victory.inherited) == ("0800 371 860", frozenset())
