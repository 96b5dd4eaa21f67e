"""Reference data over HTTP: organisations, staff, the policy in force and the deadline calculator."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from tests.api.conftest import instant
from tests.conftest import london
from tests.procedure.flagship import FLAGSHIP_WEAKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def subsidiary(org):
    """A second company below Flagship Group, beside Victory Housing Trust."""
    from putright.accounts.models import Organisation, OrganisationKind

    return Organisation.objects.create(
        name="Flagship Homes", short_name="FH", kind=OrganisationKind.LANDLORD, parent=org.parent, homes=20000
    )


@pytest.fixture
def group_member(org):
    """A member of staff of the group itself, who sees every company below it."""
    from putright.accounts.models import Role, User

    user = User.objects.create_user(username="gary", password="x", role=Role.MANAGER)
    user.organisations.add(org.parent)
    return user


# --- Organisations -------------------------------------------------------------------------------


def test_organisations_are_only_those_the_caller_works_for_and_their_subsidiaries(
    api, officer, org, subsidiary, other_org, group_member
):
    # Olivia works for Victory Housing Trust only: not its parent, not its sister
    # company, not Suffolk Housing.
    reply = api.as_(officer).get("organisations")
    assert reply.status_code == 200
    assert [o["short_name"] for o in reply.json()] == ["VHT"]
    (vht,) = reply.json()
    assert vht == {
        "id": org.pk,
        "name": "Victory Housing Trust",
        "short_name": "VHT",
        "kind": "landlord",
        "parent": "FG",
        "acting_for": None,
        "homes": 5000,
        "nation": "england-and-wales",
    }

    # A member of the group sees the group and every company below it (sorted by name),
    # but not Suffolk Housing, which is outside it here.
    reply = api.as_(group_member).get("organisations")
    assert [o["short_name"] for o in reply.json()] == ["FG", "FH", "VHT"]


def test_an_administrator_sees_every_organisation(api, administrator, subsidiary, other_org):
    reply = api.as_(administrator).get("organisations")
    assert reply.status_code == 200
    assert [o["short_name"] for o in reply.json()] == ["FG", "FH", "SH", "VHT"]


# --- Staff ---------------------------------------------------------------------------------------


def test_users_lists_active_staff_of_the_visible_organisations(
    api, officer, second_officer, senior, frontline, other_org
):
    from putright.accounts.models import Role, User

    stranger = User.objects.create_user(username="stan", password="x", role=Role.RESOLUTION_OFFICER)
    stranger.organisations.add(other_org)
    gone = User.objects.create_user(username="gone", password="x", role=Role.RESOLUTION_OFFICER)
    gone.organisations.add(*officer.organisations.all())
    gone.is_active = False
    gone.save()

    reply = api.as_(officer).get("users")
    assert reply.status_code == 200
    people = {p["username"]: p for p in reply.json()}
    assert set(people) == {"olivia", "oscar", "sam", "fran"}
    assert people["olivia"] == {
        "username": "olivia",
        "name": "Olivia Staff",
        "role": "resolution_officer",
        "role_label": "Resolution Officer",
        "job_title": "",
        "team": "Learning and Resolution Team",
        "organisations": ["VHT"],
    }
    assert people["sam"]["role"] == "senior_manager"


def test_users_needs_the_view_staff_capability(api, frontline, panel_member):
    # Customer services and panel members do not manage staff: 403, as problem details.
    for user in (frontline, panel_member):
        reply = api.as_(user).get("users")
        assert reply.status_code == 403
        assert reply["Content-Type"] == "application/problem+json"
        assert reply.json()["type"].endswith("/forbidden")


# --- The policy ----------------------------------------------------------------------------------


def test_policy_is_the_flagship_procedure_with_its_eleven_points_weaker_than_the_code(api, officer):
    reply = api.as_(officer).get("policy")
    assert reply.status_code == 200
    policy = reply.json()
    assert policy["name"] == "Flagship Group Customer Complaints Procedure"
    assert policy["version"] == "1.2"
    assert policy["stages"] == 3
    assert policy["time_limit_months"] == 6
    assert policy["timescales"] == {
        "stage1.contact": "24 working hours from receipt",
        "stage1.response": "10 working days from receipt",
        "stage1.extension": "10 working days",
        "stage2.contact": "5 working days from request",
        "stage2.response": "20 working days from request",
        "stage2.extension": "10 working days",
        "appeal.meeting": "20 working days from request",
        "appeal.decision": "5 working days from meeting",
    }
    assert policy["ombudsman"]["name"] == "Housing Ombudsman Service"
    assert policy["ombudsman"]["phone"] == "0300 111 3000"
    assert policy["ombudsman"]["wait"] == "8 weeks"

    weaker = {p["key"]: p for p in policy["code_comparison"] if p["verdict"] == "weaker"}
    # The procedure predates the Code: it asks for a ground for a review, allows 6 months
    # not 12, has a third stage, makes the resident wait 8 weeks (or find a designated
    # person) before the Ombudsman, and, read in its words: "affecting you" (no group of
    # residents), excludes abusive behaviour, resolves informally first, makes every new
    # issue a new complaint, responds by phone without reasons per point, and prints the
    # Ombudsman's old address.
    assert set(weaker) == set(FLAGSHIP_WEAKER)
    assert weaker["eligibility.time_limit"]["policy"] == "6 months"
    assert weaker["stages"]["policy"] == "3 stages"
    assert all(set(p) >= {"title", "paragraph", "code", "policy", "note"} for p in policy["code_comparison"])
    # The points to check by hand, and the rules the policy follows, as the command gives them.
    assert [p["key"] for p in policy["check_by_hand"]][:2] == [
        "by_hand.service_requests",
        "by_hand.exclusions_explained",
    ]
    assert {p["verdict"] for p in policy["check_by_hand"]} == {"check_by_hand"}
    assert policy["rules"] == {
        "informal_resolution": True,
        "stage1.written_response": False,
        "stage1.reasons_for_each_point": False,
        "stage1.new_issues_join_open_complaint": False,
        "stage2.written_response": True,
        "stage2.reasons_for_each_point": False,
        "stage2.reasons_required": True,
        "learning.required_at_closure": True,  # issue 12: a theme and a root cause before closing
    }


def test_the_api_and_the_command_give_each_code_point_in_one_shape(api, officer):
    out = io.StringIO()
    call_command("policy", "check", "--json", stdout=out)
    command = json.loads(out.getvalue())
    policy = api.as_(officer).get("policy").json()
    assert policy["code_comparison"] == command["points"]
    assert policy["check_by_hand"] == command["check_by_hand"]
    assert policy["rules"] == command["rules"]


# --- The deadline calculator ---------------------------------------------------------------------


def test_deadlines_over_christmas_match_the_command_line(api, officer):
    # Clock started Wed 23 December 2026 at 16:30 (London, GMT), before the 17:00 cut-off.
    # Bank holidays: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan 2027.
    # Stage 1 response, 10 working days: day 0 Wed 23; Thu 24 (1), Tue 29 (2), Wed 30 (3),
    #   Thu 31 (4), Mon 4 Jan (5), Tue 5 (6), Wed 6 (7), Thu 7 (8), Fri 8 (9), Mon 11 (10)
    #   -> end of Mon 11 January 2027.
    # Stage 1 contact, 24 working hours: 7.5 hours left of Wed 23, 16.5 more of Thu 24
    #   -> Thu 24 December 16:30.
    # Stage 2 contact, 5 working days: Thu 24 (1), Tue 29 (2), Wed 30 (3), Thu 31 (4),
    #   Mon 4 Jan (5) -> end of Mon 4 January 2027.
    reply = api.as_(officer).get("deadlines", {"start": "2026-12-23T16:30"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["nation"] == "england-and-wales"
    assert instant(body["start"]) == london("2026-12-23 16:30")
    rows = {d["name"]: d for d in body["deadlines"]}
    assert rows["stage1.response"]["due_date"] == "2027-01-11"
    assert instant(rows["stage1.response"]["due_at"]) == london("2027-01-11 23:59:59")
    assert rows["stage1.response"]["rule"] == "10 working days from receipt"
    assert instant(rows["stage1.contact"]["due_at"]) == london("2026-12-24 16:30")
    assert rows["stage2.contact"]["due_date"] == "2027-01-04"

    out = io.StringIO()
    call_command("deadlines", "2026-12-23T16:30", "--json", stdout=out)
    cli = json.loads(out.getvalue())
    cli_rows = cli["deadlines"] if isinstance(cli, dict) else cli
    assert {d["name"]: d["due_date"] for d in cli_rows} == {n: d["due_date"] for n, d in rows.items()}
    assert {d["name"]: instant(d["due_at"]) for d in cli_rows} == {
        n: instant(d["due_at"]) for n, d in rows.items()
    }


@pytest.mark.parametrize("start", ["2026-13-45T10:00", "next tuesday", ""])
def test_a_malformed_start_is_a_422_naming_start(api, officer, start):
    reply = api.as_(officer).get("deadlines", {"start": start})
    assert reply.status_code == 422
    assert reply["Content-Type"] == "application/problem+json"
    problem = reply.json()
    assert problem["type"].endswith("/invalid")
    assert [e["field"] for e in problem["errors"]] == ["start"]


def test_a_missing_start_is_a_422_naming_start(api, officer):
    reply = api.as_(officer).get("deadlines")
    assert reply.status_code == 422
    assert [e["field"] for e in reply.json()["errors"]] == ["start"]


def test_a_panel_member_sees_only_complaints_that_reached_the_appeal(api, panel_member, log):
    from tests.cases.helpers import at

    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
    assert api.as_(panel_member).get(f"/api/v1/complaints/{complaint.reference}").status_code == 404
    assert api.as_(panel_member).get("/api/v1/complaints").json()["count"] == 0
    assert api.as_(panel_member).get("/api/v1/customers").status_code == 403
