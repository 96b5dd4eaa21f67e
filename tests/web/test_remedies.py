"""The workspace's "Putting things right": the case page's section, offering a remedy with an amount
suggested from our rates (shown, never saved on its own), the customer's answer and the payment."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import EventKind
from putright.learning.models import Remedy
from putright.learning.services.remedies import accept_remedy, offer_remedy
from tests.cases.helpers import at, last_event, snapshot
from tests.web.helpers import make_user, text
from tests.web.test_appeal_steps import success, url

NEXT_DAY = "Fri 2026-03-13 10:00"


def case_page(client, complaint):
    return client.get(f"/work/complaints/{complaint.reference}/")


def offer_data(complaint, **fields):
    data = {
        "version": complaint.version,
        "remedy_type": "financial",
        "description": "For the days without heating",
        "point": complaint.points.get(number=1).pk,
        "amount": "",
        "purpose": "",
        "rate": "no_heating_or_hot_water",
        "units": "12",
    }
    data.update(fields)
    return data


def money(complaint, officer, amount="60.00", **fields):
    return offer_remedy(
        complaint,
        remedy_type="financial",
        description=fields.pop("description", "For the days without heating"),
        amount=amount,
        purpose="loss_of_amenity",
        actor=officer,
        **fields,
    )


@pytest.fixture
def responded(journey):
    return journey.until("responded")


def test_work_it_out_shows_the_suggestion_in_the_amount_box_and_saves_nothing(client, responded, officer):
    client.force_login(officer)
    before = snapshot(responded)
    with at(NEXT_DAY):
        response = client.post(url(responded, "remedies/new"), {**offer_data(responded), "suggest": "1"})
    assert response.status_code == 200
    page = text(response)
    assert "Suggested: £60.00 Each day without heating or hot water: £5.00 a day × 12 days = £60.00" in page
    assert "Amount, in pounds (optional) Suggested" in page
    assert "Suggested from our rates: Each day without heating or hot water" in page
    html = response.content.decode()
    assert 'name="amount" value="60.00"' in html
    # The rate's purpose is chosen, until the caseworker changes it.
    assert re.search(r'value="loss_of_amenity"[^>]* checked', html)
    assert "There is a problem" not in page  # the rest of the form is checked when the remedy is offered
    assert not Remedy.objects.exists()
    assert snapshot(responded) == before

    # The caseworker keeps it: the remedy is offered with the rate it was worked out from.
    with at(NEXT_DAY):
        response = client.post(
            url(responded, "remedies/new"),
            offer_data(responded, amount="60.00", purpose="loss_of_amenity", offer="1"),
        )
    assert response.status_code == 302, text(response)[:2000]
    assert response["Location"].endswith(f"/work/complaints/{responded.reference}/#remedies")
    assert success(response) == [
        "Remedy offered: £60.00 for loss of amenity (use of the home) (For the days without heating)."
    ]
    remedy = Remedy.objects.get()
    assert (remedy.amount, remedy.rate_key, remedy.rate_units, remedy.point.number) == (
        Decimal("60.00"),
        "no_heating_or_hot_water",
        12,
        1,
    )
    assert last_event(responded).kind == EventKind.REMEDY_OFFERED


def test_an_amount_changed_from_the_suggestion_is_the_caseworkers_own(client, responded, officer):
    client.force_login(officer)
    with at(NEXT_DAY):
        response = client.post(
            url(responded, "remedies/new"), offer_data(responded, amount="75.00", purpose="loss_of_amenity")
        )
    assert response.status_code == 302
    remedy = Remedy.objects.get()
    assert (remedy.amount, remedy.rate_key, remedy.rate_units) == (Decimal("75.00"), "", None)


def test_work_it_out_with_htmx_swaps_the_form_alone(client, responded, officer):
    client.force_login(officer)
    with at(NEXT_DAY):
        response = client.post(
            url(responded, "remedies/new"),
            {**offer_data(responded, rate="complaint_handling_delay", units="14"), "suggest": "1"},
            headers={"HX-Request": "true"},
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert "£10.00 a week × 14 weeks = £140.00, capped at £100.00 by the policy" in text(response)
    assert 'name="amount" value="100.00"' in html
    assert not Remedy.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rate": ""}, "Choose one of our rates"),
        ({"units": ""}, "Enter how many days, weeks or occasions"),
        ({"units": "0"}, "Give the number of days, at least 1"),
        ({"rate": "no_wifi"}, "Choose one of the compensation rates of this complaint's policy"),
    ],
)
def test_work_it_out_says_what_it_needs(client, responded, officer, fields, message):
    client.force_login(officer)
    with at(NEXT_DAY):
        response = client.post(
            url(responded, "remedies/new"), {**offer_data(responded, **fields), "suggest": "1"}
        )
    assert response.status_code == 400
    assert message in text(response)
    assert not Remedy.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"remedy_type": ""}, "Choose what was offered"),
        ({"amount": ""}, "Enter the amount offered, in pounds"),
        ({"amount": "60", "purpose": ""}, "Choose what the money is for"),
        ({"amount": "12.345", "purpose": "costs"}, "no more than 2 decimal places"),
        ({"remedy_type": "apology", "description": "", "rate": "", "units": ""}, "Describe what was offered"),
        (
            {"remedy_type": "apology", "amount": "5", "rate": "", "units": ""},
            "Only a financial remedy has an amount",
        ),
        (
            {
                "amount": "60",
                "purpose": "costs",
                "offered_on-day": "14",
                "offered_on-month": "3",
                "offered_on-year": "2026",
            },
            "The date it was offered must be today or in the past",
        ),
        (
            {
                "amount": "60",
                "purpose": "costs",
                "offered_on-day": "1",
                "offered_on-month": "3",
                "offered_on-year": "2026",
            },
            "cannot be before the complaint was received (2 March 2026)",
        ),
    ],
)
def test_an_offer_with_a_problem_is_shown_and_nothing_saved(client, responded, officer, fields, message):
    client.force_login(officer)
    before = snapshot(responded)
    with at(NEXT_DAY):
        response = client.post(url(responded, "remedies/new"), offer_data(responded, **fields))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page, page[:3000]
    assert not Remedy.objects.exists()
    assert snapshot(responded) == before


def test_a_stale_form_is_refused(client, responded, officer):
    client.force_login(officer)
    with at(NEXT_DAY):
        data = offer_data(responded, amount="60", purpose="costs")
        money(responded, officer, amount="10.00")
        response = client.post(url(responded, "remedies/new"), data)
    assert response.status_code == 400
    assert "Someone else has changed this complaint since you opened it" in text(response)
    assert Remedy.objects.count() == 1


def test_the_answer_and_the_payment_are_recorded_and_shown_on_the_case_page(client, responded, officer):
    with at(NEXT_DAY):
        remedy = money(responded, officer, point_id=responded.points.get(number=2).pk)
        offer_remedy(responded, remedy_type="apology", description="A letter from the manager", actor=officer)
    responded.refresh_from_db()
    client.force_login(officer)
    with at("Mon 2026-03-16 09:00"):
        page = text(case_page(client, responded))
        assert "Putting things right" in page
        assert "A financial remedy For the days without heating Stage 1 Point 2 £60.00" in page
        assert "Offered Friday 13 March 2026 Record the answer" in page
        assert "Money: offered £60.00, accepted £0.00, paid £0.00." in page
        form = client.get(url(responded, f"remedies/{remedy.pk}/answer"))
        assert "Record the customer's answer" in text(form)
        response = client.post(
            url(responded, f"remedies/{remedy.pk}/answer"),
            {
                "version": responded.version,
                "answer": "accepted",
                "answered_on-day": "14",
                "answered_on-month": "3",
                "answered_on-year": "2026",
            },
        )
        assert response.status_code == 302, text(response)[:2000]
        assert success(response) == [
            (
                "The customer accepted the remedy: £60.00 for loss of amenity (use of the home) "
                "(For the days without heating)."
            )
        ]
        responded.refresh_from_db()
        response = client.post(
            url(responded, f"remedies/{remedy.pk}/pay"),
            {"version": responded.version, "payment_reference": "BACS 4471"},
        )
        assert response.status_code == 302, text(response)[:2000]
        page = text(case_page(client, responded))
    assert (
        "Paid Offered Friday 13 March 2026; accepted Saturday 14 March 2026; paid Monday 16 March 2026"
        in page
    )
    assert "(reference BACS 4471)" in page
    assert "Money: offered £60.00, accepted £60.00, paid £60.00." in page
    assert [e.kind for e in responded.timeline.order_by("pk")][-2:] == [
        EventKind.REMEDY_ACCEPTED,
        EventKind.REMEDY_PAID,
    ]


def test_payment_needs_a_reference_and_an_accepted_offer(client, responded, officer):
    with at(NEXT_DAY):
        remedy = money(responded, officer)
    client.force_login(officer)
    with at(NEXT_DAY):
        response = client.get(url(responded, f"remedies/{remedy.pk}/pay"), follow=True)
        assert "The customer must accept the offer before it is paid." in text(response)
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        responded.refresh_from_db()
        response = client.post(url(responded, f"remedies/{remedy.pk}/pay"), {"version": responded.version})
    assert response.status_code == 400
    assert "Enter the payment reference" in text(response)
    assert Remedy.objects.get().status == "accepted"


def test_an_answer_given_is_not_asked_again(client, responded, officer):
    with at(NEXT_DAY):
        remedy = money(responded, officer)
        accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
    client.force_login(officer)
    with at(NEXT_DAY):
        page = text(case_page(client, responded))
        assert "Record the answer" not in page and "Record the payment" in page
        response = client.get(url(responded, f"remedies/{remedy.pk}/answer"), follow=True)
    assert "A remedy that is accepted cannot become declined." in text(response)


def test_only_roles_that_record_remedies_see_the_steps(client, responded, officer, frontline, org, team):
    with at(NEXT_DAY):
        remedy = money(responded, officer)
    manager = make_user("mo", Role.MANAGER, org, team)
    for user, allowed in ((officer, True), (frontline, False), (manager, False)):
        client.force_login(user)
        page = case_page(client, responded).content.decode()
        assert (url(responded, "remedies/new") in page) is allowed, user.username
        assert (url(responded, f"remedies/{remedy.pk}/answer") in page) is allowed, user.username
        assert "Putting things right" in page
        status = 200 if allowed else 403
        assert client.get(url(responded, "remedies/new")).status_code == status
        assert client.get(url(responded, f"remedies/{remedy.pk}/answer")).status_code == status


def test_a_remedy_of_another_case_and_a_case_of_another_landlord_are_not_found(
    client, responded, journey, officer, outsider
):
    with at(NEXT_DAY):
        remedy = money(responded, officer)
    other = journey.until("accepted")
    client.force_login(officer)
    assert client.get(url(other, f"remedies/{remedy.pk}/answer")).status_code == 404
    client.force_login(outsider)
    assert client.get(url(responded, "remedies/new")).status_code == 404
    assert client.get(url(responded, f"remedies/{remedy.pk}/answer")).status_code == 404


def test_no_offer_on_a_complaint_not_yet_accepted(client, journey, officer):
    received = journey.until("received")
    client.force_login(officer)
    assert url(received, "remedies/new") not in case_page(client, received).content.decode()
    response = client.get(url(received, "remedies/new"))
    assert response.status_code == 302 and response["Location"] == f"/work/complaints/{received.reference}/"


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_the_pages_use_a_fixed_number_of_queries(client, responded, officer):
    client.force_login(officer)
    with at(NEXT_DAY):
        first = money(responded, officer, amount="1.00")
        case, offer = (
            _queries(client, f"/work/complaints/{responded.reference}/"),
            _queries(client, url(responded, "remedies/new")),
        )
        answer = _queries(client, url(responded, f"remedies/{first.pk}/answer"))
        for n in range(2, 12):
            remedy = money(responded, officer, amount=f"{n}.00", point_id=responded.points.get(number=1).pk)
            if n % 2:
                accept_remedy(responded, remedy_id=remedy.pk, actor=officer)
        assert _queries(client, f"/work/complaints/{responded.reference}/") == case
        assert _queries(client, url(responded, "remedies/new")) == offer
        assert _queries(client, url(responded, f"remedies/{first.pk}/answer")) == answer
