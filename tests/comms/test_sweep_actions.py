"""The sweep and overdue agreed actions: who is told, when, once per date, and never to nobody.

Dates are worked out by hand on the flagship policy (England and Wales). A
complaint received Mon 2027-03-01 10:00 is answered at stage 1 on Mon 15 March
(inside its ten working days: Tue 2 ... Fri 5 are 1-4, Mon 8 ... Fri 12 are
5-9, Mon 15 is 10), so that no deadline of its own is open to remind about,
and the response agrees an action due Thu 25 March 2027.

The action is due by the end of Thu 25 March and overdue from Fri 26 00:00.
But Fri 26 March is Good Friday, Sat 27 and Sun 28 are the weekend and Mon 29
is Easter Monday: none is a working day in England, so the first sweep to tell
anyone is the first of Tue 30 March 2027, 00:00 BST (the clocks went forward
on Sun 28).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import Action, Complaint, EventKind
from putright.cases.services import changes, responses
from putright.comms.models import ActionReminder, Reminder
from putright.comms.reminders.sweep import sweep
from tests.cases.conftest import all_points
from tests.cases.helpers import LONDON, at, day, on
from tests.comms.conftest import reminder_emails
from tests.conftest import _user

RECEIVED = "Mon 2027-03-01 10:00"
RESPONDED = "Mon 2027-03-15 11:00"
DUE = "Thu 2027-03-25"


@pytest.fixture
def doer(org, team):
    """Dan, a Resolution Officer in the lead's team who carries out actions, with an email address."""
    user = _user("dan", Role.RESOLUTION_OFFICER, team, org)
    user.email = "dan@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def agreed(accepted, caseworker):
    """A complaint answered on Mon 15 March with one agreed action (owner ``owner``, due ``due``)."""

    def make(
        description: str = "Replace the kitchen window",
        *,
        owner=None,
        due: str = DUE,
        received: str = RECEIVED,
        **fields,
    ) -> Action:
        complaint = accepted(received, **fields)
        with at(RESPONDED):
            responses.respond(
                complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=caseworker
            )
            return responses.add_action(
                complaint, description=description, due_on=day(due), owner=owner, actor=caseworker
            )

    return make


def action_emails():
    return [email for email in reminder_emails() if email.subject.startswith("Overdue:")]


def sent(action: Action) -> list[tuple[dt.date, str]]:
    """Each reminder of the action: the date it was for, and when it went (London)."""
    return [
        (reminder.due_on, f"{reminder.sent_at.astimezone(LONDON):%a %Y-%m-%d %H:%M}")
        for reminder in ActionReminder.objects.filter(action=action).order_by("pk")
    ]


@pytest.mark.django_db
def test_an_action_due_before_good_friday_is_reminded_on_the_tuesday_after_easter(
    agreed, doer, lead, caseworker
):
    action = agreed(owner=doer)
    complaint = action.complaint
    # Answered, so the case has no deadline of its own to remind about: only the action.
    assert not complaint.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True).exists()
    with at("Thu 2027-03-25 23:45"):  # due today: not overdue
        result = sweep()
        assert result.get("action_overdue", 0) == 0 and result.get("waiting_for_working_day", 0) == 0
    # Overdue from Fri 26 00:00, but Good Friday, the weekend and Easter Monday are not working days.
    for moment in (
        "Fri 2027-03-26 00:00",
        "Fri 2027-03-26 12:00",
        "Sat 2027-03-27 09:00",
        "Sun 2027-03-28 09:00",
        "Mon 2027-03-29 09:00",
        "Mon 2027-03-29 23:45",
    ):
        with at(moment):
            result = sweep()
        assert result.get("action_overdue", 0) == 0, moment
        assert result["waiting_for_working_day"] == 1, moment
    with at("Tue 2027-03-30 00:00"):
        result = sweep()
    assert (result["action_overdue"], result["emails"]) == (1, 2)
    assert sent(action) == [(day(DUE), "Tue 2027-03-30 00:00")]
    assert ActionReminder.objects.get().recipients == [doer.pk, lead.pk]
    assert ActionReminder.objects.get().complaint_id == complaint.pk

    emails = action_emails()
    assert [e.to for e in emails] == [["dan@example.org"], ["lena@example.org"]]
    assert emails == reminder_emails()  # nothing else was reminded
    email = emails[0]
    assert email.subject == (
        f"Overdue: an agreed action for {complaint.reference} was due Thursday 25 March 2027"
    )
    assert email.complaint_id == complaint.pk
    for body in (email.body_text, email.body_html):
        assert complaint.reference in body
        assert "Leaking roof not repaired" in body
        assert "Replace the kitchen window" in body
        assert "Thursday 25 March 2027" in body
        assert f"/work/complaints/{complaint.reference}/" in body
        assert "Dan Staff and Lena Staff" in body
    assert '<html lang="en-GB">' in email.body_html and '<th scope="row">' in email.body_html

    event = complaint.timeline.get(kind=EventKind.REMINDER_SENT)
    assert event.summary == (
        "Reminder: the agreed action “Replace the kitchen window” was due on Thursday 25 March 2027"
        " and is not done; sent to Dan Staff and Lena Staff"
    )
    assert event.actor_label == "putright"
    assert event.data == {"action": action.pk, "due_on": "2027-03-25", "recipients": [doer.pk, lead.pk]}
    assert event.occurred_at == on("Tue 2027-03-30 00:00")


@pytest.mark.django_db
def test_sent_once_however_many_sweeps(agreed, doer):
    action = agreed(owner=doer)
    # Every 15 minutes from Thu 25 March 00:00 to Fri 2 April 23:45, as the worker sweeps.
    instant, end = on("Thu 2027-03-25 00:00"), on("Sat 2027-04-03 00:00")
    while instant < end:
        with time_machine.travel(instant, tick=False):
            sweep()
        instant += dt.timedelta(minutes=15)
    assert sent(action) == [(day(DUE), "Tue 2027-03-30 00:00")]
    assert action.complaint.timeline.filter(kind=EventKind.REMINDER_SENT).count() == 1
    assert len(action_emails()) == 2


@pytest.mark.django_db
def test_none_for_a_completed_action_or_a_withdrawn_or_closed_case(agreed, doer, caseworker):
    done = agreed("Refund the call-out charge", owner=doer)
    with at("Wed 2027-03-24 10:00"):
        responses.complete_action(done.complaint, action_id=done.pk, note="Done.", actor=doer)
    withdrawn = agreed("Repaint the hall", owner=doer, received="Mon 2027-03-01 10:05")
    with at("Wed 2027-03-24 10:00"):
        changes.withdraw(withdrawn.complaint, reason="Sorted out", actor=caseworker)
    # The services refuse to close a case with an action open; a closed state is set directly, to
    # show that the sweep reads only open cases whatever the actions say.
    closed = agreed("Fix the gutter", owner=doer, received="Mon 2027-03-01 10:10")
    Complaint.objects.filter(pk=closed.complaint_id).update(state="closed")
    still_open = agreed("Clear the drain", owner=doer, received="Mon 2027-03-01 10:15")
    for moment in ("Tue 2027-03-30 00:00", "Wed 2027-03-31 09:00"):
        with at(moment):
            sweep()
    assert list(ActionReminder.objects.values_list("action", flat=True)) == [still_open.pk]
    for action in (done, withdrawn, closed):
        assert not action.complaint.timeline.filter(kind=EventKind.REMINDER_SENT).exists()


@pytest.mark.django_db
def test_an_action_given_to_nobody_is_the_case_owners(agreed, doer, caseworker, lead):
    nobodys = agreed("Call the contractor", owner=None)
    dans = agreed("Send the surveyor", owner=doer, received="Mon 2027-03-01 10:05")
    with at("Tue 2027-03-30 09:00"):
        assert sweep()["action_overdue"] == 2
    told = dict(ActionReminder.objects.values_list("action", "recipients"))
    assert told == {nobodys.pk: [caseworker.pk, lead.pk], dans.pk: [doer.pk, lead.pk]}
    assert sorted(e.to[0] for e in action_emails()) == [
        "dan@example.org",
        "lena@example.org",
        "lena@example.org",
        "olivia@example.org",
    ]
    assert nobodys.complaint.timeline.get(kind=EventKind.REMINDER_SENT).summary.endswith(
        "sent to Olivia Staff and Lena Staff"
    )


@pytest.mark.django_db
def test_the_owner_who_leads_the_team_gets_one_email(agreed, lead):
    agreed(owner=lead)
    with at("Tue 2027-03-30 09:00"):
        sweep()
    assert [e.to for e in action_emails()] == [["lena@example.org"]]
    assert ActionReminder.objects.get().recipients == [lead.pk]


@pytest.mark.django_db
def test_with_nobody_to_tell_nothing_is_recorded_until_someone_is_assigned(
    agreed, caseworker, lead, org, team
):
    action = agreed(owner=None)
    complaint = action.complaint
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    caseworker.email = ""
    caseworker.save(update_fields=["email"])
    for moment in ("Tue 2027-03-30 00:00", "Tue 2027-03-30 09:00", "Wed 2027-03-31 09:00"):
        with at(moment):
            result = sweep()
        assert result["nobody_to_tell"] == 1, moment
        assert "action_overdue" not in result
    assert reminder_emails() == []
    assert not ActionReminder.objects.exists()
    assert not complaint.timeline.filter(kind=EventKind.REMINDER_SENT).exists()
    # Someone who can be told takes the case on: the next sweep tells them, once.
    newcomer = _user("nina", Role.RESOLUTION_OFFICER, team, org)
    newcomer.email = "nina@example.org"
    newcomer.save(update_fields=["email"])
    with at("Wed 2027-03-31 10:00"):
        changes.reassign(complaint, owner=newcomer, reason="Olivia is away", actor=lead)
    with at("Wed 2027-03-31 10:15"):
        result = sweep()
    assert (result["action_overdue"], result.get("nobody_to_tell", 0)) == (1, 0)
    assert [e.to for e in action_emails()] == [["nina@example.org"]]
    assert sent(action) == [(day(DUE), "Wed 2027-03-31 10:15")]
    assert ActionReminder.objects.get().recipients == [newcomer.pk]
    assert complaint.timeline.get(kind=EventKind.REMINDER_SENT).summary.endswith("sent to Nina Staff")
    with at("Wed 2027-03-31 10:30"):
        assert "action_overdue" not in sweep()


@pytest.mark.django_db
def test_a_new_date_starts_afresh(agreed, doer):
    action = agreed(owner=doer)
    with at("Tue 2027-03-30 09:00"):
        sweep()
    # The date is moved to Tue 6 April: due, not overdue, until the end of that day.
    Action.objects.filter(pk=action.pk).update(due_on=day("Tue 2027-04-06"))
    for moment in ("Wed 2027-03-31 09:00", "Tue 2027-04-06 23:45"):
        with at(moment):
            assert sweep().get("action_overdue", 0) == 0
    with at("Wed 2027-04-07 00:00"):
        assert sweep()["action_overdue"] == 1
    with at("Thu 2027-04-08 09:00"):
        assert sweep().get("action_overdue", 0) == 0
    assert sent(action) == [
        (day(DUE), "Tue 2027-03-30 09:00"),
        (day("Tue 2027-04-06"), "Wed 2027-04-07 00:00"),
    ]
    assert "Tuesday 6 April 2027" in action_emails()[-1].subject


@pytest.mark.django_db
def test_deadline_and_action_reminders_share_one_sweep(accepted, caseworker, doer):
    # Received Thu 11 March: stage 1 response due Thu 25 March (Fri 12 is 1, Mon 15 ... Fri 19 are
    # 2-6, Mon 22 ... Thu 25 are 7-10), missed, like the action agreed before the response, due Wed 24.
    complaint = accepted("Thu 2027-03-11 10:00")
    with at("Fri 2027-03-12 10:00"):
        responses.add_action(
            complaint, description="Make the roof safe", due_on=day("Wed 2027-03-24"), owner=doer, actor=doer
        )
    with at("Tue 2027-03-30 00:00"):
        result = sweep()
    assert (result["missed"], result["action_overdue"], result["emails"]) == (1, 1, 4)
    assert Reminder.objects.count() == ActionReminder.objects.count() == 1
    assert complaint.timeline.filter(kind=EventKind.REMINDER_SENT).count() == 2


def _swept(agreed, doer, received: str, how_many: int) -> int:
    for n in range(how_many):
        agreed(f"Action {n}", owner=doer, received=f"{received}:{n:02d}")
    with at("Tue 2027-03-30 09:00"), CaptureQueriesContext(connection) as captured:
        result = sweep()
    assert (result["action_overdue"], result["emails"]) == (how_many, 2 * how_many)
    return len(captured)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_actions(agreed, doer):
    with at("Mon 2027-03-01 09:00"):
        sweep()  # the lease's row is made once, by the first sweep ever
    two = _swept(agreed, doer, "Mon 2027-03-01 10", 2)
    # Six more, on cases received the next day: the first two were reminded and are left out.
    six = _swept(agreed, doer, "Tue 2027-03-02 10", 6)
    assert six == two
