"""Customers, what they need from us, and the people who act for them with their consent."""

from __future__ import annotations

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.models import Customer
from putright.cases.services import customers
from tests.cases.helpers import at, on


def test_a_customer_is_stored_tidied_with_their_reasonable_adjustments(org):
    customer = customers.create_customer(
        organisation=org,
        title="Mrs",
        first_name="  Grace ",
        last_name=" Hopper",
        email=" Grace.Hopper@Example.ORG ",
        postcode="nr280nb",
        preferred_contact="email",
        preferred_contact_time=" Mornings before 11 ",
        adjustments=[("large_print", ""), ("other_language", " Polish ")],
    )

    assert customer.full_name == "Mrs Grace Hopper"
    assert customer.email == "grace.hopper@example.org"
    assert customer.postcode == "NR28 0NB"
    assert customer.preferred_contact_time == "Mornings before 11"
    assert [str(a) for a in customer.adjustments.all()] == ["Large print", "Another language: Polish"]


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("nr28 0nb", "NR28 0NB"), (" SW1A1AA ", "SW1A 1AA"), ("m1 1ae", "M1 1AE"), ("", "")],
)
def test_a_postcode_is_kept_in_its_usual_form(typed, kept):
    assert customers.normalise_postcode(typed) == kept


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"first_name": " "}, "name: give the customer's first name and last name"),
        ({"email": "", "phone": "", "address": ""}, "contact: give at least one way to reach the customer"),
        (
            {"email": "", "preferred_contact": "email"},
            "email: the customer prefers email: give their address",
        ),
    ],
    ids=["no-name", "no-contact", "prefers-email-without-one"],
)
def test_a_customer_we_could_not_reach_or_name_is_refused(org, fields, message):
    base = {"organisation": org, "first_name": "Grace", "last_name": "Hopper", "phone": "01603 111111"}

    with pytest.raises(InvalidInput) as refused:
        customers.create_customer(**{**base, **fields})

    assert refused.value.message == message
    assert not Customer.objects.exists()


def test_a_representative_acts_only_while_the_customers_consent_stands(customer):
    with at("Mon 2026-03-02 10:00"):
        mp = customers.add_representative(
            customer=customer,
            name=" Jane Smith MP ",
            kind="designated_person",
            role="MP for North Norfolk",
            email="Jane.Smith@Parliament.UK",
            consent_given_at=on("Fri 2026-02-27 15:00"),
            consent_how="Signed consent form",
        )
    assert (mp.name, mp.email, mp.has_consent) == ("Jane Smith MP", "jane.smith@parliament.uk", True)

    with at("Mon 2026-03-09 10:00"):
        customers.withdraw_consent(mp)
    with at("Tue 2026-03-10 10:00"):
        customers.withdraw_consent(mp)  # a second withdrawal keeps the first date

    mp.refresh_from_db()
    assert mp.has_consent is False
    assert mp.consent_withdrawn_at == on("Mon 2026-03-09 10:00")


def test_a_representative_without_recorded_consent_does_not_act(customer):
    friend = customers.add_representative(customer=customer, name="Tom Friend", kind="family_or_friend")

    assert friend.has_consent is False


def test_consent_must_say_how_it_was_given(customer):
    with pytest.raises(InvalidInput) as refused:
        customers.add_representative(
            customer=customer,
            name="Jane Smith MP",
            kind="designated_person",
            consent_given_at=on("Fri 2026-02-27 15:00"),
        )

    assert refused.value.message == "consent_how: record how the customer gave consent"
    assert not customer.representatives.exists()
