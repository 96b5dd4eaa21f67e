"""The stage 2 review and appeal step pages: who may open them, what each changes, what each refuses.

Every case is brought to its state by the standard journey (tests/cases/conftest.py), through
the real services, at the times shown there; the page under test is then used as a caseworker
would, at a time written with its weekday (checked by the helpers).
"""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import EventKind, Response, ResponseKind
from tests.cases.conftest import FULL_PANEL, code_2024  # noqa: F401 (a fixture)
from tests.cases.helpers import at, due, end_of, last_event, on, snapshot
from tests.learning.helpers import record_learning
from tests.web.helpers import make_user, text


@pytest.fixture
def panel_member(org):
    return make_user("bea", Role.PANEL_MEMBER, org, job_title="Board member")


def url(complaint, route: str) -> str:
    return f"/work/complaints/{complaint.reference}/{route}/"


def success(response) -> list[str]:
    """The messages the next page shows (the success banner)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def refused(client, complaint, route: str, data: dict, message: str) -> None:
    """Posting ``data`` shows ``message`` on the form (status 400) and changes nothing."""
    before = snapshot(complaint)
    response = client.post(url(complaint, route), data)
    assert response.status_code == 400, text(response)[:2000]
    page = text(response)
    assert "There is a problem" in page
    assert message in page, page[:3000]
    assert snapshot(complaint) == before


def points(complaint, outcome: str = "upheld") -> dict[str, str]:
    fields = {}
    for point in complaint.points.all():
        fields[f"outcome_{point.pk}"] = outcome
        fields[f"reasons_{point.pk}"] = "The panel agreed"
    return fields


PANEL_FIELDS = {f"panel_{role}": name for role, name in FULL_PANEL.items()}
APPEAL_ROUTES = [
    ("escalate", "responded"),
    ("appeal", "responded2"),
    ("appeal/refuse", "appealed"),
    ("appeal/schedule", "appealed"),
    ("appeal/decision", "scheduled"),
    ("final-response", "decided"),
]


# Who may open the pages


@pytest.mark.parametrize(("route", "state"), APPEAL_ROUTES)
def test_signed_out_people_are_sent_to_sign_in(client, journey, route, state):
    complaint = journey.until(state)
    response = client.get(url(complaint, route))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(("route", "state"), APPEAL_ROUTES)
def test_a_case_of_another_organisation_is_not_found(client, journey, outsider, route, state):
    complaint = journey.until(state)
    client.force_login(outsider)
    assert client.get(url(complaint, route)).status_code == 404
    assert client.post(url(complaint, route), {"version": complaint.version}).status_code == 404


def test_each_role_sees_only_the_steps_it_may_take(client, journey, officer, frontline, panel_member):
    scheduled = journey.until("scheduled")
    appealed = journey.until("appealed", customer=scheduled.customer)
    responded = journey.until("responded", customer=scheduled.customer)

    client.force_login(officer)
    assert client.get(url(appealed, "appeal/schedule")).status_code == 403
    assert client.get(url(scheduled, "appeal/decision")).status_code == 403
    assert client.post(url(scheduled, "appeal/decision"), {"version": 1}).status_code == 403

    client.force_login(panel_member)
    assert client.get(url(scheduled, "appeal/decision")).status_code == 200
    assert client.get(url(appealed, "appeal/schedule")).status_code == 200  # the panel records its meeting
    assert client.get(url(appealed, "appeal/refuse")).status_code == 403

    client.force_login(frontline)
    assert client.get(url(responded, "escalate")).status_code == 200
    assert client.get(url(scheduled, "appeal/decision")).status_code == 403


# The stage 2 review


def test_escalating_on_the_customers_behalf_starts_the_review_with_its_deadlines(
    client, journey, frontline, senior
):
    complaint = journey.until("responded")
    # Asked on Thu 17 December 2026 at 10:00: day 0 is Thu 17.
    # Contact, 5 working days: Fri 18 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5)
    #   -> end of Thu 24 December.
    # Response, 20 working days from the request: Fri 18 .. Thu 24 (5), [Fri 25 Christmas Day,
    # Mon 28 Boxing Day (substitute)], Tue 29 (6), Wed 30 (7), Thu 31 (8), [Fri 1 January],
    # Mon 4 .. Fri 8 (13), Mon 11 .. Fri 15 (18), Mon 18 (19), Tue 19 (20)
    #   -> end of Tue 19 January 2027.
    with at("Thu 2026-12-17 10:00"):
        client.force_login(frontline)
        page = client.get(url(complaint, "escalate"))
        assert page.status_code == 200
        shown = text(page)
        assert "Ask for a review (stage 2)" in shown
        assert "(b) You are unhappy with the proposed resolution" in shown
        assert "Response sent Thursday 12 March 2026" in shown
        assert "First contact By Thursday 24 December 2026 (5 working days from request)" in shown
        assert "Response By Tuesday 19 January 2027 (20 working days from request)" in shown
        response = client.post(
            url(complaint, "escalate"),
            {
                "version": complaint.version,
                "grounds": ["b", "d"],
                "explanation": "The offer does not cover the ruined carpet",
                "owner": senior.pk,
                "on_behalf_of": "The customer, by phone",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == f"/work/complaints/{complaint.reference}/"
    assert success(response) == [
        (
            "Review requested: Sam Staff must contact the customer by Thursday 24 December 2026 "
            "and respond by Tuesday 19 January 2027."
        )
    ]
    complaint.refresh_from_db()
    assert (complaint.state, complaint.stage, complaint.owner) == ("stage2", 2, senior)
    assert due(complaint, "stage2.contact") == end_of("Thu 2026-12-24")
    assert due(complaint, "stage2.response") == end_of("Tue 2027-01-19")
    event = last_event(complaint)
    assert event.kind == EventKind.ESCALATED
    assert event.actor == frontline
    assert event.actor_label == "Fran Staff, for The customer, by phone"
    assert event.summary == "Escalated to stage 2 on grounds (b), (d); review by Sam Staff"


def test_only_senior_managers_not_involved_at_stage_1_are_offered(
    client, journey, frontline, officer, senior
):
    complaint = journey.until("responded")
    client.force_login(frontline)
    page = client.get(url(complaint, "escalate")).content.decode()
    assert f'<option value="{senior.pk}">Sam Staff (Senior Manager)</option>' in page
    assert "Olivia Staff (Resolution Officer)" not in page
    assert "Fran Staff (Customer services" not in page
    assert (
        "The review must be by someone who did not handle stage 1, so not offered: "
        "Olivia Staff, who handled stage 1." in page
    )


def test_the_review_needs_a_ground_when_the_policy_requires_one(client, journey, frontline, senior):
    complaint = journey.until("responded")
    client.force_login(frontline)
    page = text(client.get(url(complaint, "escalate")))
    assert "The policy asks the customer for at least one ground" in page
    data = {"version": complaint.version, "owner": senior.pk}
    refused(client, complaint, "escalate", data, "Choose at least one ground for the review")


@pytest.mark.usefixtures("code_2024")
def test_under_the_code_no_ground_is_needed(client, journey, frontline, senior):
    complaint = journey.until("responded")
    client.force_login(frontline)
    page = text(client.get(url(complaint, "escalate")))
    assert "The customer's grounds for a review (optional)" in page
    assert "The policy does not require the customer to give reasons" in page
    response = client.post(url(complaint, "escalate"), {"version": complaint.version, "owner": senior.pk})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "stage2"
    assert last_event(complaint).summary == "Escalated to stage 2 on grounds none given; review by Sam Staff"


def test_a_stale_form_is_refused_and_changes_nothing(client, journey, frontline, senior):
    complaint = journey.until("responded")
    client.force_login(frontline)
    data = {"version": complaint.version - 1, "grounds": ["a"], "owner": senior.pk}
    refused(
        client, complaint, "escalate", data, "Someone else has changed this complaint since you opened it"
    )


# The appeal


def test_requesting_an_appeal_sets_the_meeting_deadline(client, journey, frontline):
    complaint = journey.until("responded2")
    # Asked Mon 23 March 2026 at 10:00, day 0. 20 working days: Tue 24 .. Fri 27 (4),
    # Mon 30 .. Thu 2 April (8), [Good Friday 3, Easter Monday 6], Tue 7 .. Fri 10 (12),
    # Mon 13 .. Fri 17 (17), Mon 20 (18), Tue 21 (19), Wed 22 (20) -> end of Wed 22 April.
    with at("Mon 2026-03-23 10:00"):
        client.force_login(frontline)
        page = text(client.get(url(complaint, "appeal")))
        assert "(a) All or some of the points raised" in page
        assert "Companion Yes, such as a friend, relative or advocate, but not a legal representative" in page
        assert "Panel A board member, a resident and an executive" in page
        assert "Decision Within 5 working days from meeting; it is the final response" in page
        assert "If the customer asked today, the meeting must be held by Wednesday 22 April 2026." in page
        response = client.post(
            url(complaint, "appeal"),
            {"version": complaint.version, "criteria": ["a"], "explanation": "Point 2 was never looked at"},
        )
    assert response.status_code == 302
    assert success(response) == [
        "Appeal requested: arrange the meeting with the customer and the panel by Wednesday 22 April 2026."
    ]
    complaint.refresh_from_db()
    assert complaint.state == "appeal_requested"
    assert due(complaint, "appeal.meeting") == end_of("Wed 2026-04-22")
    assert last_event(complaint).kind == EventKind.APPEAL_REQUESTED


def test_an_appeal_must_name_a_criterion(client, journey, frontline):
    complaint = journey.until("responded2")
    client.force_login(frontline)
    data = {"version": complaint.version, "explanation": "Unhappy"}
    refused(client, complaint, "appeal", data, "Choose at least one of the criteria the appeal meets")


def test_refusing_an_appeal_that_meets_no_criterion(client, journey, senior):
    complaint = journey.until("appealed")
    record_learning(complaint, senior)  # issue 12: refusing an appeal needs it, as closing does
    client.force_login(senior)
    page = text(client.get(url(complaint, "appeal/refuse")))
    assert "An appeal hearing may not be held where the agreed actions" in page
    assert "Point 2 was never looked at" in page
    response = client.post(
        url(complaint, "appeal/refuse"),
        {"version": complaint.version, "reason": "Every point was answered at stage 2"},
    )
    assert response.status_code == 302
    assert success(response) == ["Appeal refused: the stage 2 response remains the final response."]
    complaint.refresh_from_db()
    assert complaint.state == "closed"
    assert last_event(complaint).summary == "Appeal refused: Every point was answered at stage 2"


def test_an_appeal_that_meets_a_criterion_cannot_be_refused(client, journey, senior):
    complaint = journey.until("appealed")
    record_learning(complaint, senior)  # issue 12: else that refusal would come first
    client.force_login(senior)
    data = {"version": complaint.version, "reason": "No", "criteria_met": ["a"]}
    refused(client, complaint, "appeal/refuse", data, "An appeal that meets a criterion ((a)) must be heard.")


def test_arranging_the_meeting_with_the_full_panel(client, journey, senior, panel_member):
    complaint = journey.until("appealed")
    # The meeting on Tue 21 April 2026 at 14:00 is day 0 of the decision's 5 working days:
    # Wed 22 (1), Thu 23 (2), Fri 24 (3), Mon 27 (4), Tue 28 (5) -> end of Tue 28 April.
    with at("Wed 2026-03-25 14:00"):
        client.force_login(senior)
        page = client.get(url(complaint, "appeal/schedule"))
        shown = text(page)
        assert "The meeting must be held by Wednesday 22 April 2026 (20 working days from request)" in shown
        # The panel's members are offered for each seat; a typed name is someone without a login.
        assert f'<option value="{panel_member.pk}">Bea Staff – Board member</option>' in page.content.decode()
        response = client.post(
            url(complaint, "appeal/schedule"),
            {
                "version": complaint.version,
                "meeting_at": "2026-04-21T14:00",
                "location": "Tom Moore House, North Walsham",
                **PANEL_FIELDS,
                "agreed": ["yes"],
                "companion_name": "Grace Hopper",
                "companion_relationship": "Neighbour",
            },
        )
    assert response.status_code == 302, text(response)[:2000]
    assert success(response) == [
        (
            "Appeal meeting arranged for Tuesday 21 April 2026 at 14:00: "
            "the panel must decide by Tuesday 28 April 2026."
        )
    ]
    complaint.refresh_from_db()
    assert complaint.state == "appeal_scheduled"
    hearing = complaint.stages.get(number=3).hearing
    assert hearing.panel == FULL_PANEL
    assert (hearing.meeting_at, hearing.companion_name) == (on("Tue 2026-04-21 14:00"), "Grace Hopper")
    assert due(complaint, "appeal.decision") == end_of("Tue 2026-04-28")
    assert last_event(complaint).kind == EventKind.APPEAL_SCHEDULED


def test_a_legal_representative_cannot_attend(client, journey, senior):
    complaint = journey.until("appealed")
    client.force_login(senior)
    data = {
        "version": complaint.version,
        "meeting_at": "2026-04-21T14:00",
        "location": "Online",
        **PANEL_FIELDS,
        "agreed": ["yes"],
        "companion_name": "Lionel Hutz",
        "companion_relationship": "Solicitor",
        "companion_is_legal_representative": ["yes"],
    }
    refused(
        client, complaint, "appeal/schedule", data, "A legal representative cannot attend the appeal meeting"
    )


def test_a_seat_goes_to_a_panel_member_or_to_someone_named_without_a_login(
    client, journey, senior, panel_member, officer
):
    complaint = journey.until("appealed")
    data = {
        "version": complaint.version,
        "meeting_at": "2026-04-21T14:00",
        "location": "Tom Moore House",
        **PANEL_FIELDS,
        "agreed": ["yes"],
    }
    with at("Wed 2026-03-25 14:00"):
        client.force_login(senior)
        both = client.post(
            url(complaint, "appeal/schedule"), {**data, "panel_board_member_member": panel_member.pk}
        )
        assert both.status_code == 400
        assert "Choose a panel member or type a name for the board member, not both" in text(both)
        unlisted = client.post(
            url(complaint, "appeal/schedule"),
            {**data, "panel_board_member": "", "panel_board_member_member": officer.pk},
        )
        assert unlisted.status_code == 400  # Olivia has no panel role: she is not offered
        done = client.post(
            url(complaint, "appeal/schedule"),
            {**data, "panel_board_member": "", "panel_board_member_member": panel_member.pk},
        )
    assert done.status_code == 302, text(done)[:2000]
    hearing = complaint.stages.get(number=3).hearing
    assert hearing.panel == {**FULL_PANEL, "board_member": "Bea Staff"}
    assert last_event(complaint).data["panel_staff"] == {"board_member": "bea"}


def test_a_panel_member_records_the_meeting_and_then_the_decision(client, journey, panel_member):
    complaint = journey.until("appealed")
    with at("Wed 2026-03-25 14:00"):
        client.force_login(panel_member)
        response = client.post(
            url(complaint, "appeal/schedule"),
            {
                "version": complaint.version,
                "meeting_at": "2026-04-21T14:00",
                "location": "Tom Moore House, North Walsham",
                **PANEL_FIELDS,
                "agreed": ["yes"],
            },
        )
    assert response.status_code == 302, text(response)[:2000]
    complaint.refresh_from_db()
    assert complaint.state == "appeal_scheduled"
    assert last_event(complaint).actor == panel_member
    with at("Thu 2026-04-23 16:00"):
        client.force_login(panel_member)
        assert client.get(url(complaint, "appeal/decision")).status_code == 200


def test_the_meeting_must_be_agreed_and_the_panel_full(client, journey, senior):
    complaint = journey.until("appealed")
    client.force_login(senior)
    data = {"version": complaint.version, "meeting_at": "2026-04-21T14:00", "location": "Online"}
    refused(client, complaint, "appeal/schedule", data, "confirm the date and time with the customer")
    refused(client, complaint, "appeal/schedule", data, "Name the panel's board member")


def test_a_late_meeting_needs_its_reason(client, journey, senior):
    complaint = journey.until("appealed")
    data = {
        "version": complaint.version,
        "meeting_at": "2026-04-23T10:00",
        "location": "Online",
        **PANEL_FIELDS,
        "agreed": ["yes"],
    }
    with at("Wed 2026-03-25 14:00"):
        client.force_login(senior)
        refused(
            client,
            complaint,
            "appeal/schedule",
            data,
            "The meeting should be held by Wednesday 22 April 2026",
        )
        response = client.post(
            url(complaint, "appeal/schedule"), {**data, "late_reason": "The customer is away until then"}
        )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert last_event(complaint).data["late_reason"] == "The customer is away until then"


def test_the_panel_records_its_decision_after_the_meeting(client, journey, panel_member):
    complaint = journey.until("scheduled")
    with at("Thu 2026-04-23 16:00"):
        client.force_login(panel_member)
        page = text(client.get(url(complaint, "appeal/decision")))
        assert "Meeting Tuesday 21 April 2026 at 14:00" in page
        assert "Bea Board (board member), Rita Resident (resident), Ed Executive (executive)" in page
        assert "Decision due By Tuesday 28 April 2026 (5 working days from meeting)" in page
        assert "Point 1: The repair was not done" in page
        response = client.post(
            url(complaint, "appeal/decision"),
            {
                "version": complaint.version,
                **points(complaint, "partially_upheld"),
                "summary": "Partly upheld",
            },
        )
    assert response.status_code == 302, text(response)[:2000]
    assert success(response) == [
        "The panel's decision is recorded: send the customer the final response by Tuesday 28 April 2026."
    ]
    complaint.refresh_from_db()
    assert complaint.state == "appeal_decided"
    decision = Response.objects.get(stage__complaint=complaint, kind=ResponseKind.APPEAL_DECISION)
    assert decision.summary == "Partly upheld"
    assert sorted(decision.outcomes.values_list("outcome", flat=True)) == ["partially_upheld"] * 2
    assert last_event(complaint).actor == panel_member


def test_the_panel_cannot_decide_before_the_meeting(client, journey, panel_member):
    complaint = journey.until("scheduled")
    with at("Mon 2026-04-20 10:00"):
        client.force_login(panel_member)
        data = {"version": complaint.version, **points(complaint), "summary": "Upheld"}
        refused(
            client,
            complaint,
            "appeal/decision",
            data,
            "The panel decides at or after the meeting, not before it.",
        )


def test_every_point_needs_the_panels_outcome(client, journey, panel_member):
    complaint = journey.until("scheduled")
    client.force_login(panel_member)
    data = {"version": complaint.version, "summary": "Upheld"}
    refused(client, complaint, "appeal/decision", data, "Choose an outcome for point 1")


def test_the_final_response_starts_the_ombudsmans_wait(client, journey, panel_member):
    complaint = journey.until("decided")
    # Sent Fri 24 April 2026 at 11:00; 8 weeks later: Fri 19 June 2026.
    with at("Fri 2026-04-24 11:00"):
        client.force_login(panel_member)
        page = text(client.get(url(complaint, "final-response")))
        assert "This is the final response" in page
        assert "Upheld in full" in page
        assert "If sent today Directly from Friday 19 June 2026 (8 weeks after the final response)" in page
        response = client.post(
            url(complaint, "final-response"), {"version": complaint.version, "method": "letter"}
        )
    assert response.status_code == 302
    # The panel member lands on the appeal decision letter, drafted, to send at once.
    letter_page = f"/work/complaints/{complaint.reference}/letters/new/appeal-decision/"
    assert response.headers["Location"] == letter_page
    assert success(response) == [
        (
            "Final response recorded: the customer may go to the Housing Ombudsman directly "
            "from Friday 19 June 2026. Check the letter below, then send it to the customer."
        )
    ]
    complaint.refresh_from_db()
    assert complaint.state == "appeal_responded"
    assert last_event(complaint).kind == EventKind.FINAL_RESPONSE


def test_the_final_response_is_in_writing(client, journey, panel_member):
    complaint = journey.until("decided")
    client.force_login(panel_member)
    data = {"version": complaint.version, "method": "phone"}
    refused(client, complaint, "final-response", data, "Select a valid choice")


# A fixed number of queries whatever the size of the case


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("route", "state"),
    [("escalate", "responded"), ("appeal/schedule", "appealed"), ("appeal/decision", "scheduled")],
)
def test_the_pages_use_a_fixed_number_of_queries(
    client, journey, org, team, senior, panel_member, route, state
):
    small = journey.until(state)
    big = journey.until(state, points=[f"Point {n}" for n in range(12)], customer=small.customer)
    client.force_login(panel_member if route == "appeal/decision" else senior)
    before = _queries(client, url(small, route))
    for n in range(8):
        make_user(f"senior{n}", Role.SENIOR_MANAGER, org, team)
        make_user(f"panel{n}", Role.PANEL_MEMBER, org, job_title="Resident")
    assert _queries(client, url(big, route)) == before
