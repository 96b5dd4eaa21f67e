"""Logging a complaint from the workspace: by any channel, for a new or an existing customer,
once only, and nothing stored when the form is refused."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import (
    Channel,
    Complaint,
    Customer,
    EventKind,
    ReasonableAdjustment,
    Representative,
)
from putright.cases.services.customers import add_representative, create_customer
from tests.cases.helpers import at, end_of, on
from tests.conftest import _user
from tests.design.helpers import date_boxes

LOG = reverse("web:log-complaint")
SEARCH = reverse("web:log-complaint-customers")


@pytest.fixture
def other_org(db):
    return Organisation.objects.create(
        name="Another Landlord", short_name="AL", kind=OrganisationKind.LANDLORD
    )


@pytest.fixture
def stranger(other_org):
    """A customer of an organisation the fixture staff do not work for."""
    return create_customer(
        organisation=other_org, first_name="Ada", last_name="Elsewhere", email="ada@elsewhere.example"
    )


def token(client) -> str:
    """Open the form, as a caseworker would, and read its one-time token."""
    response = client.get(LOG)
    assert response.status_code == 200
    return response.context["form"]["token"].value()


def new_customer(**changes: object) -> dict[str, object]:
    fields = {
        "title": "Mrs",
        "first_name": "Grace",
        "last_name": "Hopper",
        "address": "1 Cromer Road\nNorth Walsham",
        "postcode": "nr28 0nb",
        "email": "grace@example.org",
        "phone": "01692 000000",
        "tenure": "tenant",
        "tenancy_reference": "T-1001",
        "preferred_contact": "phone",
        "preferred_contact_time": "Weekday mornings",
    }
    fields.update(changes)
    return fields


def complaint_fields(org, **changes: object) -> dict[str, object]:
    fields = {
        "representative": "none",
        "organisation": org.pk,
        "channel": "phone",
        "received_at": "2026-11-20T10:00",
        "matter_date": "2026-11-02",
        "became_aware_on": "",
        "category": "service_failure",
        "summary": "Leaking roof not repaired",
        "description": "The roof has leaked since October and the repair was cancelled twice.",
        "points": "The repair was not done\n\n  Nobody called back  \n",
        "desired_outcome": "Fix the roof and pay for the damaged carpet.",
    }
    fields.update(changes)
    for name in ("matter_date", "became_aware_on"):  # typed as day, month and year
        fields.update(date_boxes(name, str(fields.pop(name))))
    return fields


def post(client, data: dict[str, object], *, form_token: str | None = None):
    return client.post(LOG, {"token": form_token or token(client), **data})


def counts() -> tuple[int, int, int, int]:
    return (
        Complaint.objects.count(),
        Customer.objects.count(),
        Representative.objects.count(),
        ReasonableAdjustment.objects.count(),
    )


def errors(response) -> list[str]:
    """The error summary's messages, as the caseworker reads them."""
    page = response.content.decode()
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


# Who may open it


@pytest.mark.parametrize("url", [LOG, SEARCH])
def test_signing_in_comes_first(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.MANAGER, Role.SAFEGUARDING_LEAD])
@pytest.mark.parametrize("url", [LOG, SEARCH])
def test_roles_that_do_not_log_complaints_are_forbidden(client, org, role, url):
    client.force_login(_user("someone", role, org=org))
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_the_form_preselects_the_only_organisation_and_offers_the_policy_categories(client, frontline, org):
    client.force_login(frontline)
    response = client.get(LOG)
    form = response.context["form"]
    assert form["organisation"].value() == org.pk
    page = response.content.decode()
    assert "We have failed to provide a service, or there has been a delay in providing a service" in page
    assert "Through a representative" in page
    assert "British Sign Language interpreter" in page


# Logging


@pytest.mark.parametrize("channel", Channel.values)
def test_each_channel_logs_a_complaint_for_a_new_customer(client, frontline, org, channel):
    client.force_login(frontline)
    response = post(client, {**new_customer(), **complaint_fields(org, channel=channel)})

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("web:case", args=[complaint.reference])
    assert complaint.channel == channel
    assert complaint.state == "received"
    assert complaint.timeline.get().kind == EventKind.COMPLAINT_LOGGED
    page = client.get(response.url)
    assert f"Complaint {complaint.reference} logged" in page.content.decode()


def test_a_new_customer_is_stored_with_contact_preferences_and_adjustments(client, frontline, org):
    client.force_login(frontline)
    data = {
        **new_customer(preferred_contact="letter"),
        "adjustments": ["large_print", "other_language"],
        "adjustment_large_print": "16 point",
        "adjustment_other_language": "Polish",
        **complaint_fields(org),
    }
    post(client, data)

    customer = Customer.objects.get()
    assert (customer.full_name, customer.postcode, customer.tenancy_reference) == (
        "Mrs Grace Hopper",
        "NR28 0NB",
        "T-1001",
    )
    assert (customer.preferred_contact, customer.preferred_contact_time) == ("letter", "Weekday mornings")
    assert sorted(customer.adjustments.values_list("kind", "detail")) == [
        ("large_print", "16 point"),
        ("other_language", "Polish"),
    ]
    complaint = Complaint.objects.get()
    assert complaint.customer == customer
    assert complaint.organisation == org


def test_points_are_one_a_line_with_blank_lines_ignored(client, frontline, org):
    client.force_login(frontline)
    post(
        client, {**new_customer(), **complaint_fields(org, points="\n First point \n\n\nSecond point\n  \n")}
    )
    assert list(Complaint.objects.get().points.values_list("number", "summary")) == [
        (1, "First point"),
        (2, "Second point"),
    ]


def test_no_points_make_the_summary_the_one_point(client, frontline, org):
    client.force_login(frontline)
    post(client, {**new_customer(), **complaint_fields(org, points="  \n")})
    assert list(Complaint.objects.get().points.values_list("summary", flat=True)) == [
        "Leaking roof not repaired"
    ]


def test_an_existing_customer_is_chosen_from_the_search(client, frontline, org, customer):
    client.force_login(frontline)
    found = client.get(LOG, {"q": "lovelace"}).content.decode()
    assert "Ada Lovelace" in found
    assert f"?customer={customer.pk}" in found

    page = client.get(LOG, {"customer": customer.pk})
    assert "Choose a different customer" in page.content.decode()
    form_token = page.context["form"]["token"].value()
    before = Customer.objects.count()
    response = post(client, {"customer": customer.pk, **complaint_fields(org)}, form_token=form_token)

    assert response.status_code == 302
    assert Complaint.objects.get().customer == customer
    assert Customer.objects.count() == before


def test_a_customer_outside_my_organisations_cannot_be_chosen(client, frontline, org, stranger):
    client.force_login(frontline)
    assert "Elsewhere" not in client.get(LOG, {"q": "Ada"}).content.decode()
    assert client.get(LOG, {"customer": stranger.pk}).status_code == 404
    response = client.post(LOG, {"token": token(client), "customer": stranger.pk, **complaint_fields(org)})
    assert response.status_code == 404
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "query", ["Ada Lovelace", "lovelace", "NR28 0NB", "nr280nb", "ADA@example.org", "T-77", "lovelace nr28"]
)
def test_the_search_finds_by_name_postcode_email_or_tenancy_reference(client, frontline, customer, query):
    Customer.objects.filter(pk=customer.pk).update(tenancy_reference="T-7788")
    client.force_login(frontline)
    partial = client.get(SEARCH, {"q": query}).content.decode()
    assert "Ada Lovelace" in partial
    assert "<html" not in partial  # the results alone, for htmx


def test_the_search_says_when_nothing_matches(client, frontline, customer):
    client.force_login(frontline)
    page = client.get(LOG, {"q": "Babbage"}).content.decode()
    assert "No customer you can see matches “Babbage”" in page


def test_the_search_uses_the_same_number_of_queries_for_one_customer_or_many(client, frontline, org):
    client.force_login(frontline)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LOG, {"q": "Hopper"}).status_code == 200
        return len(captured)

    create_customer(organisation=org, first_name="Grace", last_name="Hopper", phone="1")
    one = queries()
    for n in range(8):
        create_customer(organisation=org, first_name=f"G{n}", last_name="Hopper", phone="1")
    assert queries() == one


def test_the_chosen_customer_page_uses_the_same_number_of_queries_whatever_they_have(client, frontline, org):
    client.force_login(frontline)
    grace = create_customer(organisation=org, first_name="Grace", last_name="Hopper", phone="1")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LOG, {"customer": grace.pk}).status_code == 200
        return len(captured)

    one = queries()
    for n in range(4):
        ReasonableAdjustment.objects.create(customer=grace, kind="other", detail=f"need {n}")
        add_representative(
            customer=grace,
            name=f"Rep {n}",
            kind="advocate",
            consent_given_at=on("Mon 2026-03-02 10:00"),
            consent_how="form",
        )
    assert queries() == one


# Representatives and consent


def test_a_representative_with_consent_acts_for_the_customer(client, frontline, org):
    client.force_login(frontline)
    data = {
        **new_customer(),
        **complaint_fields(org, channel="representative"),
        "representative": "new",
        "rep_name": "Jerome Mayhew",
        "rep_kind": "designated_person",
        "rep_role": "MP for North Norfolk",
        "rep_email": "Jerome@parliament.example",
        "consent_given_at": "2026-11-19T15:30",
        "consent_how": "Signed consent form",
    }
    response = post(client, data)

    assert response.status_code == 302
    complaint = Complaint.objects.get()
    rep = complaint.representative
    assert (rep.name, rep.kind, rep.role, rep.email) == (
        "Jerome Mayhew",
        "designated_person",
        "MP for North Norfolk",
        "jerome@parliament.example",
    )
    assert rep.customer == complaint.customer
    assert rep.consent_given_at == on("Thu 2026-11-19 15:30")
    assert rep.consent_how == "Signed consent form"


def test_a_representative_without_consent_is_refused_and_nothing_is_stored(client, frontline, org):
    client.force_login(frontline)
    before = counts()
    data = {
        **new_customer(),
        **complaint_fields(org),
        "representative": "new",
        "rep_name": "Jerome Mayhew",
        "rep_kind": "designated_person",
    }
    response = post(client, data)

    assert response.status_code == 400
    assert errors(response) == [
        "Enter when the customer gave consent: a representative can act for them only with their consent"
    ]
    # The customer was created inside the transaction the refusal rolled back: no orphan.
    assert counts() == before


def test_details_of_a_representative_without_saying_yes_are_questioned(client, frontline, org):
    client.force_login(frontline)
    before = counts()
    data = {**new_customer(), **complaint_fields(org), "representative": "none", "rep_name": "Jerome Mayhew"}
    response = post(client, data)
    assert errors(response) == [
        "Choose “Yes, someone else” if Jerome Mayhew is acting for the customer, or clear their details"
    ]
    assert counts() == before


def test_an_existing_representative_of_the_customer_can_be_chosen(client, frontline, org, customer):
    rep = add_representative(
        customer=customer,
        name="Mary Somerville",
        kind="family_or_friend",
        consent_given_at=on("Mon 2026-03-02 10:00"),
        consent_how="In person",
    )
    client.force_login(frontline)
    page = client.get(LOG, {"customer": customer.pk})
    assert "Mary Somerville, Family member or friend (consent given on 2 March 2026)" in page.content.decode()
    form_token = page.context["form"]["token"].value()
    post(
        client,
        {"customer": customer.pk, **complaint_fields(org), "representative": rep.pk},
        form_token=form_token,
    )
    assert Complaint.objects.get().representative == rep


# Dates and deadlines


def test_a_complaint_logged_later_counts_its_deadlines_from_when_it_was_received(
    client, frontline, officer, org
):
    # Received Thu 24 December 2026 at 10:00, typed in on Tue 29 December. Bank holidays:
    # Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute for Sat 26),
    # Fri 1 Jan 2027 (New Year's Day).
    # Contact, 24 working hours: 14 hours left on Thu 24; Fri 25 to Mon 28 do not count;
    #   10 hours of Tue 29 -> Tue 29 December 10:00.
    # Response, 10 working days: day 0 Thu 24; Tue 29 (1), Wed 30 (2), Thu 31 (3), [Fri 1 Jan],
    #   Mon 4 (4), Tue 5 (5), Wed 6 (6), Thu 7 (7), Fri 8 (8), Mon 11 (9), Tue 12 (10)
    #   -> end of Tue 12 January 2027.
    with at("Tue 2026-12-29 09:00"):
        client.force_login(frontline)
        post(
            client,
            {
                **new_customer(),
                **complaint_fields(org, received_at="2026-12-24T10:00", matter_date="2026-12-20"),
            },
        )
        complaint = Complaint.objects.get()
        assert complaint.received_at == on("Thu 2026-12-24 10:00")

        client.force_login(officer)
        accept = reverse("web:step-accept", args=[complaint.reference])
        response = client.post(
            accept,
            {
                "version": complaint.version,
                "owner": officer.pk,
                "team": "",
                "reasoning": "A complaint about our service.",
            },
        )
        assert response.status_code == 302

    deadlines = {d.name: d.due_at for d in complaint.deadlines.all()}
    assert deadlines["stage1.contact"] == on("Tue 2026-12-29 10:00")
    assert deadlines["stage1.response"] == end_of("Tue 2027-01-12")


# Refusals


def test_an_empty_form_says_what_to_fix_and_stores_nothing(client, frontline, org):
    client.force_login(frontline)
    before = counts()
    # What a browser sends for an untouched form, less the time received: the defaults only.
    defaults = {
        "representative": "none",
        "tenure": "tenant",
        "preferred_contact": "phone",
        "organisation": org.pk,
    }
    response = post(client, defaults)

    assert response.status_code == 400
    assert errors(response) == [
        "Enter the customer's first name",
        "Enter the customer's last name",
        "Enter at least one way to reach the customer: an email address, phone number or address",
        "Choose how the complaint was made",
        "Enter the date the complaint was received",
        "Choose what the complaint is about",
        "Enter a one-line summary of the complaint",
        "Enter what went wrong",
    ]
    page = response.content.decode()
    assert "<title>Error: Log a complaint" in page
    assert 'class="govuk-error-summary"' in page
    assert counts() == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"received_at": "2099-01-01T10:00"}, "The date received cannot be in the future"),
        (
            {"received_at": "24/12/2026"},
            "Enter the date and time the complaint was received, like 2026-03-02 10:00",
        ),
        (
            date_boxes("matter_date", "2026-11-21"),
            "The date of the matter cannot be after the complaint was received",
        ),
        ({"matter_date-month": ""}, "The date the matter happened must include a month"),
        ({"matter_date-year": "19"}, "Year must include 4 numbers"),
        (
            {"matter_date-day": "31", "matter_date-month": "2"},
            "The date the matter happened must be a real date",
        ),
        (
            date_boxes("became_aware_on", "2026-11-01"),
            "The date the customer became aware cannot be before the matter happened",
        ),
        ({"summary": "x" * 201}, "Summary must be 200 characters or fewer"),
        (
            {"preferred_contact": "email", "email": ""},
            "Enter the customer's email address: they prefer email",
        ),
        ({"email": "not-an-address"}, "Enter an email address in the correct format, like name@example.com"),
        ({"adjustments": ["other_language"]}, "Enter which language: another language"),
    ],
)
def test_each_mistake_gets_its_own_message_and_nothing_is_stored(client, frontline, org, changes, message):
    client.force_login(frontline)
    before = counts()
    response = post(client, {**new_customer(), **complaint_fields(org), **changes})
    assert response.status_code == 400
    assert errors(response) == [message]
    assert counts() == before


def test_a_matter_years_ago_is_typed_as_day_month_and_year_not_picked(client, frontline, org):
    """The Design System's date input (a browser's date picker is hard to use for a date years ago)."""
    client.force_login(frontline)
    page = client.get(LOG).content.decode()
    for name in ("matter_date", "became_aware_on"):
        assert f'type="date" name="{name}"' not in page
        for part in ("day", "month", "year"):
            assert f'name="{name}-{part}"' in page
    assert "When did the matter happen? (optional)" in page

    typed = {"matter_date-day": "14", "matter_date-month": "Sept", "matter_date-year": "2019"}
    response = post(client, {**new_customer(), **complaint_fields(org), **typed})
    assert response.status_code == 302
    assert Complaint.objects.get().matter_date == dt.date(2019, 9, 14)


# Once only


def test_a_second_post_of_the_same_form_goes_to_the_complaint_already_logged(client, frontline, org):
    client.force_login(frontline)
    data = {"token": token(client), **new_customer(), **complaint_fields(org)}

    first = client.post(LOG, data)
    second = client.post(LOG, data)

    complaint = Complaint.objects.get()
    assert Customer.objects.count() == 1
    assert first.url == second.url == reverse("web:case", args=[complaint.reference])
    page = client.get(second.url).content.decode()
    assert f"This complaint was already logged as {complaint.reference}: it was not logged twice." in page


@pytest.mark.django_db(transaction=True)
def test_two_posts_of_the_same_form_at_once_log_one_complaint_and_one_customer(client, frontline, org):
    from django.test import Client

    from tests.comms.helpers import at_once

    client.force_login(frontline)
    data = {"token": token(client), **new_customer(), **complaint_fields(org)}
    cookie = client.cookies["sessionid"].value

    def post():
        double_click = Client()
        double_click.cookies["sessionid"] = cookie
        return double_click.post(LOG, data)

    responses = at_once(post, count=2)

    complaint = Complaint.objects.get()
    assert Customer.objects.count() == 1
    case = reverse("web:case", args=[complaint.reference])
    assert [(r.status_code, r.url) for r in responses] == [(302, case), (302, case)]


def test_a_form_whose_token_is_unknown_is_shown_again_to_send_once_more(client, frontline, org):
    client.force_login(frontline)
    data = {**new_customer(), **complaint_fields(org)}
    response = client.post(LOG, {"token": "forged", **data})

    assert response.status_code == 400
    assert errors(response) == [
        "This form was already sent or has expired. Check the details below and log the complaint again."
    ]
    assert not Complaint.objects.exists()
    # What was typed is kept, with a fresh token: sending it again logs it.
    fresh = response.context["form"]["token"].value()
    assert response.context["form"]["summary"].value() == "Leaking roof not repaired"
    assert client.post(LOG, {"token": fresh, **data}).status_code == 302
    assert Complaint.objects.count() == 1
