"""Issue 15, inputsec: one email address check, on every way an address comes in.

A newline with a ``Bcc:`` header, a comma list, a quoted name with a comma in it, or
``not-an-email`` was accepted and that person's emails then failed quietly. Each way in
(the API, the staff and public forms, the import, the landlord file, OpenID Connect) now
refuses it with the field named, and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from putright.accounts.email_addresses import EmailAddressField, clean_email_address, email_problem
from putright.accounts.oidc.services import email_of
from putright.cases.errors import InvalidInput
from putright.cases.models import Customer, Representative
from putright.cases.services.customers import add_representative, create_customer
from putright.web.forms.intake import LogComplaintForm
from tests.api.helpers import is_problem

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

BAD = [
    "ada@example.org\nBcc: everyone@example.org",
    "ada@example.org\r\nBcc: everyone@example.org",
    "ada@example.org, bob@example.org",
    "ada@example.org;bob@example.org",
    '"ada,bob"@example.org',
    "Ada <ada@example.org>",
    "not-an-email",
    "ada@@example.org",
    "ada@example",
]


@pytest.mark.parametrize("address", BAD)
def test_the_one_check_refuses_what_is_not_one_address(address):
    assert email_problem(address) is not None
    with pytest.raises(ValueError, match="one email address"):
        clean_email_address(address)
    with pytest.raises(ValidationError):
        EmailAddressField(required=False).clean(address)


def test_the_one_check_keeps_a_plain_address_and_an_empty_one():
    assert clean_email_address("  Ada.Lovelace+home@Example.ORG ") == "ada.lovelace+home@example.org"
    assert clean_email_address("") == ""
    assert email_problem("o'brien@example.org") is not None  # a quote is refused: it quotes in a header


def test_the_api_refuses_a_customer_with_a_bcc_header_in_the_email_naming_the_field(api, frontline):
    before = Customer.objects.count()
    payload = {
        "organisation": "VHT",
        "first_name": "Eve",
        "last_name": "Example",
        "email": "eve@example.org\nBcc: everyone@example.org",
    }
    reply = api.as_(frontline).post("customers", payload)
    body = is_problem(reply, 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["email"]
    assert Customer.objects.count() == before


@pytest.mark.parametrize("address", ["a@example.org, b@example.org", "not-an-email"])
def test_the_api_refuses_a_representative_whose_email_is_not_one_address(api, frontline, customer, address):
    payload = {"name": "Cllr Jones", "kind": "designated_person", "email": address}
    reply = api.as_(frontline).post(f"customers/{customer.pk}/representatives", payload)
    body = is_problem(reply, 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["email"]
    assert not Representative.objects.filter(customer=customer).exists()


def test_the_services_beneath_every_way_in_refuse_it_too(org, customer):
    with pytest.raises(InvalidInput) as refused:
        create_customer(organisation=org, first_name="Eve", last_name="Example", email="a@x.org,b@y.org")
    assert refused.value.field == "email"
    with pytest.raises(InvalidInput):
        add_representative(
            customer=customer, name="Cllr Jones", kind="designated_person", email="not-an-email"
        )
    assert not Customer.objects.filter(first_name="Eve").exists()


def test_the_staff_form_shows_the_error_beside_the_email_field(org):
    form = LogComplaintForm(
        data={"email": '"ada,bob"@example.org', "rep_email": "x@example.org\nBcc: y@z.org"},
        organisations=[org],
        reasons=(),
    )
    form.is_valid()
    assert "email" in form.errors and "rep_email" in form.errors


def test_the_public_forms_refuse_it():
    from putright.portal.forms.case import NewLinkForm

    form = NewLinkForm(data={"reference": "PR-7K3M9Q", "email": "ada@example.org, bob@example.org"})
    assert not form.is_valid() and "email" in form.errors


def test_openid_connect_claims_with_more_than_one_address_are_no_address():
    assert email_of({"email": "ada@example.org"}) == "ada@example.org"
    assert email_of({"email": "ada@example.org, boss@example.org"}) == ""
    assert email_of({"email": "x", "preferred_username": "ada@example.org\nBcc: b@c.org"}) == ""


def test_the_import_rejects_a_row_whose_email_is_not_one_address(tmp_path):
    from tests.operations.test_import import MAPPING

    example = ROOT / "deploy" / "import" / "example-complaints.csv"
    with example.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    first = dict(rows[0])
    first["Email"] = "grace@example.com, everyone@example.com"
    path = tmp_path / "one.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerow(first)
    _landlords()
    out = io.StringIO()
    try:
        call_command("import", "complaints", str(path), "--mapping", str(MAPPING), "--dry-run", stdout=out)
    except CommandError as error:
        out.write(str(error))
    assert "'Email': enter one email address" in out.getvalue()
    assert Customer.objects.count() == 0


def _landlords() -> None:
    from putright.accounts.models import Organisation, OrganisationKind

    group = Organisation.objects.create(
        name="Eastward Housing Group", short_name="EG", kind=OrganisationKind.GROUP, homes=0
    )
    for name, short in (("Eastward Homes", "EH"), ("North Coast Housing", "NCH"), ("Broadland Homes", "BH")):
        Organisation.objects.create(
            name=name, short_name=short, kind=OrganisationKind.LANDLORD, parent=group, homes=1000
        )


def test_the_landlord_file_refuses_a_staff_email_list(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANDLORD_POLICY_FILE = tmp_path / "data" / "policy.toml"
    example = ROOT / "deploy" / "landlord.example.toml"
    folder = tmp_path / "landlord"
    shutil.copytree(example.parent, folder)
    path = folder / example.name
    path.write_text(
        path.read_text().replace(
            'email = "adaeze.okafor@eastward.example"',
            'email = "adaeze.okafor@eastward.example, boss@x.example"',
        )
    )
    with pytest.raises(CommandError) as refused:
        call_command("setup", str(path), stdout=io.StringIO())
    assert "is not an email address" in str(refused.value)
