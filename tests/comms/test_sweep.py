"""The deadline sweep: who is told, what they read, once per level, catch-up, extensions, the lease.

Dates are worked out by hand on the flagship policy (England and Wales):
a complaint received Mon 2027-01-11 10:00 has its stage 1 response due at
the end of the 10th working day after, Mon 2027-01-25 (Tue 12 ... Fri 15 are
1-4, Mon 18 ... Fri 22 are 5-9, Mon 25 is 10). With 2 working days' notice it
is due soon from Thu 2027-01-21 (Fri 22 and Mon 25 left).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, Team
from putright.cases.models import Complaint, EventKind
from putright.cases.services import changes, investigation
from putright.comms.leases import held
from putright.comms.models import Reminder
from putright.comms.reminders.sweep import sweep
from tests.cases.helpers import at, day, end_of
from tests.comms.conftest import reminder_emails
from tests.conftest import _user

RECEIVED = "Mon 2027-01-11 10:00"


def levels(complaint) -> list[str]:
    return list(Reminder.objects.filter(complaint=complaint).order_by("pk").values_list("level", flat=True))


@pytest.mark.django_db
def test_due_soon_goes_to_owner_and_lead_naming_case_deadline_and_date(accepted, caseworker, lead):
    complaint = accepted(RECEIVED)
    with at("Wed 2027-01-20 12:00"):  # three working days left: not yet
        assert sweep().get("soon", 0) == 0
    with at("Thu 2027-01-21 00:15"):
        assert sweep()["soon"] == 1
    emails = reminder_emails()
    assert [e.to for e in emails] == [["olivia@example.org"], ["lena@example.org"]]
    email = emails[0]
    assert email.subject == f"Due soon: Stage 1 response for {complaint.reference}, Monday 25 January 2027"
    assert email.complaint_id == complaint.pk
    for body in (email.body_text, email.body_html):
        assert complaint.reference in body
        assert "Leaking roof not repaired" in body
        assert "Stage 1 response" in body
        assert "Monday 25 January 2027" in body
        assert f"/work/complaints/{complaint.reference}/" in body
    assert '<html lang="en-GB">' in email.body_html and '<th scope="row">' in email.body_html
    reminder = Reminder.objects.get()
    assert (reminder.level, reminder.due_at, reminder.recipients) == (
        "soon",
        end_of("Mon 2027-01-25"),
        [caseworker.pk, lead.pk],
    )
    event = complaint.timeline.get(kind=EventKind.REMINDER_SENT)
    assert event.summary == (
        "Reminder: stage 1 response due soon (Monday 25 January 2027) sent to Olivia Staff and Lena Staff"
    )


@pytest.mark.django_db
def test_each_level_once_however_often_the_sweep_runs(accepted):
    complaint = accepted(RECEIVED)
    for moment in (
        "Thu 2027-01-21 09:00",
        "Fri 2027-01-22 09:00",
        "Mon 2027-01-25 00:00",
        "Mon 2027-01-25 16:00",
    ):
        with at(moment):
            sweep()
            sweep()
    with at("Tue 2027-01-26 00:00"):
        assert sweep()["missed"] == 1
    with at("Wed 2027-01-27 09:00"):
        assert "missed" not in sweep()
    assert levels(complaint) == ["soon", "today", "missed"]
    today = complaint.timeline.filter(kind=EventKind.REMINDER_SENT).order_by("pk")[1]
    assert today.summary == (
        "Reminder: stage 1 response due today (Monday 25 January 2027) sent to Olivia Staff and Lena Staff"
    )
    assert complaint.timeline.filter(kind=EventKind.REMINDER_SENT).count() == 3
    assert len(reminder_emails()) == 6


@pytest.mark.django_db
def test_the_owner_who_leads_the_team_gets_one_email(accepted, lead):
    accepted(RECEIVED, owner=lead)
    with at("Thu 2027-01-21 09:00"):
        sweep()
    assert [e.to for e in reminder_emails()] == [["lena@example.org"]]
    assert Reminder.objects.get().recipients == [lead.pk]


@pytest.mark.django_db
def test_an_inactive_lead_is_skipped_and_the_owner_is_told(accepted, caseworker, lead):
    complaint = accepted(RECEIVED)
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    with at("Thu 2027-01-21 09:00"):
        sweep()
    assert [e.to for e in reminder_emails()] == [["olivia@example.org"]]
    assert Reminder.objects.get().recipients == [caseworker.pk]
    assert complaint.timeline.get(kind=EventKind.REMINDER_SENT).summary.endswith("sent to Olivia Staff")


@pytest.mark.django_db
def test_with_nobody_to_tell_nothing_is_recorded_until_an_owner_is_assigned(
    accepted, caseworker, lead, org, team
):
    complaint = accepted(RECEIVED)
    lead.is_active = False
    lead.save(update_fields=["is_active"])
    caseworker.email = ""
    caseworker.save(update_fields=["email"])
    for moment in ("Thu 2027-01-21 09:00", "Fri 2027-01-22 09:00", "Mon 2027-01-25 09:00"):
        with at(moment):
            result = sweep()
        assert result["nobody_to_tell"] == 1
        assert "soon" not in result and "today" not in result
    assert reminder_emails() == []
    assert not Reminder.objects.exists()
    assert not complaint.timeline.filter(kind=EventKind.REMINDER_SENT).exists()
    # Someone who can be told takes the case: the next sweep sends the level that applies now.
    newcomer = _user("nina", Role.RESOLUTION_OFFICER, team, org)
    newcomer.email = "nina@example.org"
    newcomer.save(update_fields=["email"])
    with at("Mon 2027-01-25 10:00"):
        changes.reassign(complaint, owner=newcomer, reason="Olivia is away", actor=lead)
    with at("Mon 2027-01-25 10:15"):
        result = sweep()
    assert (result["today"], result["passed_over"], result.get("nobody_to_tell", 0)) == (1, 1, 0)
    assert [e.to for e in reminder_emails()] == [["nina@example.org"]]
    assert list(Reminder.objects.values_list("level", "recipients")) == [("today", [newcomer.pk])]
    event = complaint.timeline.get(kind=EventKind.REMINDER_SENT)
    assert event.summary == (
        "Reminder: stage 1 response due today (Monday 25 January 2027) sent to Nina Staff"
    )
    assert event.data["passed_over"] == ["soon"]
    with at("Mon 2027-01-25 10:30"):
        assert "today" not in sweep()


@pytest.mark.django_db
def test_a_case_team_without_a_lead_falls_back_to_the_owners_team_lead(accepted, caseworker, lead, org):
    complaint = accepted(RECEIVED)
    leaderless = Team.objects.create(name="Repairs", organisation=org)
    Complaint.objects.filter(pk=complaint.pk).update(team=leaderless)
    with at("Thu 2027-01-21 09:00"):
        sweep()
    assert [e.to for e in reminder_emails()] == [["olivia@example.org"], ["lena@example.org"]]
    assert Reminder.objects.get().recipients == [caseworker.pk, lead.pk]


@pytest.mark.django_db
def test_catch_up_after_three_days_sends_only_the_current_level_once(accepted):
    complaint = accepted(RECEIVED)
    with at("Wed 2027-01-20 23:45"):  # the last sweep before the worker stops
        sweep()
    # Down from Thu 21 to Sun 24: soon (Thu) and today (Mon) never went out; back on Tue 26.
    with at("Tue 2027-01-26 08:00"):
        result = sweep()
    assert (result["missed"], result.get("soon", 0), result.get("today", 0)) == (1, 0, 0)
    assert result["passed_over"] == 2
    with at("Tue 2027-01-26 08:15"):
        sweep()
    assert levels(complaint) == ["missed"]
    event = complaint.timeline.get(kind=EventKind.REMINDER_SENT)
    assert event.summary.startswith("Reminder: stage 1 response missed (it was due Monday 25 January 2027)")
    assert event.data["passed_over"] == ["soon", "today"]
    assert len(reminder_emails()) == 2


@pytest.mark.django_db
def test_a_deadline_missed_on_friday_is_reported_on_monday(accepted):
    # Received Fri 2027-01-08 10:00: due the end of Fri 2027-01-22 (Mon 11 ... Fri 22 are 1-10).
    complaint = accepted("Fri 2027-01-08 10:00")
    assert complaint.deadlines.get(name="stage1.response").due_at == end_of("Fri 2027-01-22")
    with at("Fri 2027-01-22 09:00"):
        sweep()  # soon and today: the catch-up sends "today"
    for moment in ("Sat 2027-01-23 00:00", "Sat 2027-01-23 12:00", "Sun 2027-01-24 23:45"):
        with at(moment):
            assert sweep().get("missed", 0) == 0
    with at("Mon 2027-01-25 00:00"):
        assert sweep()["missed"] == 1
    assert levels(complaint) == ["today", "missed"]
    assert Reminder.objects.get(level="missed").sent_at.date() == day("Mon 2027-01-25")


@pytest.mark.django_db
def test_an_extension_rearms_the_reminders_for_the_new_date(accepted, caseworker):
    complaint = accepted(RECEIVED)
    with at("Mon 2027-01-25 09:00"):
        sweep()  # due today
        investigation.extend(
            complaint, new_due_on=day("Fri 2027-02-05"), reason="Waiting for the surveyor", actor=caseworker
        )
        assert sweep().get("today", 0) == 0
    # New date Fri 5 Feb: due soon from Wed 3 Feb (Thu 4 and Fri 5 left).
    with at("Tue 2027-02-02 12:00"):
        assert sweep().get("soon", 0) == 0
    with at("Wed 2027-02-03 09:00"):
        assert sweep()["soon"] == 1
    with at("Fri 2027-02-05 09:00"):
        assert sweep()["today"] == 1
    reminders = Reminder.objects.order_by("pk").values_list("level", "due_at")
    assert list(reminders) == [
        ("today", end_of("Mon 2027-01-25")),
        ("soon", end_of("Fri 2027-02-05")),
        ("today", end_of("Fri 2027-02-05")),
    ]
    assert "Friday 5 February 2027" in reminder_emails()[-1].subject


@pytest.mark.django_db
def test_no_reminders_for_a_withdrawn_case(accepted, caseworker):
    complaint = accepted(RECEIVED)
    with at("Thu 2027-01-21 09:00"):
        sweep()
        changes.withdraw(complaint, reason="Sorted out", actor=caseworker)
    for moment in ("Mon 2027-01-25 09:00", "Tue 2027-01-26 09:00"):
        with at(moment):
            sweep()
    assert levels(complaint) == ["soon"]


@pytest.mark.django_db
def test_another_sweep_holding_the_lease_means_this_one_does_nothing(accepted):
    from datetime import timedelta

    accepted(RECEIVED)
    with at("Thu 2027-01-21 09:00"):
        with held("sweep", timedelta(minutes=10)) as mine:
            assert mine
            assert sweep() == {"skipped": 1}
        assert Reminder.objects.count() == 0
        assert sweep()["soon"] == 1


def _swept(accepted, received: str, how_many: int, moment: str) -> int:
    for n in range(how_many):
        accepted(f"{received}:{n:02d}")
    with at(moment), CaptureQueriesContext(connection) as captured:
        result = sweep()
    assert (result["soon"], result["emails"]) == (how_many, 2 * how_many)
    return len(captured)


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_cases(accepted):
    with at("Mon 2027-01-11 09:00"):
        sweep()  # the lease's row is made once, by the first sweep ever
    # Received Mon 11: due Mon 25, soon from Thu 21. Received Tue 12: due Tue 26, soon from Fri 22.
    two = _swept(accepted, "Mon 2027-01-11 10", 2, "Thu 2027-01-21 09:00")
    six = _swept(accepted, "Tue 2027-01-12 10", 6, "Fri 2027-01-22 09:00")
    assert six == two
