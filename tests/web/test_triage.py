"""Triage from the workspace: the questions to answer, and each outcome with what it records."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role
from putright.cases.models import Complaint, EventKind, Point, copied_from
from putright.cases.services.intake import log_complaint
from tests.cases.helpers import at, last_event, on, snapshot
from tests.conftest import _user, london
from tests.web.helpers import text as page_text

STEPS = ["accept", "resolve-informally", "not-accept"]


def url(step: str, complaint: Complaint) -> str:
    return reverse(f"web:step-{step}", args=[complaint.reference])


def text(response) -> str:
    """The page's main content as words, for what a caseworker reads."""
    return page_text(response, main_only=True)


def errors(response) -> list[str]:
    page = response.content.decode()
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", i)).strip() for i in re.findall(r"<li>(.*?)</li>", summary, re.S)
    ]


@pytest.fixture
def complaint(log):
    with at("Mon 2026-11-16 10:05"):
        return log("2026-11-16 10:00", matter_date=on("Mon 2026-11-02 00:00").date())


@pytest.fixture
def their_case(elsewhere):
    """A complaint of another landlord, which the fixture staff cannot see."""
    other, someone = elsewhere
    return log_complaint(
        organisation=other,
        customer=someone,
        channel="email",
        received_at=london("2026-11-16 09:00"),
        summary="Elsewhere",
        description="Not ours",
        category="service_failure",
    )


# Who may open them


@pytest.mark.parametrize("step", STEPS)
def test_signing_in_comes_first(client, complaint, step):
    response = client.get(url(step, complaint))
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


@pytest.mark.parametrize("step", STEPS)
def test_a_manager_may_read_the_case_but_not_triage_it(client, org, complaint, step):
    client.force_login(_user("morgan", Role.MANAGER, org=org))
    assert client.get(reverse("web:case", args=[complaint.reference])).status_code == 200
    assert client.get(url(step, complaint)).status_code == 403
    assert client.post(url(step, complaint), {"version": complaint.version}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).state == "received"


@pytest.mark.parametrize("step", STEPS)
def test_a_panel_member_does_not_triage(client, org, complaint, step):
    client.force_login(_user("penny", Role.PANEL_MEMBER, org=org))
    # A panel member sees only complaints that reached the appeal: one in triage is not there for them.
    assert client.get(url(step, complaint)).status_code == 404
    Complaint.objects.filter(pk=complaint.pk).update(stage=3)
    assert client.get(url(step, complaint)).status_code == 403
    assert client.post(url(step, complaint), {"version": complaint.version}).status_code == 403


@pytest.mark.parametrize("step", STEPS)
def test_a_case_outside_my_organisations_is_not_found(client, officer, their_case, step):
    client.force_login(officer)
    assert client.get(url(step, their_case)).status_code == 404
    assert client.post(url(step, their_case), {"version": their_case.version}).status_code == 404


# The questions


def test_the_triage_page_shows_the_complaint_and_the_questions_to_answer(client, officer, complaint):
    client.force_login(officer)
    page = text(client.get(url("accept", complaint)))

    assert "Summary Leaking roof not repaired" in page
    assert "Received Monday 16 November 2026 at 10:00, by phone" in page
    assert "The matter happened Monday 2 November 2026" in page
    # issue 12: each point links to its learning (front line can theme a point at triage).
    assert (
        "The repair was not done Record learning on point 1 Nobody called back Record learning on point 2"
        in page
    )
    # The policy's definition, and the leaflet's exclusions as questions with its words.
    assert "An expression of dissatisfaction, however made, about the standard of service" in page
    assert "Is the customer asking for a service for the first time? You are requesting a service" in page
    assert "Is it about a neighbour or another resident?" in page
    assert "Signpost to: Anti-social behaviour team" in page
    assert "Did the customer wait more than 6 months before complaining?" in page
    # What the customer will be told, with the dates the procedure promises, counted from receipt:
    # contact 24 working hours from Mon 16 Nov 10:00 -> Tue 17 Nov 10:00; response 10 working days
    # -> end of Mon 30 November.
    assert (
        "If accepted at stage 1 Their complaint is accepted at stage 1: a Resolution Officer will "
        "contact them by Tuesday 17 November 2026 at 10:00 and respond by Monday 30 November 2026." in page
    )
    assert "If not accepted Why their complaint will not be considered" in page


@pytest.mark.parametrize(
    ("received", "words"),
    [
        (
            "2026-09-02 16:00",
            (
                "In time The matter happened on Monday 2 March 2026; the complaint arrived on Wednesday "
                "2 September 2026: within the 6-month limit (until Wednesday 2 September 2026)."
            ),
        ),
        (
            "2026-09-03 09:00",
            (
                "Out of time The matter happened on Monday 2 March 2026; the complaint arrived on Thursday "
                "3 September 2026: outside the 6-month limit (it ended on Wednesday 2 September 2026) "
                "unless there is a good reason for the delay."
            ),
        ),
    ],
)
def test_the_six_month_limit_is_worked_out_from_the_dates(client, officer, log, received, words):
    late = log(received, matter_date=on("Mon 2026-03-02 00:00").date())
    client.force_login(officer)
    assert words in text(client.get(url("not-accept", late)))


def test_the_limit_runs_from_when_the_customer_became_aware(client, officer, log):
    late = log(
        "2026-09-03 09:00",
        matter_date=on("Sat 2026-01-10 00:00").date(),
        became_aware_on=on("Mon 2026-06-01 00:00").date(),
    )
    client.force_login(officer)
    assert (
        "The matter happened on Saturday 10 January 2026; the customer became aware of it on Monday 1 June "
        "2026; the complaint arrived on Thursday 3 September 2026: within the 6-month limit from when they "
        "became aware (until Tuesday 1 December 2026)." in text(client.get(url("accept", late)))
    )


def test_a_missing_matter_date_is_said(client, officer, log):
    undated = log("2026-11-16 10:00")
    client.force_login(officer)
    assert "Dates missing When the matter happened is not recorded" in text(
        client.get(url("accept", undated))
    )


# Accept


def test_an_officer_accepts_at_stage_1_owning_it_by_default(client, officer, second_officer, complaint):
    client.force_login(officer)
    form = client.get(url("accept", complaint)).context["form"]
    assert form["owner"].value() == officer.pk

    response = client.post(
        url("accept", complaint),
        {"version": complaint.version, "owner": officer.pk, "reasoning": "A complaint about a repair."},
    )

    assert response.status_code == 302
    assert response.url == reverse("web:case", args=[complaint.reference])
    complaint.refresh_from_db()
    assert (complaint.state, complaint.stage, complaint.owner, complaint.team) == (
        "stage1",
        1,
        officer,
        officer.team,
    )
    assert last_event(complaint).kind == EventKind.ACCEPTED
    page = client.get(response.url).content.decode()
    assert f"{complaint.reference} accepted at stage 1 and assigned to Olivia Staff." in page


def test_front_line_staff_accept_for_the_team_lead_by_default(
    client, frontline, officer, second_officer, team, complaint
):
    team.lead = second_officer
    team.save()
    client.force_login(frontline)
    form = client.get(url("accept", complaint)).context["form"]
    offered = [label for _, label in form.fields["owner"].choices]
    assert form["owner"].value() == second_officer.pk
    assert "Olivia Staff (Resolution Officer, Learning and Resolution Team)" in offered
    assert not any("Fran" in label for label in offered)  # front-line staff do not own stage 1

    client.post(
        url("accept", complaint),
        {
            "version": complaint.version,
            "owner": second_officer.pk,
            "reasoning": "A complaint about a repair.",
        },
    )
    complaint.refresh_from_db()
    assert complaint.owner == second_officer
    assert last_event(complaint).actor == frontline


def test_an_owner_who_cannot_take_stage_1_is_refused(client, frontline, officer, complaint):
    client.force_login(officer)
    before = snapshot(complaint)
    response = client.post(
        url("accept", complaint),
        {"version": complaint.version, "owner": frontline.pk, "reasoning": "A complaint about a repair."},
    )
    assert response.status_code == 400
    assert errors(response) == ["Choose someone from the list: a Resolution Officer of this organisation"]
    assert snapshot(complaint) == before


def test_a_stale_version_is_refused_with_the_reason_shown(client, officer, complaint):
    client.force_login(officer)
    before = snapshot(complaint)
    response = client.post(
        url("accept", complaint),
        {"version": complaint.version - 1 or 99, "owner": officer.pk, "reasoning": "A complaint."},
    )
    assert response.status_code == 400
    assert errors(response)[0].startswith("Someone else has changed this complaint since you opened it")
    assert snapshot(complaint) == before


def test_a_step_the_procedure_no_longer_allows_is_refused(client, officer, complaint):
    client.force_login(officer)
    client.post(
        url("accept", complaint),
        {"version": complaint.version, "owner": officer.pk, "reasoning": "A complaint about a repair."},
    )
    complaint.refresh_from_db()
    before = snapshot(complaint)
    response = client.post(
        url("resolve-informally", complaint), {"version": complaint.version, "done": "Fixed", "told": "Fixed"}
    )
    assert response.status_code == 400
    assert len(errors(response)) == 1
    assert snapshot(complaint) == before


# Resolve informally


def test_front_line_staff_resolve_informally_recording_what_was_done_and_said(client, frontline, complaint):
    client.force_login(frontline)
    response = client.post(
        url("resolve-informally", complaint),
        {
            "version": complaint.version,
            "done": "Booked the roofer for tomorrow morning.",
            "told": "The roofer comes at 9am; call us if not.",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == "resolved_informally"
    assert complaint.triage_note == (
        "Booked the roofer for tomorrow morning.\n\n"
        "The customer was told: The roofer comes at 9am; call us if not."
    )
    assert last_event(complaint).kind == EventKind.RESOLVED_INFORMALLY


def test_resolving_informally_needs_both_answers(client, frontline, complaint):
    client.force_login(frontline)
    response = client.post(url("resolve-informally", complaint), {"version": complaint.version})
    assert errors(response) == ["Enter what was done to put it right", "Enter what the customer was told"]
    assert Complaint.objects.get(pk=complaint.pk).state == "received"


# Not accept


def test_not_accepted_as_anti_social_behaviour_is_signposted_from_the_policy(client, frontline, complaint):
    client.force_login(frontline)
    page = text(client.get(url("not-accept", complaint)))
    # Each reason says where the policy sends the customer for it.
    assert "(this is dealt with as Anti-Social Behaviour) Signposted to Anti-social behaviour team" in page
    assert "Signposted to Repairs" in page

    response = client.post(
        url("not-accept", complaint),
        {
            "version": complaint.version,
            "reason": "neighbour_or_asb",
            "signposted_to": "",
            "explanation": "Noise from next door is dealt with by our anti-social behaviour team.",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.state, complaint.exclusion_reason, complaint.signposted_to) == (
        "not_accepted",
        "neighbour_or_asb",
        "Anti-social behaviour team",
    )
    assert complaint.triage_note == "Noise from next door is dealt with by our anti-social behaviour team."
    event = last_event(complaint)
    assert event.kind == EventKind.NOT_ACCEPTED
    assert event.data["signposted_to"] == "Anti-social behaviour team"


def test_the_signposting_can_be_changed(client, frontline, complaint):
    client.force_login(frontline)
    client.post(
        url("not-accept", complaint),
        {
            "version": complaint.version,
            "reason": "first_request_for_service",
            "signposted_to": "Repairs line, 0800 371 860",
            "explanation": "This is a first request for a repair.",
        },
    )
    assert Complaint.objects.get(pk=complaint.pk).signposted_to == "Repairs line, 0800 371 860"


def test_a_duplicate_names_the_complaint_it_repeats(client, frontline, log, complaint):
    original = log("2026-11-10 10:00")
    client.force_login(frontline)
    data = {"version": complaint.version, "reason": "duplicate", "explanation": "Already being dealt with."}

    missing = client.post(url("not-accept", complaint), data)
    assert errors(missing) == ["Enter the reference of the complaint this one repeats"]
    unknown = client.post(url("not-accept", complaint), {**data, "duplicate_of": "PR-ZZZZZZ"})
    assert errors(unknown) == [
        "There is no complaint PR-ZZZZZZ of Victory Housing Trust: check the reference"
    ]
    assert Complaint.objects.get(pk=complaint.pk).state == "received"

    client.post(url("not-accept", complaint), {**data, "duplicate_of": original.reference.lower()})
    complaint.refresh_from_db()
    assert (complaint.state, complaint.duplicate_of) == ("not_accepted", original)
    assert last_event(complaint).data["duplicate_of"] == original.reference


def test_out_of_time_is_refused_for_a_complaint_within_the_limit(client, frontline, complaint):
    client.force_login(frontline)
    before = snapshot(complaint)
    response = client.post(
        url("not-accept", complaint),
        {"version": complaint.version, "reason": "out_of_time", "explanation": "Too late."},
    )
    assert errors(response) == [
        (
            "The complaint is within the 6-month limit: the matter was on 2 November 2026 and the limit "
            "runs to 2 May 2027."
        )
    ]
    assert snapshot(complaint) == before


def test_not_accepting_needs_a_reason_and_an_explanation(client, frontline, complaint):
    client.force_login(frontline)
    response = client.post(url("not-accept", complaint), {"version": complaint.version})
    assert errors(response) == [
        "Choose why the complaint will not be considered",
        "Enter what the customer will be told",
    ]


# A fixed number of queries


def test_the_triage_page_uses_the_same_number_of_queries_whatever_the_case_holds(
    client, org, team, officer, complaint
):
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("accept", complaint)).status_code == 200
        return len(captured)

    few = queries()
    Point.objects.bulk_create(
        Point(complaint=complaint, number=n, summary=f"Point {n}", **copied_from(complaint))
        for n in range(3, 13)
    )
    for n in range(5):
        _user(f"officer{n}", Role.RESOLUTION_OFFICER, team, org)
    assert queries() == few
