"""The personal-data check: what a public "You said, we did" entry may never say.

Every test reads the real database: the people are made through the services,
and the check finds them there (or, for the general shapes, finds them anyway).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import Complaint, Representative
from putright.cases.services.customers import create_customer
from putright.learning.privacy import Finding, Kind, findings, highlight
from tests.web.helpers import make_user


def found(text, organisation):
    return [(f.words, f.kind.value) for f in findings(text, organisation)]


@pytest.fixture
def people(org):
    """Customers of the landlord with names that catch checks out, and a representative."""
    for first, last in [
        ("Ann", "Lee"),
        ("Siobhan", "O'Brien"),
        ("Mary", "Smith-Jones"),
        ("Jean-Luc", "Martin"),
        ("Will", "Okafor"),
        ("Rose", "Green"),
    ]:
        create_customer(
            organisation=org,
            first_name=first,
            last_name=last,
            phone="01603 000000",
            address=f"{len(first)} Pightle Way\nAylsham",
        )
    customer = create_customer(
        organisation=org,
        first_name="Ada",
        last_name="Lovelace",
        address="Flat 2, Old Maltings\nNorwich",
        email="ada@example.org",
    )
    Representative.objects.create(customer=customer, name="Norman Lamb", kind="designated_person")
    return org


@pytest.mark.parametrize(
    "text",
    [
        "Our annual review of the fleet found the repairs were late.",  # Ann, Lee inside words
        "We improved the Leeds depot and our planning.",  # "Lee" starts "Leeds": another word
        "Residents said our staff were rude. We trained every team.",
        "Will we be told sooner? We will: we now text a day before.",  # a lone everyday "Will"
        "In May we planted roses on the green.",  # May, rose, green: everyday words
        "We fixed 300 boilers in 10 days and answered 95% on time.",
    ],
)
def test_ordinary_words_pass(people, text):
    assert findings(text, people) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ann told us the lift was broken.", [("Ann", "name")]),
        ("Mr Lee waited a month.", [("Lee", "name")]),
        ("Mrs O'Brien waited a month.", [("O'Brien", "name")]),
        ("Mrs O’Brien waited a month.", [("O’Brien", "name")]),  # a curly apostrophe
        ("O'BRIEN complained.", [("O'BRIEN", "name")]),
        ("We wrote to Mrs Smith-Jones.", [("Smith-Jones", "name")]),
        ("Jean-Luc asked for a call back.", [("Jean-Luc", "name")]),
        ("Smith-Jones's boiler was fixed.", [("Smith-Jones's", "name")]),  # possessive
        ("We called Will Okafor back.", [("Will Okafor", "name")]),  # everyday word beside a name
        ("Mrs Rose said so.", [("Rose", "name")]),  # everyday word after a title
        ("Rose Green said so.", [("Rose Green", "name")]),
        ("Cllr Norman Lamb wrote to us.", [("Norman Lamb", "name")]),  # a representative
        ("Ada Lovelace said so.", [("Ada Lovelace", "name")]),
        ("lovelace said so.", [("lovelace", "name")]),  # a surname in lower case is still one
        ("Olivia answered.", [("Olivia", "name")]),  # staff (tests' officer)
    ],
)
def test_names_of_the_organisations_people_are_found(people, officer, text, expected):
    assert found(text, people) == expected


def test_everyday_name_words_in_lower_case_pass(people):
    assert findings("We will rose to the occasion; the green is mown.", people) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to x.y+z@example.co.uk today.", [("x.y+z@example.co.uk", "email")]),
        ("Call 01603 123456.", [("01603 123456", "phone")]),
        ("Call 07700-900-123.", [("07700-900-123", "phone")]),
        ("Call +44 (0)1603 123456.", [("+44 (0)1603 123456", "phone")]),
        ("Call (01603) 123456.", [("(01603) 123456", "phone")]),
        ("Call +447700900123.", [("+447700900123", "phone")]),
        ("Homes in NR28 0NB had no heating.", [("NR28 0NB", "postcode")]),
        ("Homes in nr280nb had no heating.", [("nr280nb", "postcode")]),
        ("See PR-7K3M9Q.", [("PR-7K3M9Q", "reference")]),
        ("See pr 7k3m9q.", [("pr 7k3m9q", "reference")]),
        ("The leak at 14 Acacia Avenue was fixed.", [("14 Acacia Avenue", "address")]),
        ("The leak at Flat 3 was fixed.", [("Flat 3", "address")]),
    ],
)
def test_general_shapes_are_found_whoever_they_belong_to(org, text, expected):
    assert found(text, org) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We answered 1,234 complaints in 2026.",
        "The PROBLEMS and PRODUCTS were fixed.",  # PR and six letters, no digit: a word
        "Calls are answered within 10 working days.",
        "Version 2.0 of the procedure.",
    ],
)
def test_numbers_and_words_that_look_like_shapes_pass(org, text):
    assert findings(text, org) == []


def test_address_lines_and_bare_references_from_the_database(people, log):
    complaint = log("2026-03-02 10:00")
    # A bare code is looked up only when it has a digit (six letters alone may be a word), so the
    # case's random reference is given one that has.
    Complaint.objects.filter(pk=complaint.pk).update(reference="PR-7K3M9Q")
    code = "7K3M9Q"
    text = f"The boiler at 4 Pightle Way (case {code.lower()}) was fixed."
    assert found(text, people) == [("4 Pightle Way", "address"), (code.lower(), "reference")]
    # the same street without a house number is a place, not a home
    assert findings("We resurfaced Pightle Way.", people) == []


def test_the_group_above_and_below_counts_and_other_landlords_do_not(org, people):
    group = org.parent
    subsidiary = Organisation.objects.create(
        name="Victory Homes", short_name="VH", kind=OrganisationKind.SERVICE, parent=org
    )
    create_customer(organisation=subsidiary, first_name="Zebedee", last_name="Quill", phone="01603 1")
    make_user("xavier", Role.SENIOR_MANAGER, group)
    stranger = Organisation.objects.create(name="Elsewhere", short_name="EW", kind=OrganisationKind.LANDLORD)
    create_customer(organisation=stranger, first_name="Ulrich", last_name="Vance", phone="01603 2")
    assert found("Zebedee and Xavier", org) == [("Zebedee", "name"), ("Xavier", "name")]
    assert found("Zebedee and Xavier", subsidiary) == [("Zebedee", "name"), ("Xavier", "name")]
    assert findings("Ulrich Vance", org) == []
    assert found("Ulrich Vance", stranger) == [("Ulrich Vance", "name")]


def test_highlight_marks_each_finding_and_escapes_the_rest(people):
    text = "<b>Ann</b> & Mr Lee"
    html = highlight(text, findings(text, people))
    assert html == (
        '&lt;b&gt;<mark class="pr-finding">Ann</mark><span class="govuk-visually-hidden"> '
        "(a person&#x27;s name)</span>&lt;/b&gt; &amp; Mr "
        '<mark class="pr-finding">Lee</mark>'
        '<span class="govuk-visually-hidden"> (a person&#x27;s name)</span>'
    )


def test_overlapping_findings_are_marked_once():
    text = "Smith at 12 Acacia Avenue"
    overlapping = [Finding(9, 25, "12 Acacia Avenue", Kind.ADDRESS), Finding(9, 11, "12", Kind.ADDRESS)]
    assert highlight(text, overlapping).count("<mark") == 1


def test_a_fixed_number_of_queries_whatever_the_number_of_customers(org):
    text = "Ann Lee at 4 Pightle Way, reference 7K3M9Q, said the repairs were late " * 5

    def queries():
        with CaptureQueriesContext(connection) as captured:
            findings(text, org)
        return len(captured)

    few = queries()
    for n in range(60):
        create_customer(organisation=org, first_name=f"Ann{n}", last_name="Lee", address=f"{n} Pightle Way")
    assert queries() == few == 2


def test_each_lookup_is_served_by_its_index_on_postgresql(org):
    """The lookups' plans name the functional indexes of migration 0003, on a landlord with thousands
    of customers (and, so that a small staff table is not simply read whole, sequential scans off)."""
    if connection.vendor != "postgresql":
        pytest.skip("the indexes' use is checked on PostgreSQL")
    import datetime as dt

    from putright.accounts.models import User
    from putright.bench.seeding import seed
    from putright.cases.models import Customer
    from putright.learning.privacy import candidates
    from putright.learning.privacy_selectors import group_of, lookups

    customers = Customer.objects.bulk_create(
        Customer(organisation=org, first_name=f"F{n}", last_name=f"L{n}", address=f"{n} Some Road")
        for n in range(4000)
    )
    Representative.objects.bulk_create(
        Representative(customer=c, name=f"R {c.pk}", kind="other", address=f"{c.pk} Other Road")
        for c in customers[:2000]
    )
    staff = User.objects.bulk_create(
        User(username=f"u{n}", first_name=f"S{n}", last_name="T") for n in range(500)
    )
    User.organisations.through.objects.bulk_create(
        User.organisations.through(user_id=u.pk, organisation_id=org.pk) for u in staff
    )
    # Complaints too: in an empty table every index of it costs the same, and the planner may take
    # one that merely holds the reference among its columns (issue 16's complaint_id_tsm).
    seed(400, seed=7, now=dt.datetime(2026, 6, 15, 11, 0, tzinfo=dt.UTC))
    wanted = candidates("Mrs O'Brien of 12 Acacia Avenue, reference 7K3M9Q, spoke to Olivia")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [part.explain() for part in lookups(group_of(org), wanted)]
    expected = [
        "privacy_customer_first",
        "privacy_customer_last",
        "privacy_representative_name",
        "privacy_user_first",
        "privacy_user_last",
        "privacy_customer_address",
        "privacy_representative_addr",
        "cases_complaint_reference",
    ]
    for index, plan in zip(expected, plans, strict=True):
        assert index in plan, plan
