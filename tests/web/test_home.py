"""My work: my open cases set apart by when they fall due, my team's queue, triage and actions.

"Now" is Thu 24 December 2026 at 10:00, the last working day before Christmas in
England: Fri 25 (Christmas Day), Sat 26 (Boxing Day), Sun 27 and Mon 28 (the
Boxing Day substitute holiday) are not working days. The next two working days
are Tue 29 and Wed 30 December, so "due in the next 2 working days" means by the
end of Wed 30 December. Olivia's cases, by hand:

    A  received Mon 21 Dec 10:00, no contact yet: stage1.contact (24 working hours)
       Mon 10:00 -> midnight is 14h, 10h more -> Tue 22 Dec 10:00          -> Overdue
    B  received Wed 23 Dec 11:00: contact, 13h to midnight, 11h more
       -> Thu 24 Dec 11:00                                                  -> Due today
    C  received Thu 24 Dec 09:00: contact, 15h to midnight, then 9h of the next
       working day (Tue 29; Fri 25 to Mon 28 are holidays or the weekend)
       -> Tue 29 Dec 09:00                                                  -> Due soon
    D  received Mon 14 Dec 10:00, contacted at once: stage1.response (10 working days):
       Tue 15 (1) Wed 16 (2) Thu 17 (3) Fri 18 (4) Mon 21 (5) Tue 22 (6)
       Wed 23 (7) Thu 24 (8) Tue 29 (9) Wed 30 (10) -> end of Wed 30 Dec     -> Due soon
    E  received Tue 15 Dec 10:00, contacted at once: one working day later
       -> end of Thu 31 Dec                                                 -> Later

Oscar (same team) owns G; H waits for triage; S belongs to another landlord.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role, Team, User
from putright.cases.models import Complaint, PolicyRecord
from putright.cases.selectors import workload
from putright.cases.services import changes, investigation, responses, triage
from tests.cases.helpers import at
from tests.web.helpers import text

pytestmark = pytest.mark.django_db

NOW = "Thu 2026-12-24 10:00"
HOME = "/work/"


def section(html: str, id_: str) -> str:
    """The visible text of the <section> with this id."""
    start = html.rindex("<", 0, html.index(f'id="{id_}"'))
    return text(html[start : html.index("</section>", start)])


def home(client, user) -> str:
    with at(NOW):
        client.force_login(user)  # A session lasts a working day: sign in on the day.
        reply = client.get(HOME)
    assert reply.status_code == 200
    return reply.content.decode()


def accepted(log, owner, received: str, accepted_at: str, *, contacted: bool = False, **fields):
    with at(accepted_at):
        complaint = log(received, **fields)
        triage.accept(complaint, owner=owner, actor=owner, reasoning="Meets the definition.")
        if contacted:
            investigation.record_contact(complaint, method="phone", summary="Called", actor=owner)
    return complaint


@pytest.fixture
def cases(log, officer, second_officer, elsewhere):
    made = {
        "A": accepted(log, officer, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary="Case A roof"),
        "B": accepted(log, officer, "2026-12-23 11:00", "Wed 2026-12-23 12:00", summary="Case B boiler"),
        "C": accepted(log, officer, "2026-12-24 09:00", "Thu 2026-12-24 09:30", summary="Case C fence"),
        "D": accepted(
            log, officer, "2026-12-14 10:00", "Mon 2026-12-14 12:00", contacted=True, summary="Case D damp"
        ),
        "E": accepted(
            log, officer, "2026-12-15 10:00", "Tue 2026-12-15 12:00", contacted=True, summary="Case E gate"
        ),
        "G": accepted(
            log, second_officer, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary="Case G oscar"
        ),
    }
    with at("Tue 2026-12-22 10:30"):
        made["H"] = log("2026-12-22 10:00", summary="Case H untriaged")
        org, customer = elsewhere
        made["S"] = log("2026-12-22 10:00", organisation=org, customer=customer, summary="Case S elsewhere")
    with at("Mon 2026-12-14 12:30"):
        responses.add_action(
            made["D"],
            description="Send a damp surveyor",
            due_on=dt.date(2026, 12, 23),
            owner=officer,
            actor=officer,
        )
    with at("Mon 2026-12-21 12:00"):
        responses.add_action(
            made["G"],
            description="Check the fence panels",
            due_on=dt.date(2026, 12, 31),
            owner=officer,
            actor=officer,
        )
        responses.add_action(
            made["G"],
            description="Oscar's own action",
            due_on=dt.date(2026, 12, 29),
            owner=second_officer,
            actor=officer,
        )
    return made


def test_signing_in_is_needed(client):
    reply = client.get(HOME)
    assert reply.status_code == 302
    assert reply["Location"].startswith(reverse("web:sign-in"))


def test_a_panel_member_sees_no_triage_and_no_case_before_the_appeal(client, org, team, cases):
    panel = User.objects.create_user(username="pat", password="x", role=Role.PANEL_MEMBER, team=team)
    panel.organisations.add(org)
    html = home(client, panel)
    assert 'id="triage"' not in html
    for complaint in cases.values():
        assert complaint.reference not in html


def test_my_cases_are_grouped_by_when_they_fall_due_around_christmas(client, officer, cases):
    html = home(client, officer)
    ref = {letter: c.reference for letter, c in cases.items()}

    overdue = section(html, "due-overdue")
    assert overdue.startswith("Overdue (1)")
    assert ref["A"] in overdue and "Stage 1 first contact" in overdue
    assert "Tuesday 22 December 2026 at 10:00" in overdue

    today = section(html, "due-today")
    assert today.startswith("Due today (1)")
    assert ref["B"] in today and "Thursday 24 December 2026 at 11:00" in today

    soon = section(html, "due-soon")
    assert soon.startswith("Due in the next 2 working days (2)")
    assert ref["C"] in soon and "Tuesday 29 December 2026 at 09:00" in soon
    assert ref["D"] in soon and "Stage 1 response" in soon and "Wednesday 30 December 2026" in soon
    assert soon.index(ref["C"]) < soon.index(ref["D"]), "soonest first"

    later = section(html, "due-later")
    assert later.startswith("Later (1)")
    assert ref["E"] in later and "Thursday 31 December 2026" in later

    mine = text(html[html.index('id="my-cases"') : html.index('id="team-queue"')])
    assert "You have 5 open cases" in mine
    for letter in "GHS":
        assert ref[letter] not in mine


def test_a_page_of_my_cases_is_shown_and_each_group_counts_all_of_them(client, officer, cases, monkeypatch):
    """issue 16, overhead: the first page of my cases by deadline (not hundreds of rows), with each
    group's count of all my cases and a link to the rest."""
    monkeypatch.setattr(workload, "MY_CASES_SHOWN", 2)
    html = home(client, officer)
    ref = {letter: c.reference for letter, c in cases.items()}

    mine = text(html[html.index('id="my-cases"') : html.index('id="team-queue"')])
    assert "You have 5 open cases" in mine and "Showing the first 2" in mine
    assert "Overdue: 1" in mine and "Due today: 1" in mine
    assert "Due in the next 2 working days: 2" in mine and "Later: 1" in mine
    assert ref["A"] in mine and ref["B"] in mine, "soonest first"
    for letter in "CDE":
        assert ref[letter] not in mine

    soon = section(html, "due-soon")
    assert soon.startswith("Due in the next 2 working days (2)")
    assert "Not shown here, after the first 2: see all your open cases" in soon
    assert section(html, "due-later").startswith("Later (1)")
    assert html.count('href="/work/complaints/?owner=olivia&amp;state=open"') >= 3


def test_due_soon_is_counted_on_the_calendar_of_the_policy_the_case_was_opened_under(client, officer, cases):
    """Case E is due at the end of Thu 31 December: 3 working days away on the policy in force,
    but 2 under the policy it was opened under, which closes the office on Tue 29 December.
    My work and the case page both say "due soon" (2 working days left), as the case's policy does."""
    record = cases["E"].policy
    closed = PolicyRecord.objects.create(
        name=record.name,
        version=f"{record.version}-closed",
        approved_on=record.approved_on,
        digest="closed-29-december",
        text=record.text.replace("closure_days = []", "closure_days = [2026-12-29]"),
    )
    Complaint.objects.filter(pk=cases["E"].pk).update(policy=closed)

    html = home(client, officer)
    assert cases["E"].reference in section(html, "due-soon")
    assert cases["E"].reference not in section(html, "due-later")
    with at(NOW):
        page = text(client.get(reverse("web:case", args=[cases["E"].reference])))
    assert "Stage 1 response Thursday 31 December 2026 2 working days left" in page


def test_the_tags_say_overdue_and_due_today_in_words(client, officer, cases):
    html = home(client, officer)
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--orange">Due today</strong>' in html
    assert "pr-due-group--overdue" in html


def test_my_team_queue_triage_and_actions(client, officer, cases):
    html = home(client, officer)
    ref = {letter: c.reference for letter, c in cases.items()}

    queue = text(html[html.index('id="team-queue"') : html.index('id="triage"')])
    assert ref["G"] in queue and "Oscar Staff" in queue
    assert ref["A"] not in queue, "my own cases are above, not in the team's queue"
    assert "See all 6 open cases of your team , yours included." in queue

    triage_text = text(html[html.index('id="triage"') : html.index('id="actions"')])
    assert ref["H"] in triage_text
    assert ref["S"] not in triage_text, "another landlord's complaint is never shown"

    actions = text(html[html.index('id="actions"') :])
    assert "Send a damp surveyor" in actions and "Wednesday 23 December 2026 Overdue" in actions
    assert "Check the fence panels" in actions, "an action I own on someone else's case"
    assert "Oscar's own action" not in actions
    assert actions.index("Send a damp surveyor") < actions.index("Check the fence panels")


def test_the_team_count_is_the_number_its_link_lists(client, log, org, team, officer, second_officer, cases):
    """A team's cases are those given to the team and those its members own, mine included:
    the home page counts them as the complaint list behind its link does."""
    repairs = Team.objects.create(name="Repairs", organisation=org)
    rita = User.objects.create_user(username="rita", password="x", role=Role.RESOLUTION_OFFICER, team=repairs)
    rita.organisations.add(org)
    with at("Tue 2026-12-22 11:00"):
        lent = accepted(log, second_officer, "2026-12-22 10:00", "Tue 2026-12-22 10:30")
        changes.reassign(lent, owner=second_officer, team=repairs, actor=second_officer)
        borrowed = accepted(log, rita, "2026-12-22 10:00", "Tue 2026-12-22 10:30")
        changes.reassign(borrowed, owner=rita, team=team, actor=rita)
        accepted(log, rita, "2026-12-22 10:00", "Tue 2026-12-22 10:30", summary="Not ours")

    html = home(client, officer)
    queue = text(html[html.index('id="team-queue"') : html.index('id="triage"')])
    assert lent.reference in queue, "owned by a member of my team, though given to another team"
    assert borrowed.reference in queue, "given to my team, though owned by someone of another"
    assert "See all 8 open cases of your team" in queue
    link = re.search(r'href="([^"]+)">See all', html).group(1).replace("&amp;", "&")
    with at(NOW):
        listed = text(client.get(link).content.decode())
    assert "8 complaints" in listed
    assert "Not ours" not in listed


def test_triage_is_only_offered_to_roles_that_triage(client, org, team, cases):
    manager = User.objects.create_user(username="mo", password="x", role=Role.MANAGER, team=team)
    manager.organisations.add(org)
    html = home(client, manager)
    assert 'id="triage"' not in html
    assert "You have no open cases" in html


def test_empty_states_say_what_to_expect(client, org):
    loner = User.objects.create_user(username="lone", password="x", role=Role.RESOLUTION_OFFICER)
    loner.organisations.add(org)
    html = home(client, loner)
    assert "You have no open cases. Cases appear here when they are assigned to you." in text(html)
    assert "You are not in a team" in text(html)
    assert "No complaints are waiting for triage." in text(html)
    assert "No actions are due from you or on your cases." in text(html)


def _make_many(log, officer, second_officer, count: int) -> None:
    for n in range(count):
        complaint = accepted(log, officer, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary=f"Mine {n}")
        with at("Mon 2026-12-21 11:30"):
            responses.add_action(
                complaint, description=f"Do {n}", due_on=dt.date(2026, 12, 30), owner=officer, actor=officer
            )
        accepted(log, second_officer, "2026-12-21 10:00", "Mon 2026-12-21 11:00", summary=f"Theirs {n}")
        with at("Mon 2026-12-21 12:00"):
            log("2026-12-21 12:00", summary=f"Untriaged {n}")


def _queries(client, officer) -> int:
    with at(NOW):
        client.force_login(officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_page_reads_the_same_number_of_queries_for_two_cases_or_twenty(
    client, log, officer, second_officer
):
    _make_many(log, officer, second_officer, 2)
    few = _queries(client, officer)
    _make_many(log, officer, second_officer, 18)
    many = _queries(client, officer)
    assert few == many
    assert many <= 16
