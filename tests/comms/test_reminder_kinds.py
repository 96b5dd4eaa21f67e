"""A new kind of reminder joins by declaring what is due and to whom: the sweep and the digest run it.

The kind declared here, ``FollowUps``, exists only in this file: it tells the
team lead on the day an agreed action falls due. Nothing else is written for
it: no sweep, no digest code of its own. It shares the ``ActionReminder``
table with the overdue-action kind, under its own name in the table's key.

Dates (flagship policy, England): a complaint received Mon 2027-01-18 10:00
has its stage 1 response due Mon 1 February, further off than "due soon" on
Mon 25 January (two working days: Tue 26, Wed 27), so no deadline of its own
is reminded. Its agreed action is due Mon 25 January 2027: on that day it is
due today (the follow-up is sent) and not yet overdue (no action reminder).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pytest
from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import mark_safe

from putright.accounts.models import User
from putright.cases.models import Action, Complaint, EventKind, TimelineEvent
from putright.cases.selectors.open_work import open_actions, team_lead
from putright.cases.services import responses, timeline
from putright.comms.models import ActionReminder, OutboundEmail, ReminderLevel
from putright.comms.reminders import kinds, reminding
from putright.comms.reminders.action_reminders import action_reminder, already_reminded
from putright.comms.reminders.digest import send_digests
from putright.comms.reminders.kinds import DigestPart, Due, Mail, ReminderKind
from putright.comms.reminders.levels import Calendars, Today
from putright.comms.reminders.sweep import sweep
from putright.procedure.wording import long_date
from tests.cases.helpers import at, day
from tests.comms.conftest import reminder_emails


class FollowUps(ReminderKind[Action]):
    """Tell the team lead on the day an agreed action falls due."""

    name = "follow_up"

    def _open(self, calendars: Calendars) -> QuerySet[Any]:
        return open_actions(calendars.last_soon_day()).annotate(lead_id=team_lead())

    def candidates(self, now: dt.datetime, calendars: Calendars) -> QuerySet[Any]:
        return (
            self._open(calendars)
            .filter(~already_reminded(self.name))
            .select_related("complaint__organisation")
        )

    def complaint(self, item: Action) -> Complaint:
        return item.complaint

    def due(self, item: Action, today: Today) -> Due[Action] | None:
        level = today.level_on(item.due_on)
        return Due(item, level) if level is ReminderLevel.TODAY else None

    def to_tell(self, item: Action) -> Sequence[int | None]:
        return (item.lead_id,)  # type: ignore[attr-defined]

    def remember(self, due: Due[Action], told: list[User], now: dt.datetime) -> ActionReminder:
        return action_reminder(self.name, due.item, told, now)

    def event(self, due: Due[Action], told: list[User], now: dt.datetime) -> TimelineEvent:
        return timeline.event(
            due.item.complaint,
            EventKind.REMINDER_SENT,
            f"Follow-up: “{due.item.description}” is due today; sent to {reminding.names(told)}",
            occurred_at=now,
            action=due.item.pk,
        )

    def email(self, due: Due[Action], told: list[User]) -> Mail:
        action = due.item
        subject = f"Follow up today: {action.description} ({action.complaint.reference})"
        context = {
            "headline": subject,
            "reference": action.complaint.reference,
            "summary": action.complaint.summary,
            "action": action.description,
            "when": long_date(action.due_on, weekday=True),
            "case_url": "",
        }
        return Mail(subject, "action_reminder", context)

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        rows = self._open(calendars).filter(lead_id__in=readers).values_list("lead_id", "description")
        found: dict[int, list[str]] = {}
        for lead_id, description in rows:
            found.setdefault(lead_id, []).append(description)
        return {
            lead: DigestPart(
                text="FOLLOW-UPS\n" + "\n".join(f"- {words}" for words in described),
                html=mark_safe("<h2>Follow-ups</h2>" + "".join(f"<p>{escape(w)}</p>" for w in described)),  # noqa: S308
                summary=[f"{len(described)} follow-up{'' if len(described) == 1 else 's'}"],
            )
            for lead, described in found.items()
        }


def digests() -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(purpose="digest").order_by("pk"))


@contextmanager
def declared(kind: ReminderKind[Any]) -> Iterator[None]:
    kinds.register(kind)
    try:
        yield
    finally:
        kinds.unregister(kind.name)


@pytest.fixture
def action(accepted, caseworker):
    complaint = accepted("Mon 2027-01-18 10:00")
    with at("Tue 2027-01-19 10:00"):
        return responses.add_action(
            complaint,
            description="Phone to check the repair held",
            due_on=day("Mon 2027-01-25"),
            owner=caseworker,
            actor=caseworker,
        )


@pytest.mark.django_db
def test_a_declared_kind_is_swept_once_with_the_rules_every_kind_shares(action, lead):
    with declared(FollowUps()):
        with at("Fri 2027-01-22 16:00"):  # not due yet
            assert sweep()["follow_up_candidates"] == 1
        with at("Mon 2027-01-25 09:00"):
            first = sweep()
            again = sweep()
    assert first == {
        "candidates": 0,  # the stage 1 response, due Mon 1 February, is not due soon
        "action_candidates": 0,  # due today: not overdue
        "restriction_review_candidates": 0,  # conduct
        "concern_outcome_candidates": 0,  # conduct
        "learning_action_candidates": 0,  # issue 12, lessons
        "follow_up_candidates": 1,
        "follow_up_today": 1,
        "emails": 1,
    }
    assert again == {
        "candidates": 0,
        "action_candidates": 0,
        "restriction_review_candidates": 0,  # conduct
        "concern_outcome_candidates": 0,  # conduct
        "learning_action_candidates": 0,  # issue 12, lessons
        "follow_up_candidates": 0,
    }
    [email] = reminder_emails()
    assert email.to == ["lena@example.org"]
    assert email.subject == f"Follow up today: Phone to check the repair held ({action.complaint.reference})"
    assert "Monday 25 January 2027" in email.body_text and "Lena" in email.body_text
    event = action.complaint.timeline.get(kind=EventKind.REMINDER_SENT)
    assert event.summary == "Follow-up: “Phone to check the repair held” is due today; sent to Lena Staff"
    assert ActionReminder.objects.get().recipients == [lead.pk]


@pytest.mark.django_db
def test_a_kind_sharing_the_action_reminder_table_does_not_hide_the_overdue_reminder(action, lead):
    with declared(FollowUps()):
        with at("Mon 2027-01-25 09:00"):  # due today: the follow-up goes to the lead
            assert sweep()["follow_up_today"] == 1
        # Due Mon 25 January and not done: overdue from Tue 26 January. The follow-up
        # recorded for the same action and date must not stop the overdue reminder.
        with at("Tue 2027-01-26 09:00"):
            swept = sweep()
    assert (swept["action_candidates"], swept["action_overdue"]) == (1, 1)
    assert sorted(ActionReminder.objects.values_list("kind", flat=True)) == ["action", "follow_up"]
    overdue = [e for e in reminder_emails() if e.subject.startswith("Overdue")]
    assert [e.to for e in overdue] == [["olivia@example.org"], ["lena@example.org"]]
    assert overdue[0].subject == (
        f"Overdue: an agreed action for {action.complaint.reference} was due Monday 25 January 2027"
    )


class Broken(FollowUps):
    """A kind with a bug: finding its candidates or its digest part raises."""

    name = "broken"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> QuerySet[Any]:
        raise RuntimeError("the broken kind's query failed")

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        raise RuntimeError("the broken kind's digest failed")


@pytest.mark.django_db
def test_a_failing_kind_is_logged_and_counted_and_the_kinds_after_it_are_still_swept(action, lead, caplog):
    with declared(Broken()), declared(FollowUps()), at("Mon 2027-01-25 09:00"):
        swept = sweep()
    assert swept["broken_failed"] == 1
    assert (swept["follow_up_candidates"], swept["follow_up_today"], swept["emails"]) == (1, 1, 1)
    assert [e.to for e in reminder_emails()] == [["lena@example.org"]]
    [record] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert record.getMessage() == "The broken reminders failed; the other kinds are still swept"
    assert "the broken kind's query failed" in caplog.text


@pytest.mark.django_db
def test_a_failing_kind_leaves_the_others_parts_in_the_digest(action, lead, caplog):
    with declared(Broken()), declared(FollowUps()), at("Mon 2027-01-25 08:00"):
        assert send_digests() == {"sent": 2, "nothing_to_do": 0, "broken_failed": 1}
    [his] = [email for email in digests() if email.to == ["lena@example.org"]]
    assert "FOLLOW-UPS\n- Phone to check the repair held" in his.body_text
    assert "The broken part of the digest failed; the other parts are sent" in caplog.text


@pytest.mark.django_db
def test_a_declared_kind_is_not_swept_once_it_is_taken_away(action, lead):
    with declared(FollowUps()):
        pass
    with at("Mon 2027-01-25 09:00"):
        assert "follow_up_candidates" not in sweep()
    assert reminder_emails() == []


@pytest.mark.django_db
def test_a_declared_kind_has_its_part_of_the_digest_after_those_registered_before(action, lead, caseworker):
    with declared(FollowUps()), at("Mon 2027-01-25 08:00"):
        assert send_digests() == {"sent": 2, "nothing_to_do": 0}
    [hers] = [email for email in digests() if email.to == ["olivia@example.org"]]
    [his] = [email for email in digests() if email.to == ["lena@example.org"]]
    assert hers.subject == "Your complaints for Monday 25 January 2027: 1 action due"
    assert "FOLLOW-UPS" not in hers.body_text
    assert his.subject == "Your complaints for Monday 25 January 2027: 1 follow-up"
    text = his.body_text
    assert text.index("Good morning Lena.") < text.index("FOLLOW-UPS\n- Phone to check the repair held")
    assert text.index("FOLLOW-UPS") < text.index("Your work list")
    assert "<h2>Follow-ups</h2><p>Phone to check the repair held</p>" in his.body_html


#: The kinds putright registers, in the digest's order (conduct: restriction reviews, concern outcomes).
REGISTERED = ["deadline", "action", "restriction_review", "concern_outcome", "learning_action"]  # issue 12


@pytest.mark.django_db
def test_a_second_kind_with_the_same_name_is_refused():
    with declared(FollowUps()):
        with pytest.raises(ValueError, match="A reminder kind named 'follow_up' is already registered"):
            kinds.register(FollowUps())
        assert [kind.name for kind in kinds.registered()] == [*REGISTERED, "follow_up"]
    assert [kind.name for kind in kinds.registered()] == REGISTERED
