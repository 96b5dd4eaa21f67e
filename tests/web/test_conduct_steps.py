"""The workspace pages of unacceptable behaviour and safeguarding: a restriction reviewed, renewed and
ended from the case page (its form shows the customer's adjustments and what it never stops), the
decision not to investigate, and a lead's own queue of referred concerns."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import EventKind, ReasonableAdjustment, Restriction
from putright.cases.services import concerns
from tests.cases.helpers import at, day, last_event
from tests.web.helpers import make_user, text
from tests.web.test_appeal_steps import refused, success, url


@pytest.fixture
def restriction(journey, senior) -> Restriction:
    complaint = journey.until("accepted")
    ReasonableAdjustment.objects.create(customer=complaint.customer, kind="large_print")
    with at("Tue 2026-03-03 10:00"):
        return concerns.record_restriction(
            complaint,
            reason="Abusive calls on 2 and 3 March",
            restrictions="Contact by email only",
            review_on=day("Wed 2026-06-03"),
            actor=senior,
        )


def routes(restriction: Restriction) -> list[str]:
    return [f"restrictions/{restriction.pk}/{step}" for step in ("review", "renew", "end")]


def test_the_case_page_links_to_reviewing_renewing_and_ending_for_a_senior_manager(
    client, restriction, senior
):
    client.force_login(senior)
    with at("Wed 2026-03-04 10:00"):
        page = client.get(f"/work/complaints/{restriction.complaint.reference}/").content.decode()
    for route in routes(restriction):
        assert url(restriction.complaint, route) in page
    assert "It never stops them reporting a repair, a hazard or a safeguarding concern." in page


def test_only_a_role_that_restricts_contact_may_open_the_pages(
    client, restriction, officer, frontline, senior
):
    complaint = restriction.complaint
    for user, status in ((frontline, 403), (officer, 403), (senior, 200)):
        client.force_login(user)
        for route in [*routes(restriction), "not-investigated"]:
            assert client.get(url(complaint, route)).status_code == status, (user.username, route)


def test_a_restriction_form_shows_the_adjustments_and_what_it_never_stops(client, restriction, senior):
    client.force_login(senior)
    for route in [*routes(restriction), "restrictions/new"]:
        page = text(client.get(url(restriction.complaint, route)), main_only=True)
        assert "Reasonable adjustments for this customer Keep to these" in page, route
        assert "Large print" in page, route
        assert "never stops you reporting a repair, a hazard in your home, or a concern" in page, route


def test_reviewing_keeps_the_restriction_with_a_new_date(client, restriction, senior):
    complaint = restriction.complaint
    client.force_login(senior)
    with at("Wed 2026-06-03 10:00"):
        response = client.post(
            url(complaint, f"restrictions/{restriction.pk}/review"),
            {
                "version": complaint.version,
                "conclusion": "Calls are civil now",
                "next_review_on": "2026-09-03",
            },
        )
    assert success(response) == ["Restriction kept: review it again on Thursday 3 September 2026."]
    restriction.refresh_from_db()
    assert restriction.review_on == day("Thu 2026-09-03")
    assert last_event(complaint).kind == EventKind.RESTRICTION_REVIEWED


def test_renewing_without_a_reason_is_refused_on_the_form(client, restriction, senior):
    complaint = restriction.complaint
    client.force_login(senior)
    with at("Wed 2026-06-03 10:00"):
        refused(
            client,
            complaint,
            f"restrictions/{restriction.pk}/renew",
            {"version": complaint.version, "reason": "", "review_on": "2026-09-03"},
            "Give the reason for renewing the restriction",
        )


def test_ending_a_restriction_takes_it_off_the_case_page(client, restriction, senior):
    complaint = restriction.complaint
    client.force_login(senior)
    with at("Wed 2026-06-03 10:00"):
        response = client.post(
            url(complaint, f"restrictions/{restriction.pk}/end"),
            {"version": complaint.version, "reason": "No incidents since March"},
        )
        assert success(response) == ["Restriction ended: the customer can contact us in the usual way again."]
        page = client.get(f"/work/complaints/{complaint.reference}/").content.decode()
        assert client.get(url(complaint, f"restrictions/{restriction.pk}/review")).status_code == 404
    assert "Contact with this customer is restricted" not in page


def test_a_stale_form_never_overwrites_another_review(client, restriction, senior):
    complaint = restriction.complaint
    stale = complaint.version
    client.force_login(senior)
    with at("Wed 2026-06-03 10:00"):
        client.post(
            url(complaint, f"restrictions/{restriction.pk}/review"),
            {"version": stale, "conclusion": "Keep it", "next_review_on": "2026-09-03"},
        )
        refused(
            client,
            complaint,
            f"restrictions/{restriction.pk}/renew",
            {"version": stale, "reason": "More abuse", "review_on": "2026-12-03"},
            "Someone else has changed this complaint since you opened it",
        )


def test_with_a_restriction_in_force_a_concern_is_still_flagged(client, restriction, frontline):
    complaint = restriction.complaint
    client.force_login(frontline)
    with at("Wed 2026-03-04 10:00"):
        response = client.post(
            url(complaint, "concerns/new"),
            {"version": complaint.version, "kind": "health_and_safety", "description": "Exposed wiring"},
        )
    assert response.status_code == 302
    assert complaint.concerns.get().description == "Exposed wiring"


# Not investigating


def test_deciding_not_to_investigate_finishes_the_case(client, journey, senior):
    complaint = journey.until("contacted")
    client.force_login(senior)
    with at("Fri 2026-03-06 15:00"):
        page = client.get(url(complaint, "not-investigated")).content.decode()
        assert "only after legal advice" in page
        response = client.post(
            url(complaint, "not-investigated"),
            {
                "version": complaint.version,
                "reason": "Threats to staff on 3 and 4 March",
                "legal_advice": "Our solicitor advised we may decline",
                "advice_on": "2026-03-05",
            },
        )
    assert success(response) == [
        "Decided not to investigate: the complaint is finished. Send the customer the letter."
    ]
    complaint.refresh_from_db()
    assert complaint.state == "not_investigated"


def test_not_investigating_without_legal_advice_is_refused(client, journey, senior):
    complaint = journey.until("contacted")
    client.force_login(senior)
    with at("Fri 2026-03-06 15:00"):
        refused(
            client,
            complaint,
            "not-investigated",
            {"version": complaint.version, "reason": "Threats", "legal_advice": "", "advice_on": ""},
            "Record the legal advice that was sought",
        )


# The lead's queue


@pytest.fixture
def sally(org):
    return make_user("sally", Role.SAFEGUARDING_LEAD, org)


def test_the_queue_lists_the_concerns_referred_to_the_lead_and_none_of_another_kind(
    client, journey, sally, officer, org
):
    hal = make_user("hal", Role.HEALTH_SAFETY_LEAD, org)
    complaint = journey.until("accepted")
    with at("Thu 2026-04-02 10:00"):
        concerns.flag_concern(complaint, kind="safeguarding", description="A child alone", actor=officer)
        concerns.flag_concern(complaint, kind="health_and_safety", description="Gas smell", actor=officer)
    client.force_login(sally)
    with at("Thu 2026-04-02 11:00"):
        page = text(client.get("/work/concerns/"), main_only=True)
    assert "A child alone" in page and "Gas smell" not in page
    assert "Outcome due by Monday 13 April 2026" in page  # 5 working days, Good Friday and Easter Monday out
    client.force_login(hal)
    with at("Tue 2026-04-14 09:00"):
        page = text(client.get("/work/concerns/"), main_only=True)
    assert "Gas smell" in page and "Overdue" in page and "A child alone" not in page


def test_the_queue_is_for_those_who_manage_concerns(client, sally, officer, frontline):
    client.force_login(frontline)
    assert client.get("/work/concerns/").status_code == 403
    client.force_login(officer)
    assert client.get("/work/concerns/").status_code == 403
    client.force_login(sally)
    assert client.get("/work/concerns/").status_code == 200


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/work/concerns/").status_code == 200
    return len(queries)


def test_the_queue_takes_the_same_queries_for_one_concern_or_many(client, journey, sally, officer):
    complaint = journey.until("accepted")
    concerns.flag_concern(complaint, kind="safeguarding", description="One", actor=officer)
    client.force_login(sally)
    one = _queries(client)
    for n in range(8):
        other = journey.until("accepted")
        concerns.flag_concern(other, kind="safeguarding", description=f"Concern {n}", actor=officer)
    assert _queries(client) == one
