"""Overdue learning actions remind their owner and team lead, once per due date, on working days.

Dates (the policy in force, England and Wales): a learning action due on
Friday 28 May 2027 is overdue from Saturday 29 May. Saturday and Sunday are not
working days, and Monday 31 May 2027 is the spring bank holiday, so the first
sweep that tells anyone is on Tuesday 1 June. Moved to Friday 11 June, it is
reminded again on Monday 14 June (a new due date starts afresh).
"""

from __future__ import annotations

import pytest

from putright.comms.email import delivery
from putright.comms.models import OutboundEmail
from putright.comms.reminders.digest import send_digests
from putright.comms.reminders.sweep import sweep
from putright.learning.models import LearningActionReminder, LearningEvent, LearningEventKind
from putright.learning.services import lessons
from tests.cases.helpers import at, day

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(org, caseworker, lead):
    with at("Mon 2027-05-17 10:00"):
        return lessons.create_learning_action(
            org,
            lesson="Damp reports were closed without a visit",
            change="Survey every damp report within 10 working days",
            change_kind="procedure",
            owner=caseworker,
            due_on=day("Fri 2027-05-28"),
            actor=lead,
        )


def reminded(action) -> list[LearningEvent]:
    return list(LearningEvent.objects.filter(action=action, kind=LearningEventKind.ACTION_REMINDED))


def test_due_on_a_friday_before_a_bank_holiday_it_is_reminded_on_the_tuesday_once(action, smtp_server):
    with at("Fri 2027-05-28 17:00"):  # due today: not overdue
        swept = sweep()
    assert "learning_action_overdue" not in swept and "waiting_for_working_day" not in swept
    for moment in ("Sat 2027-05-29 09:00", "Mon 2027-05-31 09:00"):
        with at(moment):
            swept = sweep()
        assert swept["learning_action_candidates"] == 1
        assert swept["waiting_for_working_day"] == 1, moment
        assert "learning_action_overdue" not in swept
    with at("Tue 2027-06-01 09:00"):
        first = sweep()
        again = sweep()
        assert delivery.deliver_due()["sent"] == 2
    assert (first["learning_action_overdue"], first["emails"]) == (1, 2)
    assert again["learning_action_candidates"] == 0
    # Two emails through real SMTP: the owner's and the team lead's, the same words.
    assert sorted(m["To"] for m in smtp_server.messages) == ["lena@example.org", "olivia@example.org"]
    message = smtp_server.messages[0]
    assert message["Subject"] == (
        "Overdue: a learning action for Victory Housing Trust was due Friday 28 May 2027"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Damp reports were closed without a visit" in text
    assert f"/work/learning/{action.pk}/" in text
    assert "Olivia Staff and Lena Staff" in text
    assert message.get_body(("html",)) is not None
    assert OutboundEmail.objects.filter(purpose="reminder", complaint__isnull=True).count() == 2
    [event] = reminded(action)
    assert event.summary == (
        "Reminder: due on Friday 28 May 2027 and not done; sent to Olivia Staff and Lena Staff"
    )
    assert LearningActionReminder.objects.get().due_on == day("Fri 2027-05-28")


def test_a_new_due_date_is_reminded_afresh_and_a_completed_action_never(action, caseworker, smtp_server):
    with at("Tue 2027-06-01 09:00"):
        sweep()
        lessons.edit_learning_action(
            action, expected_version=1, actor=caseworker, due_on=day("Fri 2027-06-11")
        )
    with at("Mon 2027-06-14 09:00"):
        assert sweep()["learning_action_overdue"] == 1
    assert [e.data["due_on"] for e in reminded(action)] == ["2027-05-28", "2027-06-11"]
    with at("Tue 2027-06-15 10:00"):
        lessons.edit_learning_action(
            action, expected_version=2, actor=caseworker, due_on=day("Wed 2027-06-16")
        )
        action.refresh_from_db()
        lessons.complete_learning_action(action, evidence="Procedure v3", completed_on=None, actor=caseworker)
    with at("Thu 2027-06-17 09:00"):
        assert sweep()["learning_action_candidates"] == 0
    assert len(reminded(action)) == 2


def test_nobody_to_tell_records_nothing(action, caseworker, lead):
    for person in (caseworker, lead):
        person.email = ""
        person.save(update_fields=["email"])
    with at("Tue 2027-06-01 09:00"):
        swept = sweep()
    assert swept["nobody_to_tell"] == 1
    assert not reminded(action) and not LearningActionReminder.objects.exists()


def test_the_owners_digest_lists_their_overdue_learning_actions(action, caseworker, lead):
    with at("Tue 2027-06-01 08:00"):
        sent = send_digests()
    assert sent["sent"] >= 1
    digests = {tuple(e.to): e for e in OutboundEmail.objects.filter(purpose="digest")}
    hers = digests[("olivia@example.org",)]
    assert "1 learning action overdue" in hers.subject
    assert "LEARNING ACTIONS OVERDUE (1)" in hers.body_text
    assert "Damp reports were closed without a visit: due Friday 28 May 2027" in hers.body_text
    assert "Learning actions overdue" in hers.body_html
    assert "LEARNING ACTIONS" not in getattr(digests.get(("lena@example.org",)), "body_text", "")
