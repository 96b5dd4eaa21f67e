"""The step pages on the case itself: withdrawal, reassignment, new matters, concerns, restrictions."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.models import Complaint, Concern, ConcernStatus, EventKind, Restriction
from putright.cases.services import concerns
from tests.cases.helpers import at, last_event
from tests.web.helpers import make_user, text
from tests.web.test_appeal_steps import refused, success, url


@pytest.fixture
def manager(org):
    """A manager (reports): sees the cases, takes no step."""
    return make_user("mina", Role.MANAGER, org)


@pytest.fixture
def safeguarding_lead(org):
    return make_user("lee", Role.SAFEGUARDING_LEAD, org)


@pytest.fixture
def safety_lead(org):
    return make_user("hal", Role.HEALTH_SAFETY_LEAD, org)


@pytest.fixture
def concern(journey, safeguarding_lead):
    complaint = journey.until("accepted")
    return concerns.flag_concern(
        complaint, kind="safeguarding", description="The customer lives alone and is unwell", actor=None
    )


def _case_routes(concern: Concern) -> list[str]:
    return [
        "withdraw",
        "reassign",
        "new-matter",
        "concerns/new",
        f"concerns/{concern.pk}/refer",
        f"concerns/{concern.pk}/close",
        "restrictions/new",
    ]


# Who may open the pages


def test_signed_out_people_are_sent_to_sign_in(client, concern):
    for route in _case_routes(concern):
        response = client.get(url(concern.complaint, route))
        assert response.status_code == 302, route
        assert response["Location"].startswith("/sign-in/"), route


def test_a_case_of_another_organisation_is_not_found(client, concern, outsider):
    client.force_login(outsider)
    for route in _case_routes(concern):
        assert client.get(url(concern.complaint, route)).status_code == 404, route
        assert client.post(url(concern.complaint, route), {"version": 1}).status_code == 404, route


def test_each_role_may_take_only_its_own_steps(client, concern, frontline, officer, manager, safety_lead):
    complaint = concern.complaint
    allowed = {
        frontline: {"withdraw", "new-matter", "concerns/new"},
        officer: {"withdraw", "reassign", "new-matter", "concerns/new"},
        manager: set(),
        safety_lead: {"concerns/new", f"concerns/{concern.pk}/refer", f"concerns/{concern.pk}/close"},
    }
    for user, routes in allowed.items():
        client.force_login(user)
        for route in _case_routes(concern):
            expected = 200 if route in routes else 403
            assert client.get(url(complaint, route)).status_code == expected, (user.username, route)


def test_a_concern_of_another_case_is_not_found(client, journey, concern, senior):
    other = journey.until("accepted", customer=concern.complaint.customer)
    client.force_login(senior)
    assert client.get(url(other, f"concerns/{concern.pk}/refer")).status_code == 404
    assert client.get(url(other, f"concerns/{concern.pk}/close")).status_code == 404
    assert client.get(url(other, "concerns/99999/close")).status_code == 404


# Withdrawal


def test_withdrawing_at_the_customers_request_ends_the_case(client, journey, frontline):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 10:00"):
        client.force_login(frontline)
        page = text(client.get(url(complaint, "withdraw")))
        assert "Open deadlines that will be cancelled" in page
        assert "Stage 1 response: due Monday 16 March 2026" in page
        response = client.post(
            url(complaint, "withdraw"),
            {
                "version": complaint.version,
                "reason": "The roof is fixed",
                "on_behalf_of": "The customer, by phone",
                "confirmed": ["yes"],
            },
        )
    assert response.status_code == 302
    assert success(response) == ["Complaint withdrawn: its open deadlines no longer apply."]
    complaint.refresh_from_db()
    assert complaint.state == "withdrawn"
    assert not complaint.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True).exists()
    event = last_event(complaint)
    assert (event.kind, event.summary) == (
        EventKind.WITHDRAWN,
        "Withdrawn by the customer: The roof is fixed",
    )
    assert event.actor_label == "Fran Staff, for The customer, by phone"


def test_withdrawal_must_be_confirmed(client, journey, frontline):
    complaint = journey.until("accepted")
    client.force_login(frontline)
    data = {"version": complaint.version, "reason": "Fixed"}
    refused(
        client, complaint, "withdraw", data, "Confirm that the customer asked to withdraw their complaint"
    )


def test_a_finished_case_cannot_be_withdrawn(client, journey, frontline):
    complaint = journey.until("accepted")
    client.force_login(frontline)
    client.post(url(complaint, "withdraw"), {"version": complaint.version, "confirmed": ["yes"]})
    complaint.refresh_from_db()
    refused(
        client,
        complaint,
        "withdraw",
        {"version": complaint.version, "confirmed": ["yes"]},
        "Withdraw is not possible while the complaint is “Withdrawn”.",
    )


# Reassignment


def test_reassigning_to_a_colleague(client, journey, officer, second_officer):
    complaint = journey.until("accepted")
    client.force_login(officer)
    page = client.get(url(complaint, "reassign")).content.decode()
    assert f'<option value="{second_officer.pk}">Oscar Staff (Resolution Officer)</option>' in page
    assert "Olivia Staff (Resolution Officer)" not in page  # the owner now
    response = client.post(
        url(complaint, "reassign"),
        {"version": complaint.version, "owner": second_officer.pk, "reason": "Olivia is on leave"},
    )
    assert response.status_code == 302
    assert success(response) == ["Reassigned to Oscar Staff (Learning and Resolution Team)."]
    complaint.refresh_from_db()
    assert complaint.owner == second_officer
    assert last_event(complaint).summary == "Reassigned from Olivia Staff to Oscar Staff: Olivia is on leave"


def test_a_case_goes_only_to_someone_who_can_do_its_work(client, journey, officer, frontline):
    complaint = journey.until("accepted")
    client.force_login(officer)
    assert "Fran Staff" not in client.get(url(complaint, "reassign")).content.decode()
    data = {"version": complaint.version, "owner": frontline.pk}
    refused(client, complaint, "reassign", data, "Choose someone from the list")


def test_a_stale_reassignment_is_refused(client, journey, officer, second_officer):
    complaint = journey.until("accepted")
    client.force_login(officer)
    data = {"version": complaint.version - 1, "owner": second_officer.pk}
    refused(
        client, complaint, "reassign", data, "Someone else has changed this complaint since you opened it"
    )


# New matters


def test_a_new_matter_becomes_a_linked_complaint(client, journey, officer):
    complaint = journey.until("accepted")
    client.force_login(officer)
    response = client.post(
        url(complaint, "new-matter"),
        {
            "version": complaint.version,
            "route": "new_complaint",
            "description": "The contractor was rude on the visit",
            "category": "staff_conduct",
        },
    )
    assert response.status_code == 302
    new = Complaint.objects.get(parent=complaint)
    assert (new.state, new.category, new.customer) == ("received", "staff_conduct", complaint.customer)
    assert success(response) == [
        f"New complaint {new.reference} raised and linked to this one: it is waiting for triage."
    ]
    assert last_event(complaint).kind == EventKind.NEW_MATTER_RAISED


def test_a_new_matter_signposted_to_another_team(client, journey, frontline):
    complaint = journey.until("accepted")
    client.force_login(frontline)
    data = {"version": complaint.version, "route": "signpost", "description": "Noise from next door"}
    refused(client, complaint, "new-matter", data, "Name the team the customer is signposted to")
    response = client.post(
        url(complaint, "new-matter"), {**data, "signpost_to": "Anti-social behaviour team"}
    )
    assert success(response) == ["New matter signposted to Anti-social behaviour team."]
    assert not Complaint.objects.filter(parent=complaint).exists()
    assert last_event(complaint).kind == EventKind.NEW_MATTER_SIGNPOSTED


# Concerns


def test_a_concern_goes_at_once_to_the_organisations_lead(client, journey, frontline, safeguarding_lead):
    complaint = journey.until("accepted")
    client.force_login(frontline)
    response = client.post(
        url(complaint, "concerns/new"),
        {"version": complaint.version, "kind": "safeguarding", "description": "No heating, customer is 90"},
    )
    assert response.status_code == 302
    assert success(response) == ["Safeguarding concern flagged and referred to Lee Staff."]
    concern = Concern.objects.get(complaint=complaint)
    assert (concern.status, concern.referred_to) == (ConcernStatus.REFERRED, safeguarding_lead)


def test_a_concern_needs_a_description(client, journey, frontline):
    complaint = journey.until("accepted")
    client.force_login(frontline)
    data = {"version": complaint.version, "kind": "health_and_safety"}
    refused(client, complaint, "concerns/new", data, "Describe the concern")


def test_referring_and_closing_a_concern(client, concern, senior, safety_lead):
    complaint = concern.complaint
    client.force_login(senior)
    page = text(client.get(url(complaint, f"concerns/{concern.pk}/refer")))
    assert "The customer lives alone and is unwell" in page
    assert "Referred to Lee Staff" in page
    complaint.refresh_from_db()
    response = client.post(
        url(complaint, f"concerns/{concern.pk}/refer"), {"version": complaint.version, "to": safety_lead.pk}
    )
    assert success(response) == ["Concern referred to Hal Staff."]
    concern.refresh_from_db()
    assert concern.referred_to == safety_lead

    complaint.refresh_from_db()
    refused(
        client,
        complaint,
        f"concerns/{concern.pk}/close",
        {"version": complaint.version},
        "Record what was done about the concern",
    )
    response = client.post(
        url(complaint, f"concerns/{concern.pk}/close"),
        {"version": complaint.version, "outcome": "Adult social care visited"},
    )
    assert success(response) == ["Concern closed."]
    concern.refresh_from_db()
    assert (concern.status, concern.outcome) == (ConcernStatus.CLOSED, "Adult social care visited")
    assert last_event(complaint).kind == EventKind.CONCERN_CLOSED


# Restrictions


def test_recording_a_restriction_with_its_review_date(client, journey, senior):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 10:00"):
        client.force_login(senior)
        response = client.post(
            url(complaint, "restrictions/new"),
            {
                "version": complaint.version,
                "reason": "Abusive calls on 2 and 3 March",
                "restrictions": "Contact by email only",
                "review_on": "2026-06-03",
            },
        )
    assert success(response) == ["Restriction recorded: review it on Wednesday 3 June 2026."]
    restriction = Restriction.objects.get(complaint=complaint)
    assert (restriction.restrictions, str(restriction.starts_on)) == ("Contact by email only", "2026-03-03")


def test_a_restriction_needs_a_review_date_in_the_future(client, journey, senior):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 10:00"):
        client.force_login(senior)
        data = {
            "version": complaint.version,
            "reason": "Abusive calls",
            "restrictions": "Email only",
            "review_on": "2026-03-03",
        }
        refused(
            client, complaint, "restrictions/new", data, "A restriction needs a review date in the future."
        )


# A fixed number of queries whatever the size of the case


def _count(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_pages_use_a_fixed_number_of_queries(client, journey, org, team, concern, senior):
    small = concern.complaint
    big = journey.until("accepted", points=[f"Point {n}" for n in range(12)], customer=small.customer)
    many = [
        concerns.flag_concern(big, kind="safeguarding", description=f"Concern {n}", actor=None)
        for n in range(6)
    ]
    client.force_login(senior)
    routes = ["withdraw", "reassign", "new-matter", "concerns/new", "restrictions/new"]
    before = {route: _count(client, url(small, route)) for route in routes}
    before["refer"] = _count(client, url(small, f"concerns/{concern.pk}/refer"))
    for n in range(8):
        make_user(f"officer{n}", Role.RESOLUTION_OFFICER, org, team)
        make_user(f"lead{n}", Role.SAFEGUARDING_LEAD, org)
    after = {route: _count(client, url(big, route)) for route in routes}
    after["refer"] = _count(client, url(big, f"concerns/{many[0].pk}/refer"))
    assert after == before


@pytest.mark.django_db
def test_a_link_to_a_step_the_procedure_does_not_allow_now_says_why_on_the_case_page(client, log, officer):
    complaint = log("2026-11-16 10:00")  # awaiting triage: nothing to close yet
    client.force_login(officer)
    response = client.get(f"/work/complaints/{complaint.reference}/close/", follow=True)
    assert response.redirect_chain[-1][0] == f"/work/complaints/{complaint.reference}/"
    assert "Close is not possible while the complaint is “Received, awaiting triage”." in (
        response.content.decode()
    )
