"""A small set of complaints for the dashboard, made through the real services, figures by hand.

The period is 2026-Q1 (April to June 2026). It starts from the "You said, we did" set
(tests/learning/publish_cases.py: A, B, C, D and F received in the quarter, E the day
before it, G the day after; A escalated on Mon 20 April), and adds, from another
customer, Ben: H not accepted (a first request for service), I withdrawn, J resolved
informally, all received on Thu 2026-05-07 by email.

Acknowledgements (set directly, as the "ack" work records them), stage 1, working days
after the receipt on Wed 1 April (Good Friday 3 April and Easter Monday 6 April are
holidays): A Thu 2 April (1), B Thu 9 April (4), C Fri 10 April (5), D Mon 13 April (6,
late by the Code's 5); F none.

The Code's stage 1 response, working days from the acknowledgement: A 2 -> 17 April: 9
(on time, 10 allowed); B 9 -> 20 April: 7 (on time; late by the policy); C 10 -> 30
April: 14 (extended, 20 allowed: on time); D 13 April -> 14 May: 22 (the early May bank
holiday on 4 May; extended, 20 allowed: late).

The policy's response deadline, met_at against due_at: A on time, B late, C on time
(extended within the policy), D on time (moved by an extension with a good reason).
Working days from the receipt to the response: A 10, B 11, C 19, D 28: median 15.

Remedies: A point 1 (damp and mould) £50.00 offered and paid; D (the whole complaint)
£25.00 offered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from putright.accounts.models import Organisation
from putright.cases.models import Stage, copied_from
from putright.cases.services import changes, triage
from putright.cases.services.customers import create_customer
from putright.learning.models import Remedy
from tests.cases.helpers import at, on, wall
from tests.learning.publish_cases import make_quarter

ACKNOWLEDGED = {
    "A": "Thu 2026-04-02 10:00",
    "B": "Thu 2026-04-09 10:00",
    "C": "Fri 2026-04-10 10:00",
    "D": "Mon 2026-04-13 10:00",
}


def make_dashboard_set(log, officer, senior, org: Organisation) -> dict:
    made = make_quarter(log, officer, senior)
    for key, when in ACKNOWLEDGED.items():
        Stage.objects.filter(complaint=made[key], number=1).update(
            acknowledged_at=on(when), acknowledged_via="contact"
        )
    ben = create_customer(
        organisation=org, first_name="Ben", last_name="Day", email="ben@example.org", postcode="NR1 1AA"
    )
    for key in "HIJ":
        made[key] = log(wall("Thu 2026-05-07 10:00"), customer=ben, channel="email")
    with at("Thu 2026-05-07 11:00"):
        triage.not_accept(
            made["H"],
            reason="first_request_for_service",
            explanation="A first request for a repair.",
            actor=officer,
        )
        changes.withdraw(made["I"], reason="Sorted out", actor=officer)
        triage.resolve_informally(made["J"], resolution="The repair was booked.", actor=officer)
    first = made["A"].points.get(number=1)
    Remedy.objects.create(
        complaint=made["A"],
        **copied_from(made["A"]),
        stage_number=1,
        point=first,
        remedy_type="financial",
        amount=Decimal("50.00"),
        purpose="time_and_trouble",
        status="paid",
        offered_on=dt.date(2026, 4, 17),
        paid_on=dt.date(2026, 4, 24),
    )
    Remedy.objects.create(
        complaint=made["D"],
        **copied_from(made["D"]),
        stage_number=1,
        remedy_type="financial",
        amount=Decimal("25.00"),
        purpose="time_and_trouble",
        offered_on=dt.date(2026, 5, 14),
    )
    for complaint in made.values():
        complaint.refresh_from_db()
    return made
