"""Triage: accepted at stage 1 (its clocks counted from receipt), resolved informally, or not accepted.

Stage 1 under the flagship policy: contact within 24 working hours of receipt;
response within 10 working days of receipt. A clock started on a non-working
day, or at or after 17:00, starts at 00:00 on the next working day. Working
hours count whole 24-hour working days; a working-days deadline is the end
(23:59:59) of the Nth working day after the day the clock starts.
"""

from __future__ import annotations

import pytest

from putright.cases.errors import CaseNotFound, InvalidInput, StepNotAllowed
from putright.cases.models import EventKind
from putright.cases.services import triage
from tests.cases.helpers import at, day, due, end_of, kinds, last_event, on, refused, wall


def accept_at(log, officer, received: str, accepted: str):
    with at(accepted):
        complaint = log(wall(received))
        triage.accept(complaint, owner=officer, actor=officer, reasoning=" Unhappy with a repair we did. ")
    return complaint


# --- Accepted at stage 1: the clocks, by hand ------------------------------------------------------


def test_accepting_starts_stage_1_with_its_owner_and_both_clocks_counted_from_receipt(log, officer, team):
    # Received Mon 2 March 2026 at 10:00, a working day before the cut-off: the
    # clock starts then. Accepted on Wednesday, but the clocks count from receipt.
    # Contact, 24 working hours: Mon 10:00 -> 14 hours to midnight, 10 more on
    #   Tue 3 March -> Tue 3 March 10:00 (already passed when accepted: it shows).
    # Response, 10 working days: day 0 Mon 2; Tue 3 (1), Wed 4 (2), Thu 5 (3), Fri 6 (4),
    #   Mon 9 (5), Tue 10 (6), Wed 11 (7), Thu 12 (8), Fri 13 (9), Mon 16 (10)
    #   -> end of Mon 16 March.
    complaint = accept_at(log, officer, "Mon 2026-03-02 10:00", "Wed 2026-03-04 09:00")

    assert complaint.state == "stage1"
    assert complaint.stage == 1
    assert (complaint.owner, complaint.team) == (officer, team)
    assert due(complaint, "stage1.contact") == on("Tue 2026-03-03 10:00")
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-16")
    stage = complaint.stages.get()
    assert (stage.number, stage.handler, stage.opened_at) == (1, officer, on("Wed 2026-03-04 09:00"))
    event = last_event(complaint)
    assert event.kind == EventKind.ACCEPTED
    # The triage reasoning is kept on the case and shown on the timeline.
    assert complaint.triage_note == "Unhappy with a repair we did."
    assert event.summary == "Accepted at stage 1 and assigned to Olivia Staff: Unhappy with a repair we did."
    assert event.stage_number == 1
    assert kinds(complaint) == [EventKind.COMPLAINT_LOGGED, EventKind.ACCEPTED]


def test_a_complaint_received_after_the_5pm_cut_off_starts_its_clocks_next_working_day(log, officer):
    # Received Thu 5 March 2026 at 17:30, after the 17:00 cut-off: the clock
    # starts at 00:00 on Fri 6 March.
    # Contact, 24 working hours: the whole of Fri 6 March -> Fri 6 March 23:59:59.
    # Response, 10 working days: day 0 Fri 6; Mon 9 (1), Tue 10 (2), Wed 11 (3),
    #   Thu 12 (4), Fri 13 (5), Mon 16 (6), Tue 17 (7), Wed 18 (8), Thu 19 (9),
    #   Fri 20 (10) -> end of Fri 20 March.
    complaint = accept_at(log, officer, "Thu 2026-03-05 17:30", "Fri 2026-03-06 09:00")

    assert due(complaint, "stage1.contact") == end_of("Fri 2026-03-06")
    assert due(complaint, "stage1.response") == end_of("Fri 2026-03-20")


def test_a_complaint_received_at_the_weekend_starts_its_clocks_on_monday(log, officer):
    # Received Sat 7 March 2026 at 11:00: the clock starts at 00:00 on Mon 9 March.
    # Contact, 24 working hours: the whole of Mon 9 March -> Mon 9 March 23:59:59.
    # Response: day 0 Mon 9; Tue 10 (1) ... Fri 13 (4), Mon 16 (5) ... Fri 20 (9),
    #   Mon 23 (10) -> end of Mon 23 March.
    complaint = accept_at(log, officer, "Sat 2026-03-07 11:00", "Mon 2026-03-09 09:00")

    assert due(complaint, "stage1.contact") == end_of("Mon 2026-03-09")
    assert due(complaint, "stage1.response") == end_of("Mon 2026-03-23")


def test_a_complaint_received_on_christmas_eve_skips_the_three_bank_holidays(log, officer):
    # Received Thu 24 December 2026 at 16:30, a working day before the cut-off.
    # Bank holidays: Fri 25 Dec (Christmas Day), Mon 28 Dec (Boxing Day, substitute
    # for Sat 26), Fri 1 Jan 2027 (New Year's Day).
    # Contact, 24 working hours: 7.5 hours left on Thu 24; then Fri 25, Sat 26, Sun 27
    #   and Mon 28 do not count; 16.5 hours of Tue 29 -> Tue 29 December 16:30.
    # Response, 10 working days: day 0 Thu 24; Tue 29 (1), Wed 30 (2), Thu 31 (3),
    #   [Fri 1 Jan], Mon 4 (4), Tue 5 (5), Wed 6 (6), Thu 7 (7), Fri 8 (8), Mon 11 (9),
    #   Tue 12 (10) -> end of Tue 12 January 2027.
    complaint = accept_at(log, officer, "Thu 2026-12-24 16:30", "Tue 2026-12-29 09:00")

    assert due(complaint, "stage1.contact") == on("Tue 2026-12-29 16:30")
    assert due(complaint, "stage1.response") == end_of("Tue 2027-01-12")


def test_a_complaint_received_on_christmas_eve_evening_starts_after_boxing_day(log, officer):
    # Received Thu 24 December 2026 at 17:15, after the cut-off: the next working
    # day is Tue 29 December (25 and 28 are bank holidays), so the clock starts then.
    # Contact: the whole of Tue 29 -> Tue 29 December 23:59:59.
    # Response: day 0 Tue 29; Wed 30 (1), Thu 31 (2), [Fri 1 Jan], Mon 4 (3), Tue 5 (4),
    #   Wed 6 (5), Thu 7 (6), Fri 8 (7), Mon 11 (8), Tue 12 (9), Wed 13 (10)
    #   -> end of Wed 13 January 2027.
    complaint = accept_at(log, officer, "Thu 2026-12-24 17:15", "Tue 2026-12-29 09:00")

    assert due(complaint, "stage1.contact") == end_of("Tue 2026-12-29")
    assert due(complaint, "stage1.response") == end_of("Wed 2027-01-13")


def test_a_complaint_across_the_march_clock_change_keeps_wall_clock_deadlines(log, officer):
    # Received Fri 27 March 2026 at 14:00 GMT; the clocks go forward on Sun 29 March.
    # Contact, 24 working hours: 10 hours left on Fri 27; Sat and Sun do not count;
    #   14 hours of Mon 30 -> Mon 30 March 14:00 BST (13:00 UTC, not 14:00 UTC).
    # Response, 10 working days: day 0 Fri 27; Mon 30 (1), Tue 31 (2), Wed 1 Apr (3),
    #   Thu 2 (4), [Fri 3 Good Friday, Mon 6 Easter Monday], Tue 7 (5), Wed 8 (6),
    #   Thu 9 (7), Fri 10 (8), Mon 13 (9), Tue 14 (10) -> Tue 14 April 23:59:59 BST.
    complaint = accept_at(log, officer, "Fri 2026-03-27 14:00", "Mon 2026-03-30 09:00")

    contact = due(complaint, "stage1.contact")
    assert contact == on("Mon 2026-03-30 14:00")
    assert (contact.hour, contact.utcoffset().total_seconds()) == (14, 3600)
    assert due(complaint, "stage1.response") == end_of("Tue 2026-04-14")


def test_only_a_complaint_awaiting_triage_can_be_accepted(journey, officer):
    complaint = journey.until("accepted")

    with (
        at("Tue 2026-03-03 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Accept is not possible while the complaint is “Stage 1: investigating”.",
        ),
    ):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")


def test_accepting_needs_the_triage_reasoning(log, officer):
    with at("Mon 2026-03-02 11:00"):
        complaint = log("2026-03-02 10:00")
        with refused(
            complaint,
            StepNotAllowed,
            "Give your triage reasoning: why this meets the definition of a complaint.",
        ):
            triage.accept(complaint, owner=officer, actor=officer, reasoning=" ")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.triage_note) == ("received", "")


# --- Resolved informally ---------------------------------------------------------------------------


def test_front_line_staff_can_resolve_a_complaint_informally_at_once(log, frontline):
    with at("Mon 2026-03-02 10:20"):
        complaint = log("2026-03-02 10:00")
        triage.resolve_informally(
            complaint, resolution="  Booked the roofer for Wednesday while on the phone ", actor=frontline
        )

    assert complaint.state == "resolved_informally"
    assert complaint.closed_at == on("Mon 2026-03-02 10:20")
    assert complaint.triage_note == "Booked the roofer for Wednesday while on the phone"
    assert complaint.version == 2
    assert not complaint.deadlines.exists()
    assert kinds(complaint) == [EventKind.COMPLAINT_LOGGED, EventKind.RESOLVED_INFORMALLY]
    assert (
        last_event(complaint).summary
        == "Resolved informally: Booked the roofer for Wednesday while on the phone"
    )


def test_an_informal_resolution_must_say_how_it_was_resolved(log, frontline):
    with at("Mon 2026-03-02 10:20"):
        complaint = log("2026-03-02 10:00")
        with refused(
            complaint,
            StepNotAllowed,
            "Say how the matter was resolved: an informal resolution is recorded and learnt from.",
        ):
            triage.resolve_informally(complaint, resolution="   ", actor=frontline)


def test_a_complaint_resolved_informally_is_finished(log, frontline, officer):
    with at("Mon 2026-03-02 10:20"):
        complaint = log("2026-03-02 10:00")
        triage.resolve_informally(complaint, resolution="Sorted on the phone", actor=frontline)
        with refused(
            complaint, StepNotAllowed, "Accept is not possible while the complaint is “Resolved informally”."
        ):
            triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")


# --- Not accepted: each exclusion of the policy ------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "policy_text", "signpost"),
    [
        (
            "first_request_for_service",
            (
                "You are requesting a service for the first time. For example, reporting a leaking tap is "
                "requesting a repair, not making a complaint. If the repair work is then not carried out "
                "satisfactorily, you can make a complaint about that service"
            ),
            "Repairs",
        ),
        (
            "neighbour_or_asb",
            (
                "You are complaining about a neighbour or other resident (this is dealt with as Anti-Social "
                "Behaviour)"
            ),
            "Anti-social behaviour team",
        ),
        ("unacceptable_behaviour", "You use threatening or abusive language or actions", ""),
        (
            "not_about_us",
            (
                "The complaint is not about the standard of service, actions or lack of action by us, our "
                "staff, or those acting on our behalf"
            ),
            "",
        ),
    ],
)
def test_a_complaint_not_accepted_records_the_policy_reason_and_its_signpost(
    log, frontline, reason, policy_text, signpost
):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        triage.not_accept(complaint, reason=reason, explanation="  Explained on the phone ", actor=frontline)

    assert complaint.state == "not_accepted"
    assert complaint.exclusion_reason == reason
    assert complaint.signposted_to == signpost
    assert complaint.triage_note == "Explained on the phone"
    assert complaint.closed_at == on("Mon 2026-03-02 14:00")
    assert not complaint.deadlines.exists()
    event = last_event(complaint)
    assert event.kind == EventKind.NOT_ACCEPTED
    assert event.summary == f"Not accepted: {policy_text}"
    assert event.data["signposted_to"] == signpost


def test_a_signpost_given_at_triage_replaces_the_policy_default(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        triage.not_accept(
            complaint,
            reason="first_request_for_service",
            explanation="A new gas leak: passed to the gas team",
            signposted_to="Gasway Services",
            actor=frontline,
        )

    assert complaint.signposted_to == "Gasway Services"


def test_a_complaint_made_more_than_six_months_after_the_matter_is_out_of_time(log, frontline):
    # The matter happened on Fri 29 August 2025. Six months on is 29 February,
    # which 2026 does not have, so the limit is the month's last day, Sat 28
    # February 2026. Received Mon 2 March 2026: beyond the limit.
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00", matter_date=day("Fri 2025-08-29"))
        triage.not_accept(
            complaint, reason="out_of_time", explanation="Over six months since the visit", actor=frontline
        )

    assert complaint.state == "not_accepted"
    assert complaint.exclusion_reason == "out_of_time"
    assert (
        last_event(complaint).summary
        == "Not accepted: You waited more than six months before making your complaint"
    )


def test_a_complaint_on_the_last_day_of_the_six_months_is_in_time(log, frontline):
    # The matter happened on Tue 2 September 2025; the limit runs to Mon 2 March
    # 2026, the day it was received: still in time, so it cannot be refused as late.
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00", matter_date=day("Tue 2025-09-02"))
        with refused(
            complaint,
            StepNotAllowed,
            "The complaint is within the 6-month limit: the matter was on 2 September 2025 "
            "and the limit runs to 2 March 2026.",
        ):
            triage.not_accept(complaint, reason="out_of_time", explanation="Too late", actor=frontline)


def test_time_runs_from_when_the_customer_became_aware_if_later(log, frontline):
    # The work was done on Mon 2 June 2025 but the customer only found the damage on
    # Sat 10 January 2026: six months from then runs to Fri 10 July 2026.
    with at("Mon 2026-03-02 14:00"):
        complaint = log(
            "2026-03-02 10:00", matter_date=day("Mon 2025-06-02"), became_aware_on=day("Sat 2026-01-10")
        )
        with refused(
            complaint,
            StepNotAllowed,
            "The complaint is within the 6-month limit: the matter was on 10 January 2026 "
            "and the limit runs to 10 July 2026.",
        ):
            triage.not_accept(complaint, reason="out_of_time", explanation="Too late", actor=frontline)


def test_out_of_time_needs_the_date_of_the_matter(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        with refused(
            complaint,
            StepNotAllowed,
            "Record when the matter happened before refusing a complaint as out of time.",
        ):
            triage.not_accept(complaint, reason="out_of_time", explanation="Too late", actor=frontline)


def test_a_duplicate_names_the_complaint_it_repeats_however_the_reference_is_typed(log, frontline):
    with at("Tue 2026-03-03 09:00"):
        original = log("2026-03-02 10:00")
        repeat = log("2026-03-03 08:30", channel="email")
        typed = original.reference.lower().replace("-", " ")  # "pr 7k3m9q", read over the phone
        triage.not_accept(
            repeat, reason="duplicate", duplicate_of=typed, explanation="Already with Olivia", actor=frontline
        )

    assert repeat.state == "not_accepted"
    assert repeat.duplicate_of == original
    assert list(original.duplicates.all()) == [repeat]
    event = last_event(repeat)
    assert event.summary == "Not accepted: The same complaint is already being dealt with"
    assert event.data["duplicate_of"] == original.reference
    assert original.state == "received"


def test_a_duplicate_must_name_a_complaint_that_exists(log, frontline):
    with at("Tue 2026-03-03 09:00"):
        complaint = log("2026-03-02 10:00")
        with refused(complaint, StepNotAllowed, "Name the complaint this one duplicates."):
            triage.not_accept(complaint, reason="duplicate", explanation="Seen before", actor=frontline)
        with refused(complaint, CaseNotFound, "No complaint with reference 'PR-ZZZZZZ'."):
            triage.not_accept(
                complaint, reason="duplicate", duplicate_of="PR-ZZZZZZ", explanation="Seen", actor=frontline
            )


def test_a_complaint_cannot_duplicate_itself(log, frontline):
    with at("Tue 2026-03-03 09:00"):
        complaint = log("2026-03-02 10:00")
        with refused(complaint, InvalidInput, "duplicate_of: a complaint cannot duplicate itself"):
            triage.not_accept(
                complaint,
                reason="duplicate",
                duplicate_of=complaint.reference,
                explanation="Oops",
                actor=frontline,
            )


def test_not_accepting_needs_an_explanation_and_a_reason_the_policy_knows(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        with refused(
            complaint,
            StepNotAllowed,
            "Explain the decision: the customer is told why their complaint was not accepted.",
        ):
            triage.not_accept(complaint, reason="neighbour_or_asb", explanation=" ", actor=frontline)
        with refused(complaint, InvalidInput) as info:
            triage.not_accept(complaint, reason="too_difficult", explanation="No", actor=frontline)
        assert info.value.field == "reason"


def test_a_complaint_already_accepted_cannot_then_be_refused(journey, frontline):
    complaint = journey.until("accepted")

    with (
        at("Tue 2026-03-03 09:00"),
        refused(
            complaint,
            StepNotAllowed,
            "Not accept is not possible while the complaint is “Stage 1: investigating”.",
        ),
    ):
        triage.not_accept(complaint, reason="not_about_us", explanation="Not ours", actor=frontline)


def test_a_duplicated_complaint_is_named_only_for_the_duplicate_reason(log, frontline):
    with at("Tue 2026-03-03 09:00"):
        original = log("2026-03-02 10:00")
        repeat = log("2026-03-03 08:30")
        with refused(
            repeat,
            InvalidInput,
            "duplicate_of: name a duplicated complaint only when the reason is duplicate",
        ):
            triage.not_accept(
                repeat,
                reason="not_about_us",
                duplicate_of=original.reference,
                explanation="About the council",
                actor=frontline,
            )


def test_a_duplicate_must_be_of_the_same_organisations_complaint(log, frontline, customer):
    from putright.accounts.models import Organisation, OrganisationKind

    other = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    from putright.cases.services.customers import create_customer

    theirs = create_customer(organisation=other, first_name="Ada", last_name="Lovelace", phone="01473 000000")
    with at("Tue 2026-03-03 09:00"):
        elsewhere = log("2026-03-02 10:00", organisation=other, customer=theirs)
        complaint = log("2026-03-03 08:30")
        with refused(complaint, CaseNotFound, f"No complaint with reference {elsewhere.reference!r}."):
            triage.not_accept(
                complaint,
                reason="duplicate",
                duplicate_of=elsewhere.reference,
                explanation="Seen",
                actor=frontline,
            )
