"""The sweep's reminders of unacceptable behaviour and safeguarding: a restriction's review date, told to
the case owner and team lead when it arrives, and a referred concern's outcome, told to its lead every
working day from "due soon" until the concern is closed.

Dates are worked by hand on the flagship policy (England and Wales). Good Friday is Fri 26 March 2027
and Easter Monday Mon 29 March 2027: with the weekend between, none of Fri 26 to Mon 29 is a working
day, so what falls due then is told by the first sweep of Tue 30 March.
"""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.models import EventKind
from putright.cases.services import concerns, restrictions
from putright.comms.models import ConcernReminder, RestrictionReminder
from putright.comms.reminders.sweep import sweep
from tests.cases.helpers import at, day, end_of
from tests.comms.conftest import reminder_emails
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def emails_starting(prefix: str):
    return [email for email in reminder_emails() if email.subject.startswith(prefix)]


@pytest.fixture
def restricted(accepted, senior):
    """A case owned by Olivia (team lead Lena) whose customer's contact is restricted on Tue 2 March."""

    def make(review_on: str):
        complaint = accepted("Mon 2027-03-01 10:00")
        with at("Tue 2027-03-02 10:00"):
            return concerns.record_restriction(
                complaint,
                reason="Abusive calls",
                restrictions="Email only",
                review_on=day(review_on),
                actor=senior,
            )

    return make


def test_the_owner_and_lead_are_told_on_the_review_date(restricted, caseworker, lead):
    restriction = restricted("Wed 2027-03-10")
    with at("Tue 2027-03-09 09:00"):
        assert sweep().get("restriction_review_today", 0) == 0
    with at("Wed 2027-03-10 08:00"):
        result = sweep()
    assert result["restriction_review_today"] == 1
    emails = emails_starting("Review due:")
    assert [e.to for e in emails] == [["olivia@example.org"], ["lena@example.org"]]
    complaint = restriction.complaint
    assert emails[0].subject == (
        f"Review due: the restriction on contact on {complaint.reference} (Wednesday 10 March 2027)"
    )
    assert "Email only" in emails[0].body_text and "Abusive calls" in emails[0].body_html
    event = complaint.timeline.filter(kind=EventKind.REMINDER_SENT).last()
    assert event.summary == (
        "Reminder: the restriction on contact is due for review on Wednesday 10 March 2027;"
        " sent to Olivia Staff and Lena Staff"
    )
    with at("Wed 2027-03-10 15:00"):
        assert sweep().get("restriction_review_today", 0) == 0  # once per review date
    assert RestrictionReminder.objects.get().recipients == [caseworker.pk, lead.pk]


def test_a_review_date_on_good_friday_is_told_on_the_tuesday_after_easter(restricted):
    restricted("Fri 2027-03-26")
    for moment in ("Fri 2027-03-26 09:00", "Mon 2027-03-29 09:00"):
        with at(moment):
            result = sweep()
        assert result.get("restriction_review_today", 0) == result.get("restriction_review_missed", 0) == 0
        assert result["waiting_for_working_day"] >= 1
    with at("Tue 2027-03-30 00:00"):
        assert sweep()["restriction_review_missed"] == 1
    assert len(emails_starting("Review due:")) == 2


def test_a_review_moves_the_date_and_an_ended_restriction_is_not_told(restricted, senior):
    restriction = restricted("Wed 2027-03-10")
    with at("Tue 2027-03-09 16:00"):
        restrictions.review_restriction(
            restriction.complaint_id,
            restriction,
            conclusion="Calls are civil now",
            next_review_on=day("Wed 2027-03-17"),
            actor=senior,
        )
    with at("Wed 2027-03-10 08:00"):
        assert sweep().get("restriction_review_today", 0) == 0
    with at("Tue 2027-03-16 16:00"):
        restrictions.end_restriction(restriction.complaint_id, restriction, reason="Resolved", actor=senior)
    with at("Wed 2027-03-17 08:00"):
        assert sweep().get("restriction_review_today", 0) == 0
    assert not RestrictionReminder.objects.exists()


@pytest.fixture
def safeguarding(org, team):
    user = _user("sally", Role.SAFEGUARDING_LEAD, team, org)
    user.email = "sally@example.org"
    user.save(update_fields=["email"])
    return user


def test_a_referred_concern_is_told_every_working_day_until_it_is_closed(accepted, caseworker, safeguarding):
    complaint = accepted("Thu 2027-03-18 09:00")
    # Referred on Thu 18 March: 5 working days are Fri 19, Mon 22, Tue 23, Wed 24 and Thu 25 March.
    with at("Thu 2027-03-18 10:00"):
        concern = concerns.flag_concern(
            complaint, kind="safeguarding", description="A child alone at home", actor=caseworker
        )
    assert concern.outcome_due_at == end_of("Thu 2027-03-25")

    expected = {
        "Mon 2027-03-22 09:00": None,  # due Thu 25: more than two working days off
        "Tue 2027-03-23 09:00": "soon",
        "Tue 2027-03-23 15:00": None,  # once a day
        "Wed 2027-03-24 09:00": "soon",
        "Thu 2027-03-25 09:00": "today",
        "Fri 2027-03-26 09:00": None,  # Good Friday
        "Mon 2027-03-29 09:00": None,  # Easter Monday
        "Tue 2027-03-30 09:00": "missed",
    }
    for moment, level in expected.items():
        with at(moment):
            result = sweep()
        told = {
            k.removeprefix("concern_outcome_"): v
            for k, v in result.items()
            if k.startswith("concern_outcome_")
        }
        told.pop("candidates", None)
        assert told == ({level: 1} if level else {}), moment

    assert list(ConcernReminder.objects.values_list("level", flat=True)) == [
        "soon",
        "soon",
        "today",
        "missed",
    ]
    emails = emails_starting("Safeguarding concern on")
    assert {tuple(e.to) for e in emails} == {("sally@example.org",)}
    assert emails[-1].subject == f"Safeguarding concern on {complaint.reference}: its outcome is overdue"
    assert "A child alone at home" in emails[-1].body_text
    assert "Thursday 25 March 2027" in emails[-1].body_text

    with at("Tue 2027-03-30 11:00"):
        concerns.close_concern(concern, outcome="Referred to children's services", actor=safeguarding)
    with at("Wed 2027-03-31 09:00"):
        assert not any(
            k.startswith("concern_outcome_") and k != "concern_outcome_candidates" for k in sweep()
        )
