"""The daily digest: after 07:00 on working days, once a day, to those with work who want it.

Cases (flagship policy, contact made at once, so only the response is open):
received Mon 2027-01-11 10:00 is due Mon 2027-01-25; received Tue 2027-01-12
is due Tue 2027-01-26; received Wed 2027-01-13 is due Wed 2027-01-27;
received Mon 2027-01-18 is due Mon 2027-02-01. Seen on Mon 25 January:
the first is due today, the second and third due soon (one and two working
days left), the fourth later (five left). Received Fri 2027-01-08: due Fri
2027-01-22, overdue on Mon 25.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.services import changes, responses
from putright.comms.models import DigestSent, OutboundEmail
from putright.comms.reminders.digest import send_digests
from tests.cases.helpers import at, day
from tests.conftest import _user


def digests(to: str | None = None) -> list[OutboundEmail]:
    found = OutboundEmail.objects.filter(purpose="digest").order_by("pk")
    return list(found.filter(to=[to]) if to else found)


@pytest.fixture
def monday_work(accepted):
    return {
        "overdue": accepted("Fri 2027-01-08 10:00"),
        "today": accepted("Mon 2027-01-11 10:00"),
        "soon1": accepted("Tue 2027-01-12 10:00"),
        "soon2": accepted("Wed 2027-01-13 10:00"),
        "later": accepted("Mon 2027-01-18 10:00"),
    }


@pytest.mark.django_db
def test_sent_once_after_seven_on_a_working_day(monday_work):
    with at("Mon 2027-01-25 06:45"):
        assert send_digests() == {"not_due": 1}
    with at("Mon 2027-01-25 07:00"):
        assert send_digests()["sent"] == 2  # the owner and the team lead
    for moment in ("Mon 2027-01-25 07:15", "Mon 2027-01-25 16:00"):
        with at(moment):
            send_digests()
    with at("Tue 2027-01-26 07:15"):
        send_digests()
    assert sorted(e.to[0] for e in digests()) == ["lena@example.org"] * 2 + ["olivia@example.org"] * 2
    assert (
        sorted(DigestSent.objects.values_list("day", flat=True))
        == [day("Mon 2027-01-25")] * 2 + [day("Tue 2027-01-26")] * 2
    )


@pytest.mark.django_db
def test_none_at_the_weekend_or_on_a_bank_holiday(accepted):
    accepted("Fri 2027-03-12 10:00")  # due Tue 30 Mar: soon from Wed 24 Mar
    for moment in ("Fri 2027-03-26 09:00", "Sat 2027-03-27 09:00", "Mon 2027-03-29 09:00"):
        with at(moment):
            assert send_digests() == {"not_due": 1}
    assert digests() == []
    with at("Tue 2027-03-30 07:00"):
        assert send_digests()["sent"] == 2


@pytest.mark.django_db
def test_lists_the_right_cases(monday_work):
    with at("Mon 2027-01-25 08:00"):
        send_digests()
    mine = digests("olivia@example.org")[0]
    assert mine.subject == "Your complaints for Monday 25 January 2027: 1 overdue, 1 due today, 2 due soon"
    refs = {name: complaint.reference for name, complaint in monday_work.items()}
    for body in (mine.body_text, mine.body_html):
        for name in ("overdue", "today", "soon1", "soon2"):
            assert refs[name] in body
            assert f"/work/complaints/{refs[name]}/" in body
        assert refs["later"] not in body
        assert "Leaking roof not repaired" in body and "Stage 1 response" in body
        assert "Friday 22 January 2027" in body and "Wednesday 27 January 2027" in body
        assert "You can turn this email off: " in body and "/account/emails/" in body
    assert (
        mine.body_text.index(refs["overdue"])
        < mine.body_text.index(refs["today"])
        < mine.body_text.index(refs["soon1"])
    )
    assert '<html lang="en-GB">' in mine.body_html and '<th scope="col">' in mine.body_html
    # The team lead: the team's overdue and due today, not the due soon.
    theirs = digests("lena@example.org")[0]
    assert "YOUR TEAM'S CASES" in theirs.body_text and "YOUR CASES" not in theirs.body_text
    assert refs["overdue"] in theirs.body_text and refs["today"] in theirs.body_text
    assert refs["soon1"] not in theirs.body_text


@pytest.mark.django_db
def test_not_to_those_who_turned_it_off_nor_to_those_with_nothing_to_do(monday_work, caseworker, org, team):
    caseworker.receives_daily_digest = False
    caseworker.save(update_fields=["receives_daily_digest"])
    idle = _user("ivan", Role.RESOLUTION_OFFICER, team, org)
    idle.email = "ivan@example.org"
    idle.save(update_fields=["email"])
    with at("Mon 2027-01-25 08:00"):
        result = send_digests()
    assert [e.to for e in digests()] == [["lena@example.org"]]
    assert result == {"sent": 1, "nothing_to_do": 1}
    assert not DigestSent.objects.filter(user=idle).exists()


@pytest.mark.django_db
def test_a_lead_who_owns_the_case_sees_it_once_under_their_own_cases(accepted, lead):
    theirs = accepted("Fri 2027-01-08 10:00", owner=lead)  # overdue on Mon 25
    olivias = accepted("Mon 2027-01-11 10:00")  # due today on Mon 25
    with at("Mon 2027-01-25 08:00"):
        send_digests()
    digest = digests("lena@example.org")[0]
    assert digest.subject == "Your complaints for Monday 25 January 2027: 1 overdue"
    text, html = digest.body_text, digest.body_html
    assert text.count(f"- {theirs.reference},") == 1 and html.count(f">{theirs.reference}<") == 1
    assert text.index("YOUR CASES") < text.index(theirs.reference) < text.index("YOUR TEAM'S CASES")
    assert text.index("YOUR TEAM'S CASES") < text.index(olivias.reference)
    assert "Overdue (1)" in text and "Due today (1)" in text


def _add(complaint, description, due, owner, actor):
    return responses.add_action(complaint, description=description, due_on=day(due), owner=owner, actor=actor)


@pytest.fixture
def ivan(org, team):
    """A repairs officer with actions to do and no cases of his own."""
    user = _user("ivan", Role.RESOLUTION_OFFICER, team, org)
    user.email = "ivan@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.mark.django_db
def test_agreed_actions_due_are_listed_for_their_owner(accepted, caseworker, lead, ivan):
    # Seen on Mon 25 January: due soon means by Wed 27 (Tue 26 and Wed 27 left).
    complaint = accepted("Mon 2027-01-18 10:00")  # its response is due Mon 1 Feb: not in the digest
    withdrawn = accepted("Mon 2027-01-18 10:05")
    with at("Tue 2027-01-19 10:00"):
        _add(complaint, "Send the roofer round", "Wed 2027-01-27", ivan, caseworker)
        _add(complaint, "Refund the rent for January", "Fri 2027-01-22", ivan, caseworker)
        _add(complaint, "Phone to check the repair held", "Mon 2027-01-25", ivan, caseworker)
        _add(complaint, "Replace the ceiling", "Thu 2027-01-28", ivan, caseworker)  # three days off
        done = _add(complaint, "Apologise in writing", "Fri 2027-01-22", ivan, caseworker)
        responses.complete_action(complaint, action_id=done.pk, note="Done.", actor=caseworker)
        _add(complaint, "Confirm the new gutter", "Mon 2027-01-25", None, caseworker)  # nobody's: Olivia's
        _add(withdrawn, "Clear the drain", "Fri 2027-01-22", ivan, caseworker)
        changes.withdraw(withdrawn, reason="Sorted out", actor=caseworker)
    with at("Mon 2027-01-25 08:00"):
        assert send_digests() == {"sent": 2, "nothing_to_do": 1}  # nothing for the lead
    his = digests("ivan@example.org")[0]
    assert his.subject == "Your complaints for Monday 25 January 2027: 3 actions due"
    text = his.body_text
    assert "ACTIONS DUE (3)" in text and "YOUR CASES" not in text
    lines = [line for line in text.splitlines() if line.startswith(f"- {complaint.reference}")]
    assert lines == [
        f"- {complaint.reference}, Refund the rent for January: due Friday 22 January 2027 (overdue)",
        f"- {complaint.reference}, Phone to check the repair held: due Monday 25 January 2027 (due today)",
        f"- {complaint.reference}, Send the roofer round: due Wednesday 27 January 2027 (due soon)",
    ]
    for body in (text, his.body_html):
        assert f"/work/complaints/{complaint.reference}/" in body
        for absent in (
            "Replace the ceiling",
            "Apologise in writing",
            "Clear the drain",
            "Confirm the new gutter",
        ):
            assert absent not in body
    assert "<h2>Actions due</h2>" in his.body_html and "<td>Friday 22 January 2027</td><td>Overdue</td>" in (
        his.body_html
    )
    # The action nobody was given falls to the case's owner.
    hers = digests("olivia@example.org")[0]
    assert hers.subject == "Your complaints for Monday 25 January 2027: 1 action due"
    assert "Confirm the new gutter: due Monday 25 January 2027 (due today)" in hers.body_text


def _queries(moment: str) -> int:
    with at(moment), CaptureQueriesContext(connection) as captured:
        send_digests()
    return len(captured)


@pytest.mark.django_db
def test_a_fixed_number_of_queries(accepted, caseworker, lead, org, team, ivan):
    with at("Fri 2027-01-22 08:00"):
        send_digests()  # the lease's row is made once, by the first run ever
    first = accepted("Fri 2027-01-08 10:00")
    with at("Fri 2027-01-08 11:00"):
        _add(first, "Refund the rent", "Mon 2027-01-25", caseworker, caseworker)
    few = _queries("Mon 2027-01-25 08:00")  # one owner and the lead, one case, one action
    owners = [caseworker]
    for name in ("oscar", "otto", "opal"):
        user = _user(name, Role.RESOLUTION_OFFICER, team, org)
        user.email = f"{name}@example.org"
        user.save(update_fields=["email"])
        owners.append(user)
    for n, received in enumerate(
        ["Mon 2027-01-11", "Tue 2027-01-12", "Wed 2027-01-13", "Fri 2027-01-08"] * 2
    ):
        complaint = accepted(f"{received} 11:{n:02d}", owner=owners[n % 4])
        with at(f"{received} 12:{n:02d}"):
            _add(complaint, f"Action {n}", "Tue 2027-01-26", owners[n % 4], owners[n % 4])
            _add(complaint, f"Ivan's action {n}", "Wed 2027-01-27", ivan, owners[n % 4])
    # Four owners, the lead and Ivan (actions only), nine cases, seventeen actions.
    many = _queries("Tue 2027-01-26 08:00")
    assert len(digests()) == 2 + 6
    assert "ACTIONS DUE (8)" in digests("ivan@example.org")[0].body_text
    assert many == few
