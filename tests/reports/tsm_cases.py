"""Complaints made by hand through the real services, for the TSM of the year 2025-26.

The reporting year is 1 April 2025 to 31 March 2026, midnight to midnight in London. England's
bank holidays in it: Good Friday 18 April and Easter Monday 21 April 2025, 5 and 26 May, 25
August, 25 and 26 December 2025, 1 January 2026. The Code's clocks (putright.procedure.tsm):
acknowledge within 5 working days of receipt; respond within 10 (stage 1) or 20 (stage 2)
working days of the acknowledgement, or of the acknowledgement's last day if it came later or
never; an extension of at most 10 (stage 1) or 20 (stage 2) more working days, its reason told,
moves the limit. The acknowledgement is set on the stage as the "ack" work records it (by letter
or by contact); here it is written directly.

Victory Housing Trust (VHT), under Flagship Group (FG); homes at 31 March 2026: 4,000 LCRA and
1,000 LCHO (and, for the year before, 3,900 LCRA: never used for 2025-26). Tenants unless said.

 ref received (London)   acknowledged       responded            the Code's last day     counts
 A   Tue 2025-04-01 10:00 Wed 04-02 letter  Wed 2025-04-16 15:00 Wed 04-16                S1, within
     (from Wed 2 April: 3, 4, 7, 8, 9, 10, 11, 14, 15, 16 April)
 B   Thu 2025-04-03 10:00 Fri 04-04 contact Wed 2025-04-23 10:00 Tue 04-22                S1, late
     (from Fri 4 April: 7-11, 14-17, [Good Friday, Easter Monday], Tue 22 April)
 C   Mon 2025-06-02 10:00 Mon 06-02 letter  Thu 2025-06-26 14:00 Mon 06-16, extended      S1, within
     (extended on Wed 11 June to Fri 27 June, reason told: the Code allows up to Mon 30 June)
 D   Tue 2025-07-01 10:00 Tue 07-01 letter  Thu 2025-07-31 10:00 Tue 07-15                S1, late
     (extended on Mon 7 July to Fri 8 August with a good reason: beyond the Code's Tue 29 July,
     so it counts only up to the Code's Tue 29 July; a reading that takes good reasons makes it within)
 E   Mon 2025-03-24 10:00 Tue 03-25 letter  Wed 2025-04-02 10:00 Tue 04-08                S1 the year
     before; its response, in the year, counts in CH02(1): within
 F   Mon 2026-03-23 10:00 Tue 03-24 contact Thu 2026-04-02 10:00 -                        S1; answered
     the next year
 G   Mon 2025-09-01 10:00 Mon 09-01 letter  Fri 2025-09-05 10:00 Mon 09-15                S1, within
     review asked Mon 2025-09-08 10:00, acknowledged Tue 09-09, answered Mon 2025-10-06;
     the Code's last day Tue 7 October (20 working days from Tue 9 September)  S2, within;
     then an appeal asked Mon 2025-10-13: not a stage of the Code, not counted
 H   Mon 2025-11-03 10:00 Mon 11-03 letter  Fri 2025-11-07 10:00 Mon 11-17                S1, within
     review asked Mon 2025-12-01 10:00, never acknowledged: counted from the last day it
     should have been, Mon 8 December; + 20: 9-12, 15-19, 22-24, [25, 26], 29-31, [1 Jan],
     2, 5, 6, 7, Thu 8 January 2026. Answered Fri 2026-01-09                  S2, late
 I   Mon 2026-01-12 10:00 accepted, withdrawn Wed 2026-01-14 (after acceptance)  S1 received
 J   Tue 2026-01-13 10:00 withdrawn at 12:00 before acceptance                    not a complaint at stage 1
 K   Wed 2026-01-14 10:00 not accepted                                            not counted
 L   Thu 2026-01-15 10:00 resolved informally at 10:30                            S1 under the default
     reading, and answered within the Code's time; told as an informal resolution either way
 M   Tue 2026-02-03 10:00 Tue 02-03 letter  Fri 2026-02-06 10:00 (a leaseholder: LCHO)    S1, within
 N   Wed 2026-02-04 10:00 accepted (an applicant: no stock type)                  in no measure
 R   Mon 2026-03-09 10:00 Mon 03-09 letter  not yet; the Code's last day Mon 23 March     S1 received

Greenway Homes (GWH), also under FG; 2,000 LCRA homes, no LCHO homes recorded:
 P   Mon 2026-03-02 10:00 Mon 03-02 letter  Fri 2026-03-13 10:00 Mon 03-16                S1, within

Elsewhere Homes (EH), not in the group; 1,000 LCRA homes: Q received Mon 2026-03-02, accepted.

Worked out, default reading (extensions the Code allows count; informal resolutions count):
  VHT LCRA: CH01(1) A B C D F G H I L R = 10 / 4,000 homes = 2.5 per 1,000
            CH01(2) G H = 2 / 4,000 = 0.5
            CH02(1) within A C E G H L = 6 of responded A B C D E G H L = 8: 75.0%
            CH02(2) within G = 1 of G H = 2: 50.0%
  VHT LCHO: CH01(1) M = 1 / 1,000 = 1.0; CH01(2) 0.0; CH02(1) 1 of 1: 100.0%; CH02(2) none
  GWH LCRA: CH01(1) P = 1 / 2,000 = 0.5; CH02(1) 1 of 1: 100.0%. GWH LCHO: no homes, no value.
  FG LCRA (VHT and GWH): CH01(1) 11 / 6,000 = 1.833 = 1.8; CH01(2) 2 / 6,000 = 0.333 = 0.3;
            CH02(1) 7 of 9 = 77.8%; CH02(2) 1 of 2 = 50.0%
Strict reading (neither): VHT LCRA CH01(1) 9 / 4,000 = 2.25, rounded half up to 2.3;
            CH02(1) within A E G H = 4 of A B C D E G H = 7: 57.1%.
Good reasons taken: VHT LCRA CH02(1) 7 of 8 (D within): 87.5%.
"""

from __future__ import annotations

from putright.accounts.models import HomesCount, Organisation, OrganisationKind, Role, User
from putright.cases.models import AcknowledgedVia, Stage
from putright.cases.services import changes, escalation, investigation, responses, triage
from putright.cases.services.customers import create_customer
from tests.cases.helpers import at, day, on, wall


def acknowledge(complaint, number, when, via=AcknowledgedVia.LETTER):
    """Set a stage's acknowledgement as the acknowledgement work records it (or None: never)."""
    Stage.objects.filter(complaint=complaint, number=number).update(
        acknowledged_at=on(when) if when else None, acknowledged_via=via if when else ""
    )


def _outcomes(complaint):
    return dict.fromkeys(complaint.points.values_list("pk", flat=True), ("upheld", "Our reasons"))


def respond(complaint, officer, when):
    complaint.refresh_from_db()
    with at(when):
        responses.respond(
            complaint, outcomes=_outcomes(complaint), method="letter", summary="Our answer", actor=officer
        )


def stage1(log, officer, received, acknowledged, via=AcknowledgedVia.LETTER, **extra):
    complaint = log(wall(received), **extra)
    with at(received):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    acknowledge(complaint, 1, acknowledged, via)
    complaint.refresh_from_db()
    return complaint


def extend(complaint, officer, when, new_due, good_reason=""):
    complaint.refresh_from_db()
    with at(when):
        investigation.extend(
            complaint,
            new_due_on=day(new_due),
            reason="Waiting for the surveyor",
            good_reason=good_reason,
            actor=officer,
        )


def escalate(complaint, senior, when):
    complaint.refresh_from_db()
    with at(when):
        escalation.escalate(complaint, grounds={"b"}, explanation="Not put right", owner=senior, actor=senior)
    complaint.refresh_from_db()


def staff(username, role, organisation):
    user = User.objects.create_user(username=username, password="x-correct-horse", role=role)
    user.organisations.add(organisation)
    return user


def organisations(org):
    """VHT (the fixture's), GWH beside it under the group, EH outside; their homes."""
    group = org.parent
    gwh = Organisation.objects.create(
        name="Greenway Homes", short_name="GWH", kind=OrganisationKind.LANDLORD, parent=group
    )
    eh = Organisation.objects.create(name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD)
    HomesCount.objects.bulk_create(
        [
            HomesCount(organisation=org, stock_type="lcra", year=2025, homes=4000),
            HomesCount(organisation=org, stock_type="lcho", year=2025, homes=1000),
            HomesCount(organisation=org, stock_type="lcra", year=2024, homes=3900),
            HomesCount(organisation=gwh, stock_type="lcra", year=2025, homes=2000),
            HomesCount(organisation=eh, stock_type="lcra", year=2025, homes=1000),
        ]
    )
    return gwh, eh


def make_year(log, org, officer, senior):
    """Every complaint of the table above; returns them by letter."""
    gwh, eh = organisations(org)
    made = {}
    made["A"] = a = stage1(log, officer, "Tue 2025-04-01 10:00", "Wed 2025-04-02 10:00")
    respond(a, officer, "Wed 2025-04-16 15:00")
    made["B"] = b = stage1(
        log, officer, "Thu 2025-04-03 10:00", "Fri 2025-04-04 11:00", AcknowledgedVia.CONTACT
    )
    respond(b, officer, "Wed 2025-04-23 10:00")
    made["C"] = c = stage1(log, officer, "Mon 2025-06-02 10:00", "Mon 2025-06-02 12:00")
    extend(c, officer, "Wed 2025-06-11 10:00", "Fri 2025-06-27")
    respond(c, officer, "Thu 2025-06-26 14:00")
    made["D"] = d = stage1(log, officer, "Tue 2025-07-01 10:00", "Tue 2025-07-01 11:00")
    extend(
        d,
        officer,
        "Mon 2025-07-07 10:00",
        "Fri 2025-08-08",
        good_reason="The contractor went into administration",
    )
    respond(d, officer, "Thu 2025-07-31 10:00")
    made["E"] = e = stage1(log, officer, "Mon 2025-03-24 10:00", "Tue 2025-03-25 10:00")
    respond(e, officer, "Wed 2025-04-02 10:00")
    made["F"] = f = stage1(
        log, officer, "Mon 2026-03-23 10:00", "Tue 2026-03-24 10:00", AcknowledgedVia.CONTACT
    )
    respond(f, officer, "Thu 2026-04-02 10:00")

    made["G"] = g = stage1(log, officer, "Mon 2025-09-01 10:00", "Mon 2025-09-01 11:00")
    respond(g, officer, "Fri 2025-09-05 10:00")
    escalate(g, senior, "Mon 2025-09-08 10:00")
    acknowledge(g, 2, "Tue 2025-09-09 10:00")
    respond(g, senior, "Mon 2025-10-06 10:00")
    with at("Mon 2025-10-13 10:00"):
        escalation.request_appeal(g, criteria=["a"], explanation="Still unhappy", actor=None)

    made["H"] = h = stage1(log, officer, "Mon 2025-11-03 10:00", "Mon 2025-11-03 11:00")
    respond(h, officer, "Fri 2025-11-07 10:00")
    escalate(h, senior, "Mon 2025-12-01 10:00")
    acknowledge(h, 2, None)
    respond(h, senior, "Fri 2026-01-09 10:00")

    made["I"] = i = stage1(log, officer, "Mon 2026-01-12 10:00", "Mon 2026-01-12 11:00")
    with at("Wed 2026-01-14 10:00"):
        changes.withdraw(i, reason="Sorted it out with the neighbour", actor=officer)
    made["J"] = j = log(wall("Tue 2026-01-13 10:00"))
    with at("Tue 2026-01-13 12:00"):
        changes.withdraw(j, reason="Logged by mistake", actor=officer)
    made["K"] = k = log(wall("Wed 2026-01-14 10:00"))
    with at("Wed 2026-01-14 11:00"):
        triage.not_accept(k, reason="neighbour_or_asb", explanation="A neighbour dispute", actor=officer)
    made["L"] = lo = log(wall("Thu 2026-01-15 10:00"))
    with at("Thu 2026-01-15 10:30"):
        triage.resolve_informally(lo, resolution="Booked the repair while on the phone", actor=officer)

    leaseholder = create_customer(
        organisation=org, first_name="Lee", last_name="Holder", phone="01603 1", tenure="leaseholder"
    )
    made["M"] = m = stage1(log, officer, "Tue 2026-02-03 10:00", "Tue 2026-02-03 11:00", customer=leaseholder)
    respond(m, officer, "Fri 2026-02-06 10:00")
    applicant = create_customer(
        organisation=org, first_name="App", last_name="Licant", phone="01603 2", tenure="applicant"
    )
    made["N"] = stage1(log, officer, "Wed 2026-02-04 10:00", "Wed 2026-02-04 11:00", customer=applicant)
    made["R"] = stage1(log, officer, "Mon 2026-03-09 10:00", "Mon 2026-03-09 11:00")

    greenway = create_customer(organisation=gwh, first_name="Gwen", last_name="Way", phone="01603 3")
    gwh_officer = staff("gina", Role.RESOLUTION_OFFICER, gwh)
    made["P"] = p = stage1(
        log, gwh_officer, "Mon 2026-03-02 10:00", "Mon 2026-03-02 11:00", organisation=gwh, customer=greenway
    )
    respond(p, gwh_officer, "Fri 2026-03-13 10:00")
    elsewhere = create_customer(organisation=eh, first_name="Else", last_name="Where", phone="01603 4")
    made["Q"] = stage1(
        log,
        staff("elsie", Role.RESOLUTION_OFFICER, eh),
        "Mon 2026-03-02 10:00",
        "Mon 2026-03-02 11:00",
        organisation=eh,
        customer=elsewhere,
    )
    return made
