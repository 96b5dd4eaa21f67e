"""A fortnight of sweeps over Easter 2027 and the start of British Summer Time.

The worker sweeps every 15 minutes from Mon 22 March 2027 00:00 to Sun 4 April
23:45 London time. Good Friday (Fri 26 March) and Easter Monday (Mon 29 March)
are English bank holidays; the clocks go forward on Sun 28 March. Every date
below is worked out by hand on the flagship policy (stage 1: first contact
within 24 working hours of receipt, response within 10 working days of it,
due soon with 2 working days left), and every reminder must arrive exactly
once, at the first sweep of the right working day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
import time_machine

from putright.cases.models import EventKind
from putright.cases.services import responses
from putright.comms.models import Reminder
from putright.comms.reminders.sweep import sweep
from tests.cases.conftest import all_points
from tests.cases.helpers import LONDON, end_of, on
from tests.comms.conftest import reminder_emails
from tests.learning.helpers import record_learning

START, END = on("Mon 2027-03-22 00:00"), on("Mon 2027-04-05 00:00")
STEP = dt.timedelta(minutes=15)

EXPECTED = {
    # A, received Fri 12 Mar: response due Tue 30 Mar (Mon 15 ... Fri 19 are 1-5, Mon 22 ... Thu 25
    # are 6-9, Fri 26 and Mon 29 are bank holidays, Tue 30 is 10).
    ("A", "stage1.response"): [
        # Wed 24: two working days left, Thu 25 and Tue 30 (not Fri 26 as it would be without Easter).
        ("soon", "Wed 2027-03-24 00:00"),
        ("today", "Tue 2027-03-30 00:00"),  # 00:00 BST, which is 23:00 on Mon 29 in UTC
        ("missed", "Wed 2027-03-31 00:00"),
    ],
    # B, received Thu 11 Mar: response due Thu 25 Mar (Fri 12 is 1, Mon 15 ... Fri 19 are 2-6,
    # Mon 22 ... Thu 25 are 7-10).
    ("B", "stage1.response"): [
        ("soon", "Tue 2027-03-23 00:00"),  # Wed 24 and Thu 25 left
        ("today", "Thu 2027-03-25 00:00"),
        # Missed from Fri 26 00:00, but Good Friday, the weekend and Easter Monday are not
        # working days: the first working day is Tue 30.
        ("missed", "Tue 2027-03-30 00:00"),
    ],
    # C, received Tue 16 Mar: response due Thu 1 Apr (Wed 17 ... Fri 19 are 1-3, Mon 22 ... Thu 25
    # are 4-7, Tue 30 ... Thu 1 are 8-10). Responded to and closed on Tue 30 at 12:00.
    ("C", "stage1.response"): [
        ("soon", "Tue 2027-03-30 00:00"),  # Wed 31 and Thu 1 left; on Thu 25 there were three
    ],
    # D, received Mon 22 Mar 16:00 (GMT), no contact made: first contact due 24 working hours
    # later, Tue 23 Mar 16:00 GMT (8 hours of Monday, 16 of Tuesday).
    ("D", "stage1.contact"): [
        ("soon", "Mon 2027-03-22 16:00"),  # due tomorrow, at once
        ("today", "Tue 2027-03-23 00:00"),
        ("missed", "Tue 2027-03-23 16:15"),  # the first sweep after 16:00
    ],
    # E, received Thu 25 Mar 16:00 (GMT), no contact made: 8 working hours of Thursday, then 16 of
    # the next working day, Tue 30 Mar: due 16:00 BST, across the clock change.
    ("E", "stage1.contact"): [
        ("soon", "Thu 2027-03-25 16:00"),
        ("today", "Tue 2027-03-30 00:00"),
        ("missed", "Tue 2027-03-30 16:15"),  # 16:15 BST, 15:15 UTC: not an hour early or late
    ],
}


@pytest.mark.django_db
def test_a_fortnight_over_easter_and_the_clock_change(accepted, caseworker):
    made = {
        "A": accepted("Fri 2027-03-12 10:00"),
        "B": accepted("Thu 2027-03-11 10:00"),
        "C": accepted("Tue 2027-03-16 10:00"),
    }
    assert made["A"].deadlines.get(name="stage1.response").due_at == end_of("Tue 2027-03-30")
    assert made["B"].deadlines.get(name="stage1.response").due_at == end_of("Thu 2027-03-25")
    assert made["C"].deadlines.get(name="stage1.response").due_at == end_of("Thu 2027-04-01")

    def during(instant: dt.datetime) -> None:
        """What staff do in the fortnight, just before the sweep at that moment."""
        if instant == on("Mon 2027-03-22 16:00"):
            made["D"] = accepted("Mon 2027-03-22 16:00", contact=False)
        elif instant == on("Thu 2027-03-25 16:00"):
            made["E"] = accepted("Thu 2027-03-25 16:00", contact=False)
        elif instant == on("Tue 2027-03-30 12:00"):
            complaint = made["C"]
            responses.respond(
                complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=caseworker
            )
            record_learning(complaint, caseworker)
            responses.close(complaint, actor=caseworker)

    instant = START
    while instant < END:
        with time_machine.travel(instant, tick=False):
            during(instant)
            sweep()
        instant += STEP

    assert made["D"].deadlines.get(name="stage1.contact").due_at == on("Tue 2027-03-23 16:00")
    assert made["E"].deadlines.get(name="stage1.contact").due_at == on("Tue 2027-03-30 16:00")
    made["C"].refresh_from_db()
    assert made["C"].state == "closed"

    names = {complaint.pk: letter for letter, complaint in made.items()}
    sent: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for reminder in Reminder.objects.select_related("deadline").order_by("sent_at", "pk"):
        when = reminder.sent_at.astimezone(LONDON)
        sent[(names[reminder.complaint_id], reminder.deadline.name)].append(
            (reminder.level, f"{when:%a %Y-%m-%d %H:%M}")
        )
    assert dict(sent) == EXPECTED

    # One timeline event per reminder, and two emails each (owner and team lead).
    total = sum(len(levels) for levels in EXPECTED.values())
    for letter, complaint in made.items():
        expected = sum(len(v) for (who, _), v in EXPECTED.items() if who == letter)
        assert complaint.timeline.filter(kind=EventKind.REMINDER_SENT).count() == expected
    assert len(reminder_emails()) == 2 * total
    # Nothing for C after it was closed.
    closed_at = made["C"].closed_at
    assert not Reminder.objects.filter(complaint=made["C"], sent_at__gte=closed_at).exists()
