"""The open work the sweep and the digest share: which deadlines and actions are open, and who
is told about each (``cases.selectors.open_work``)."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role, Team
from putright.cases.models import Complaint
from putright.cases.selectors.open_work import open_actions, open_deadlines
from putright.cases.services import changes, responses
from tests.cases.helpers import at, day, end_of
from tests.conftest import _user


def _leads() -> dict[str, int | None]:
    found = open_deadlines(end_of("Fri 2027-12-31")).values_list("complaint__summary", "lead_id")
    return dict(found)


@pytest.mark.django_db
def test_the_team_lead_is_the_case_teams_else_the_owners_teams(accepted, caseworker, lead, org):
    other_lead = _user("larry", Role.SENIOR_MANAGER, None, org)
    led = Team.objects.create(name="Repairs", organisation=org, lead=other_lead)
    leaderless = Team.objects.create(name="Estates", organisation=org)
    cases = {
        "own team": accepted("Mon 2027-01-11 10:00", summary="own team"),
        "led team": accepted("Mon 2027-01-11 10:01", summary="led team"),
        "leaderless team": accepted("Mon 2027-01-11 10:02", summary="leaderless team"),
        "no team": accepted("Mon 2027-01-11 10:03", summary="no team"),
    }
    Complaint.objects.filter(pk=cases["led team"].pk).update(team=led)
    Complaint.objects.filter(pk=cases["leaderless team"].pk).update(team=leaderless)
    Complaint.objects.filter(pk=cases["no team"].pk).update(team=None)
    assert _leads() == {
        "own team": lead.pk,
        "led team": other_lead.pk,
        "leaderless team": lead.pk,  # the case's team has no lead: the owner's team's lead
        "no team": lead.pk,
    }


@pytest.mark.django_db
def test_open_actions_of_open_cases_by_their_date_told_to_the_owner_else_the_cases(
    accepted, caseworker, lead, org, team
):
    doer = _user("dan", Role.RESOLUTION_OFFICER, team, org)
    complaint = accepted("Mon 2027-01-11 10:00")
    withdrawn = accepted("Mon 2027-01-11 10:05")
    with at("Tue 2027-01-12 10:00"):
        for text, due, owner in (
            ("Dan's", "Fri 2027-01-22", doer),
            ("Nobody's", "Fri 2027-01-22", None),
            ("Later", "Mon 2027-02-01", doer),
        ):
            responses.add_action(complaint, description=text, due_on=day(due), owner=owner, actor=caseworker)
        done = responses.add_action(
            complaint, description="Done", due_on=day("Fri 2027-01-22"), owner=doer, actor=caseworker
        )
        responses.complete_action(complaint, action_id=done.pk, note="Done.", actor=caseworker)
        responses.add_action(
            withdrawn, description="Withdrawn", due_on=day("Fri 2027-01-22"), owner=doer, actor=caseworker
        )
        changes.withdraw(withdrawn, reason="Sorted out", actor=caseworker)
    found = open_actions(day("Fri 2027-01-29")).order_by("pk").values_list("description", "to_tell_id")
    assert list(found) == [("Dan's", doer.pk), ("Nobody's", caseworker.pk)]
