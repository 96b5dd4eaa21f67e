"""Complaints made by hand through the real services, for the "You said, we did" figures.

The quarter is 2026-Q1, April to June 2026 (British Summer Time throughout: a quarter
starts at midnight in London, 23:00 UTC the day before). Flagship policy, England and
Wales: the stage 1 response is due 10 working days from receipt, at the end of the day.

    ref  received (London)       response                       due (policy)        outcome
    A    Wed 2026-04-01 00:30    Fri 2026-04-17 16:00           Fri 2026-04-17      upheld       on time
         (Good Friday 3 April and Easter Monday 6 April are not working days: without them
         the response would have been due on Wed 15 April, and late)
    B    Wed 2026-04-01 10:00    Mon 2026-04-20 10:00           Fri 2026-04-17      not upheld   late
    C    Wed 2026-04-01 12:00    Thu 2026-04-30 15:00           Fri 2026-05-01      partly       on time
         (extended on Wed 15 April, within the policy, to Fri 1 May)
    D    Wed 2026-04-01 13:00    Thu 2026-05-14 15:00           Fri 2026-04-17      upheld       late
         (extended on Wed 15 April to Fri 15 May, beyond the policy, with a good reason:
         the policy's own date stays Fri 17 April)
    E    Tue 2026-03-31 23:59    Thu 2026-04-16 17:00           Fri 2026-04-17      not upheld   on time
         (received in the quarter before, after working hours, so its clock starts on 1 April:
         its response counts in April to June, the complaint does not)
    F    Tue 2026-06-30 23:30    -   (received in the quarter: counts)
    G    Wed 2026-07-01 00:00    -   (received in the next quarter)

Stage 2: A's customer asks for a review on Mon 2026-04-20.
Received in the quarter: A, B, C, D, F = 5. Responses: 5, upheld or partly 3, on time 3 (60%).
Themes of the points of A, B, C, D, F: damp and mould 3 (A1, B1, F1); communication 3
(A2, C1, and B2 whose theme "Letters" was merged into communication); rent 1 (D1).
"""

from __future__ import annotations

from putright.cases.models import copied_from
from putright.cases.services import escalation, investigation, responses, triage
from putright.learning.models import PointLearning, Theme
from tests.cases.helpers import at, day, wall


def _outcomes(complaint, outcome):
    return dict.fromkeys(complaint.points.values_list("pk", flat=True), (outcome, "Our reasons"))


def _start(log, officer, received, **extra):
    complaint = log(wall(received), **extra)
    with at(received):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        investigation.record_contact(complaint, method="phone", summary="Talked it through", actor=officer)
    complaint.refresh_from_db()
    return complaint


def _respond(complaint, officer, when, outcome):
    complaint.refresh_from_db()
    with at(when):
        responses.respond(
            complaint,
            outcomes=_outcomes(complaint, outcome),
            method="letter",
            summary="Our answer",
            actor=officer,
        )


def _theme(complaint, number, key):
    point = complaint.points.get(number=number)
    theme = Theme.objects.get(key=key)
    PointLearning.objects.update_or_create(
        point=point, defaults={"theme": theme}, create_defaults={"theme": theme, **copied_from(complaint)}
    )


def make_quarter(log, officer, senior):
    """The complaints above, by letter."""
    made = {}
    made["A"] = a = _start(log, officer, "Wed 2026-04-01 00:30")
    _respond(a, officer, "Fri 2026-04-17 16:00", "upheld")
    made["B"] = b = _start(log, officer, "Wed 2026-04-01 10:00")
    _respond(b, officer, "Mon 2026-04-20 10:00", "not_upheld")
    made["C"] = c = _start(log, officer, "Wed 2026-04-01 12:00")
    with at("Wed 2026-04-15 10:00"):
        investigation.extend(
            c, new_due_on=day("Fri 2026-05-01"), reason="Waiting for the surveyor", actor=officer
        )
    _respond(c, officer, "Thu 2026-04-30 15:00", "partially_upheld")
    made["D"] = d = _start(log, officer, "Wed 2026-04-01 13:00")
    d.refresh_from_db()
    with at("Wed 2026-04-15 11:00"):
        investigation.extend(
            d,
            new_due_on=day("Fri 2026-05-15"),
            reason="The contractor's report is late",
            good_reason="The contractor's records were seized by the police",
            actor=officer,
        )
    _respond(d, officer, "Thu 2026-05-14 15:00", "upheld")
    made["E"] = e = _start(log, officer, "Tue 2026-03-31 23:59")
    _respond(e, officer, "Thu 2026-04-16 17:00", "not_upheld")
    made["F"] = _start(log, officer, "Tue 2026-06-30 23:30")
    made["G"] = log(wall("Wed 2026-07-01 00:00"))
    a.refresh_from_db()
    with at("Mon 2026-04-20 10:00"):
        escalation.escalate(a, grounds={"b"}, explanation="The offer is too low", owner=senior, actor=senior)

    letters = Theme.objects.create(key="letters", name="Letters", position=99)
    communication = Theme.objects.get(key="communication")
    Theme.objects.filter(pk=letters.pk).update(merged_into=communication)
    _theme(a, 1, "damp_and_mould")
    _theme(a, 2, "communication")
    _theme(b, 1, "damp_and_mould")
    _theme(b, 2, "letters")
    _theme(c, 1, "communication")
    _theme(d, 1, "rent_and_charges")
    _theme(made["F"], 1, "damp_and_mould")
    _theme(e, 1, "rent_and_charges")
    _theme(made["G"], 1, "rent_and_charges")
    return made
