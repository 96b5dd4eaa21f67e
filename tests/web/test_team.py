"""The team lead's view: each person's open, overdue and soon-due cases, and what is at risk.

"Now" is Thu 24 December 2026 at 10:00; the next two working days are Tue 29 and
Wed 30 December (Fri 25 to Mon 28 are Christmas, Boxing Day, the weekend and
the Boxing Day substitute holiday). The team's cases, by hand (see test_home):

    A  Olivia  stage1.contact Tue 22 Dec 10:00             -> overdue
    B  Olivia  stage1.contact Thu 24 Dec 11:00             -> due soon (today)
    C  Oscar   stage1.contact Tue 29 Dec 09:00             -> due soon
    E  Oscar   stage1.response end of Thu 31 Dec           -> neither
    R  Rita, of the Repairs team: overdue, but not this team's
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from putright.accounts.models import Organisation, OrganisationKind, Role, Team, User
from tests.cases.helpers import at
from tests.web.helpers import text
from tests.web.test_home import accepted

pytestmark = pytest.mark.django_db

NOW = "Thu 2026-12-24 10:00"
TEAM = "/work/team/"


@pytest.fixture
def repairs(org):
    return Team.objects.create(name="Repairs complaints", organisation=org)


@pytest.fixture
def rita(org, repairs):
    user = User.objects.create_user(
        username="rita", password="x", first_name="Rita", last_name="Repairs", role=Role.RESOLUTION_OFFICER
    )
    user.team = repairs
    user.save()
    user.organisations.add(org)
    return user


@pytest.fixture
def cases(log, officer, second_officer, rita):
    return {
        "A": accepted(log, officer, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary="Case A"),
        "B": accepted(log, officer, "2026-12-23 11:00", "Wed 2026-12-23 12:00", summary="Case B"),
        "C": accepted(log, second_officer, "2026-12-24 09:00", "Thu 2026-12-24 09:30", summary="Case C"),
        "E": accepted(
            log, second_officer, "2026-12-15 10:00", "Tue 2026-12-15 12:00", contacted=True, summary="Case E"
        ),
        "R": accepted(log, rita, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary="Case R"),
    }


def page(client, user, params=None):
    with at(NOW):
        client.force_login(user)
        return client.get(TEAM, params or {})


def html_of(client, user, params=None) -> str:
    reply = page(client, user, params)
    assert reply.status_code == 200
    return reply.content.decode()


def row_of(html: str, name: str) -> list[str]:
    """The cells of the workload table's row for a person: [name, open, overdue, soon]."""
    table = html[html.index("Workload by person") : html.index('id="at-risk"')]
    for row in table.split('<tr class="govuk-table__row">')[2:]:
        cells = [text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == name:
            return [cells[0], *(c.split()[0] for c in cells[1:4])]
    raise AssertionError(f"no row for {name}")


def reassign_exists() -> bool:
    try:
        reverse("web:step-reassign", kwargs={"reference": "PR-000000"})
    except NoReverseMatch:
        return False
    return True


def test_signing_in_is_needed(client):
    reply = client.get(TEAM)
    assert reply.status_code == 302 and "/sign-in/" in reply["Location"]


@pytest.mark.parametrize("role", [Role.PANEL_MEMBER, Role.CUSTOMER_SERVICES])
def test_roles_without_the_staff_view_are_refused(client, org, team, role):
    user = User.objects.create_user(username="someone", password="x", role=role, team=team)
    user.organisations.add(org)
    assert page(client, user).status_code == 403


def test_each_persons_workload(client, officer, senior, cases):
    html = html_of(client, officer)
    assert '<h1 class="govuk-heading-l">Learning and Resolution Team: workload</h1>' in html
    assert row_of(html, "Olivia Staff") == ["Olivia Staff", "2", "1", "1"]
    assert row_of(html, "Oscar Staff") == ["Oscar Staff", "2", "0", "1"]
    assert row_of(html, "Sam Staff") == ["Sam Staff", "0", "0", "0"]
    assert "Rita Repairs" not in html
    assert "4 open cases" in text(html) and "1 overdue" in text(html)
    assert "2 due in the next 2 working days" in text(html)


def test_overdue_and_at_risk_cases_soonest_first_with_their_owner(client, officer, cases):
    html = html_of(client, officer)
    at_risk = text(html[html.index('id="at-risk"') :])
    refs = {letter: c.reference for letter, c in cases.items()}
    assert [letter for letter in "ABCER" if refs[letter] in at_risk] == ["A", "B", "C"]
    assert at_risk.index(refs["A"]) < at_risk.index(refs["B"]) < at_risk.index(refs["C"])
    assert "Overdue Stage 1 first contact Tuesday 22 December 2026 at 10:00" in at_risk
    assert "Olivia Staff" in at_risk and "Oscar Staff" in at_risk


def test_reassignment_is_offered_only_where_the_page_exists_and_the_role_allows(
    client, org, team, officer, cases
):
    html = html_of(client, officer)
    reference = cases["A"].reference
    offered = f"/work/complaints/{reference}/" in html and ">Reassign<" in html
    assert offered is reassign_exists()
    manager = User.objects.create_user(username="mo", password="x", role=Role.MANAGER, team=team)
    manager.organisations.add(org)
    assert ">Reassign<" not in html_of(client, manager), "a manager sees the workload but does not reassign"


def test_an_officer_sees_only_their_own_team(client, officer, repairs, cases):
    html = html_of(client, officer)
    assert 'id="team-choice"' not in html
    assert page(client, officer, {"team": repairs.pk}).status_code == 404


def test_a_team_lead_sees_the_teams_they_lead(client, officer, repairs, cases):
    repairs.lead = officer
    repairs.save()
    html = html_of(client, officer, {"team": repairs.pk})
    assert "Repairs complaints: workload" in html
    assert row_of(html, "Rita Repairs") == ["Rita Repairs", "1", "1", "0"]
    assert 'id="team-choice"' in html


def test_a_senior_manager_sees_every_team_of_their_organisations_only(client, senior, repairs, cases):
    html = html_of(client, senior)
    assert "Learning and Resolution Team: workload" in html
    assert f'<option value="{repairs.pk}">' in html
    elsewhere = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    theirs = Team.objects.create(name="Suffolk team", organisation=elsewhere)
    assert page(client, senior, {"team": theirs.pk}).status_code == 404
    assert page(client, senior, {"team": "x"}).status_code == 404


def test_someone_in_no_team_is_told_so(client, org):
    lead = User.objects.create_user(username="lee", password="x", role=Role.SAFEGUARDING_LEAD)
    lead.organisations.add(org)
    assert "You are not in a team and do not lead one" in html_of(client, lead)


def _queries(client, user) -> int:
    with at(NOW):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(TEAM).status_code == 200
    return len(queries)


def test_the_page_reads_the_same_number_of_queries_for_two_cases_or_twenty(
    client, log, officer, second_officer
):
    def make(count: int) -> None:
        for n in range(count):
            owner = officer if n % 2 else second_officer
            accepted(log, owner, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary=f"Case {n}")

    make(2)
    few = _queries(client, officer)
    make(18)
    assert _queries(client, officer) == few
