"""Complaints made by hand through the real services, for the flat export's tests.

Flagship policy, England and Wales; Victory Housing Trust (VHT) under Flagship Group (FG).
Every customer is a tenant, so every complaint's stock type is lcra. Times are London's
(GMT until Sun 29 March 2026, then BST: a London time in summer is an hour ahead of UTC).

    A  received Mon 2026-03-02 10:00 by phone: the standard journey to the appeal's final
       response (tests/cases/conftest.py), in the reporting year 2025-26.
       stage 1: opened Mon 2 March 11:00, response due 10 working days from receipt, the end of
                Mon 16 March (2026-03-16T23:59:59+00:00); responded Thu 12 March 15:00: on time.
       stage 2: opened Fri 13 March 10:00, response due 20 working days from the request
                (Good Friday 3 April and Easter Monday 6 April do not count): the end of Tue
                14 April in BST (2026-04-14T22:59:59+00:00); responded Thu 19 March: on time.
       appeal:  the meeting Tue 21 April 14:00, the decision due 5 working days later, the end of
                Tue 28 April (2026-04-28T22:59:59+00:00); decided Thu 23 April 16:00 BST.
       Both points upheld at every stage: 6 outcomes.
    B  received Wed 2026-04-01 12:00 (11:00 UTC) by email, in 2026-27; accepted and contacted
       then. Response first due the end of Fri 17 April (10 working days, Easter not counted);
       extended on Wed 15 April, within the policy, to Fri 1 May (2026-05-01T22:59:59+00:00);
       responded Thu 30 April 15:00: point 1 upheld, point 2 not upheld; on time.
       Point 1: theme damp_and_mould, service area '=HYPERLINK("http://evil.example","Click")'
       (a department, named by an administrator), root cause process_not_followed.
       Point 2: theme "letters", since merged into communication.
       Remedies: £150.00 for time and trouble for point 1, offered Thu 30 April, accepted Fri 1
       May, paid Tue 5 May; an apology for the whole complaint, offered Thu 30 April.
       A case action agreed Thu 30 April, due Fri 29 May, not done: overdue on Mon 1 June.
       A learning action linked Fri 1 May, due Wed 30 September (a training change), not done.
       The customer's words: '=HYPERLINK("http://evil.example","Click")' in the description.
    D  received Wed 2026-04-01 13:00 by phone; extended on Wed 15 April beyond the policy (to
       Fri 15 May, with a good reason): the policy's own date stays Fri 17 April
       (2026-04-17T22:59:59+00:00); responded Thu 14 May 15:00, both points upheld: late by
       the policy, on time by the date agreed with the customer.
    N  received Thu 2026-04-02 10:00 by letter: not accepted (a first request for a service).
    Z  received Wed 2026-04-01 10:00 at another landlord, Suffolk Housing (SH): never seen by
       VHT's staff.

The export is taken on Mon 2026-06-01 12:00.
"""

from __future__ import annotations

from decimal import Decimal

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import Complaint
from putright.cases.services import investigation, responses, triage
from putright.cases.services.customers import create_customer
from putright.learning.models import RootCause, Theme
from putright.learning.services.lessons import create_learning_action
from putright.learning.services.lists import add_service_area
from putright.learning.services.points import record_point_learning
from putright.learning.services.remedies import accept_remedy, offer_remedy, pay_remedy
from tests.cases.helpers import at, day, on, wall
from tests.web.helpers import make_user

EXPORTED = "Mon 2026-06-01 12:00"
CUSTOMER_WORDS = '=HYPERLINK("http://evil.example","Click")'
AREA = '=HYPERLINK("http://evil.example","Click")'


def _start(log, officer, received, **extra) -> Complaint:
    complaint = log(wall(received), **extra)
    with at(received):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        investigation.record_contact(complaint, method="phone", summary="Talked it through", actor=officer)
    complaint.refresh_from_db()
    return complaint


def _respond(complaint, officer, when, *outcomes) -> None:
    complaint.refresh_from_db()
    points = complaint.points.order_by("number").values_list("pk", flat=True)
    with at(when):
        responses.respond(
            complaint,
            outcomes={pk: (outcome, "Our reasons") for pk, outcome in zip(points, outcomes, strict=True)},
            method="letter",
            summary="Our answer",
            actor=officer,
        )


def _extend(complaint, officer, when, to, **extra) -> None:
    complaint.refresh_from_db()
    with at(when):
        investigation.extend(
            complaint, new_due_on=day(to), reason="Waiting for the surveyor", actor=officer, **extra
        )


def make_b(log, officer, org) -> Complaint:
    b = _start(log, officer, "Wed 2026-04-01 12:00", channel="email", description=CUSTOMER_WORDS)
    _extend(b, officer, "Wed 2026-04-15 10:00", "Fri 2026-05-01")
    _respond(b, officer, "Thu 2026-04-30 15:00", "upheld", "not_upheld")
    admin = make_user("ada_admin", Role.ADMINISTRATOR, org)
    area = add_service_area(org, AREA, actor=admin)
    letters = Theme.objects.create(key="letters", name="Letters", position=99)
    one, two = b.points.order_by("number")
    with at("Thu 2026-04-30 16:00"):
        record_point_learning(
            b,
            point_id=one.pk,
            actor=officer,
            theme=Theme.objects.get(key="damp_and_mould"),
            service_area=area,
            root_cause=RootCause.objects.get(key="process_not_followed"),
            root_cause_note="Not booked",
        )
        record_point_learning(b, point_id=two.pk, actor=officer, theme=letters)
    Theme.objects.filter(pk=letters.pk).update(merged_into=Theme.objects.get(key="communication"))
    with at("Thu 2026-04-30 16:30"):
        money = offer_remedy(
            b,
            remedy_type="financial",
            description="For the trouble",
            amount="150.00",
            purpose="time_and_trouble",
            point_id=one.pk,
            actor=officer,
        )
        offer_remedy(b, remedy_type="apology", description="Sorry", actor=officer)
        responses.add_action(b, description="Fix the roof", due_on=day("Fri 2026-05-29"), actor=officer)
    with at("Fri 2026-05-01 09:00"):
        accept_remedy(b, remedy_id=money.pk, actor=officer)
        senior = make_user("stella", Role.SENIOR_MANAGER, org)
        create_learning_action(
            org,
            lesson="Repairs reported by email were not booked",
            change="Train the contact centre",
            change_kind="training",
            owner=senior,
            due_on=day("Wed 2026-09-30"),
            complaints=[b],
            actor=senior,
        )
    with at("Tue 2026-05-05 09:00"):
        pay_remedy(b, remedy_id=money.pk, payment_reference="BACS 1", actor=officer)
    b.refresh_from_db()
    return b


def make_cases(journey, log, officer, org) -> dict[str, Complaint]:
    """The complaints above, by letter."""
    made = {"A": journey.until("final")}
    made["B"] = make_b(log, officer, org)
    made["D"] = d = _start(log, officer, "Wed 2026-04-01 13:00")
    _extend(
        d,
        officer,
        "Wed 2026-04-15 11:00",
        "Fri 2026-05-15",
        good_reason="The contractor's records were seized by the police",
    )
    _respond(d, officer, "Thu 2026-05-14 15:00", "upheld", "upheld")
    made["N"] = n = log(wall("Thu 2026-04-02 10:00"), channel="letter")
    with at("Thu 2026-04-02 11:00"):
        triage.not_accept(
            n, reason="first_request_for_service", explanation="Booked as a repair", actor=officer
        )
    made["Z"] = elsewhere(log)
    for complaint in made.values():
        complaint.refresh_from_db()
    return made


def elsewhere(log) -> Complaint:
    other = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, homes=3000
    )
    grace = create_customer(organisation=other, first_name="Grace", last_name="Hopper", phone="01473 000000")
    return log(wall("Wed 2026-04-01 10:00"), organisation=other, customer=grace)


#: The instant the export is taken.
def exported_at():
    return on(EXPORTED)


MONEY = Decimal("150.00")
