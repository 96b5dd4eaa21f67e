"""The workspace pages for the points of an open complaint and its summary line (issue 11),
and the reviewer pickers that leave out everyone who handled stage 1 (the Code, 6.13)."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.models import EventKind
from putright.cases.services import changes, escalation
from tests.cases.helpers import at, last_event
from tests.web.helpers import make_user, text
from tests.web.test_appeal_steps import refused, success, url


@pytest.fixture
def zoe(org, team):
    return make_user("zoe", Role.SENIOR_MANAGER, org, team)


def test_officers_change_points_and_front_line_staff_the_summary(client, journey, frontline, officer):
    complaint = journey.until("accepted")
    first = complaint.points.get(number=1)
    routes = ["points/new", f"points/{first.pk}/edit", f"points/{first.pk}/split", "summary"]
    allowed = {frontline: {"summary"}, officer: set(routes)}
    for user, mine in allowed.items():
        client.force_login(user)
        for route in routes:
            expected = 200 if route in mine else 403
            assert client.get(url(complaint, route)).status_code == expected, (user.username, route)
    client.logout()
    assert client.get(url(complaint, "points/new"))["Location"].startswith("/sign-in/")


def test_the_case_page_offers_the_point_steps_until_the_stage_1_response(client, journey, officer):
    complaint = journey.until("contacted")
    first = complaint.points.get(number=1)
    client.force_login(officer)
    page = client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    assert url(complaint, "points/new") in page
    assert url(complaint, f"points/{first.pk}/edit") in page
    assert url(complaint, f"points/{first.pk}/split") in page
    assert 'Reword<span class="govuk-visually-hidden"> point 1</span>' in page

    answered = journey.until("responded")
    point = answered.points.get(number=1)
    page = client.get(f"/work/complaints/{answered.reference}/").content.decode()
    assert url(answered, "points/new") not in page
    assert url(answered, f"points/{point.pk}/edit") not in page
    # A typed-in link says why, on the case page.
    response = client.get(url(answered, "points/new"), follow=True)
    assert "a new issue is now a new complaint. Raise it as a new matter." in text(response)


def test_adding_a_point(client, journey, officer):
    complaint = journey.until("contacted")
    client.force_login(officer)
    with at("Wed 2026-03-04 10:00"):
        page = text(client.get(url(complaint, "points/new")))
        assert "Points so far The repair was not done Nobody called back" in page
        refused(
            client,
            complaint,
            "points/new",
            {"version": complaint.version, "wording": " "},
            "Say what the new point of complaint is",
        )
        response = client.post(
            url(complaint, "points/new"), {"version": complaint.version, "wording": "The damp in the bedroom"}
        )
    assert response.status_code == 302
    assert success(response) == ["Point 3 added."]
    assert last_event(complaint).summary == "Point 3 added: The damp in the bedroom"


def test_rewording_and_splitting_a_point(client, journey, officer):
    complaint = journey.until("accepted")
    first = complaint.points.get(number=1)
    client.force_login(officer)
    with at("Tue 2026-03-03 10:00"):
        page = client.get(url(complaint, f"points/{first.pk}/edit")).content.decode()
        assert "New wording of point 1" in page
        assert "The repair was not done</textarea>" in page
        response = client.post(
            url(complaint, f"points/{first.pk}/edit"),
            {"version": complaint.version, "wording": "The roof repair was cancelled twice"},
        )
        assert success(response) == ["Point 1 reworded."]
        complaint.refresh_from_db()
        page = text(client.get(url(complaint, f"points/{first.pk}/split")))
        assert "Point 1 keeps" in page
        assert "The new point 3 says" in page
        response = client.post(
            url(complaint, f"points/{first.pk}/split"),
            {"version": complaint.version, "first": "The roof repair was cancelled", "second": "Twice"},
        )
        assert client.get(url(complaint, "points/99999/edit")).status_code == 404
    assert success(response) == ["Point split: the second part is now point 3."]
    assert list(complaint.points.values_list("number", "summary")) == [
        (1, "The roof repair was cancelled"),
        (2, "Nobody called back"),
        (3, "Twice"),
    ]
    assert last_event(complaint).kind == EventKind.POINT_SPLIT


def test_a_stale_page_changes_nothing(client, journey, officer):
    complaint = journey.until("accepted")
    client.force_login(officer)
    with at("Tue 2026-03-03 10:00"):
        refused(
            client,
            complaint,
            "points/new",
            {"version": complaint.version - 1, "wording": "Late"},
            "Someone else has changed this complaint since you opened it",
        )


def test_the_summary_is_changed_at_triage(client, journey, frontline):
    complaint = journey.until("received")
    client.force_login(frontline)
    with at("Mon 2026-03-02 10:30"):
        page = text(client.get(url(complaint, "summary")))
        assert "Summary now Leaking roof not repaired" in page
        assert "At most 100 characters" in page
        refused(
            client,
            complaint,
            "summary",
            {"version": complaint.version, "summary": "x" * 101},
            "The summary must be 100 characters or fewer",
        )
        response = client.post(
            url(complaint, "summary"), {"version": complaint.version, "summary": "Roof leak"}
        )
    assert success(response) == ["Summary changed."]
    complaint.refresh_from_db()
    assert complaint.summary == "Roof leak"
    assert last_event(complaint).summary == "Summary changed from “Leaking roof not repaired” to “Roof leak”"


# The reviewer pickers


def passed_through_sam(journey, officer, senior):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 10:00"):
        changes.reassign(complaint, owner=senior, actor=senior)
    with at("Wed 2026-03-04 10:00"):
        changes.reassign(complaint, owner=officer, actor=senior)
    return complaint


def test_the_review_picker_leaves_out_everyone_who_handled_stage_1(client, journey, officer, senior, zoe):
    complaint = passed_through_sam(journey, officer, senior)
    journey.responded(complaint)
    client.force_login(officer)
    page = client.get(url(complaint, "escalate")).content.decode()
    assert f'<option value="{zoe.pk}">Zoe Staff (Senior Manager)</option>' in page
    assert f'<option value="{senior.pk}">' not in page
    assert "so not offered: Olivia Staff, who handled stage 1; Sam Staff, who handled stage 1." in text(page)


def test_at_stage_2_the_case_is_not_reassigned_to_a_stage_1_handler(client, journey, officer, senior, zoe):
    complaint = passed_through_sam(journey, officer, senior)
    journey.responded(complaint)
    with at("Fri 2026-03-13 10:00"):
        escalation.escalate(complaint, grounds=["b"], owner=zoe, actor=officer)
    complaint.refresh_from_db()
    client.force_login(zoe)
    page = client.get(url(complaint, "reassign")).content.decode()
    assert f'<option value="{senior.pk}">' not in page
    assert "Sam Staff, who handled stage 1" in text(page)
    # Posted anyway (a stale page, or a crafted request): refused with the reason.
    refused(
        client,
        complaint,
        "reassign",
        {"version": complaint.version, "owner": senior.pk},
        "Choose someone from the list",
    )
