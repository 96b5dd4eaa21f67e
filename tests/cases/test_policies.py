"""The policy in force, the policy a complaint keeps, and the same services under the Code policy.

The Complaint Handling Code policy ("code-2024") differs from the flagship one:
stage 1 contact within 5 working days of receipt and the response 10 working
days from that contact; stage 2 contact within 5 working days of the request
and the response 20 working days from that contact; no grounds needed for a
review; no appeal stage; the Ombudsman may be approached at once after the
final response (a wait of 0 weeks); a 12-month time limit.
"""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest

from putright.cases import policies
from putright.cases.errors import StepNotAllowed
from putright.cases.models import Complaint, PolicyRecord
from putright.cases.policies import PolicyChangedWithoutNewVersion, register_current_policy
from putright.cases.services import escalation, investigation, responses, triage
from tests.cases.conftest import all_points
from tests.cases.helpers import at, day, due, end_of, last_event, on, refused, wall

FLAGSHIP = "Flagship Group Customer Complaints Procedure"
CODE = "Flagship Group Complaints Policy (Complaint Handling Code 2024)"


@pytest.fixture
def policy_file(settings, tmp_path):
    """Put a copy of the flagship policy, edited, in force from a file."""

    def write(edit):
        path = tmp_path / "our-policy.toml"
        text = resources.files("putright.procedure.policies").joinpath("flagship.toml").read_text()
        path.write_text(edit(text), encoding="utf-8")
        settings.PUTRIGHT_POLICY = str(path)
        policies._load.cache_clear()
        return path

    yield write
    policies._load.cache_clear()


def test_the_policy_in_force_is_recorded_once_with_its_exact_text(db):
    first = register_current_policy()
    again = register_current_policy()

    assert first == again
    assert PolicyRecord.objects.count() == 1
    assert (first.name, first.version, str(first.approved_on)) == (FLAGSHIP, "1.2", "2026-11-22")
    assert first.digest == hashlib.sha256(first.text.encode()).hexdigest()
    assert "time_limit_months = 6" in first.text


def test_a_policy_edited_without_a_new_version_is_refused(log, policy_file):
    with at("Mon 2026-03-02 11:00"):
        before = log("2026-03-02 10:00")

    # The same name and version, one comment added: the text, and so its digest, differ.
    policy_file(lambda text: text + "\n# Reviewed by the board, no change.\n")
    with pytest.raises(PolicyChangedWithoutNewVersion) as changed:
        register_current_policy()
    assert str(changed.value) == (
        f"The policy “{FLAGSHIP}” version 1.2 in force differs from the one already used for "
        "complaints. Give the changed policy a new version number."
    )
    with at("Mon 2026-03-02 11:00"), pytest.raises(PolicyChangedWithoutNewVersion):
        log("2026-03-02 10:30")
    assert Complaint.objects.count() == 1

    # With a new version number the edited policy is recorded beside the old one.
    policy_file(lambda text: text.replace('version = "1.2"', 'version = "1.3"') + "\n# Reviewed.\n")
    with at("Mon 2026-03-02 11:00"):
        after = log("2026-03-02 10:30")
    assert after.policy.version == "1.3"
    before.refresh_from_db()
    assert before.policy.version == "1.2"
    assert PolicyRecord.objects.filter(name=FLAGSHIP).count() == 2


def test_a_complaint_keeps_the_policy_it_was_opened_under(log, officer, settings):
    with at("Mon 2026-03-02 10:30"):
        flagship = log("2026-03-02 10:00")

    settings.PUTRIGHT_POLICY = "code-2024"
    policies._load.cache_clear()
    with at("Mon 2026-03-02 11:00"):
        code = log("2026-03-02 10:00")
        triage.accept(flagship, owner=officer, actor=officer, reasoning="Meets the definition.")
        triage.accept(code, owner=officer, actor=officer, reasoning="Meets the definition.")
    policies._load.cache_clear()

    assert flagship.policy.name == FLAGSHIP
    assert code.policy.name == CODE
    # Received Mon 2 March 10:00. Flagship: 24 working hours -> Tue 3 March 10:00.
    # Code: 5 working days -> Tue 3 (1), Wed 4 (2), Thu 5 (3), Fri 6 (4), Mon 9 (5) -> end of Mon 9 March.
    assert due(flagship, "stage1.contact") == on("Tue 2026-03-03 10:00")
    assert due(code, "stage1.contact") == end_of("Mon 2026-03-09")


# --- The Code policy -------------------------------------------------------------------------------


@pytest.mark.usefixtures("code_2024")
def test_code_stage_1_response_is_counted_from_the_contact_deadline_until_contact_is_made(journey, officer):
    complaint = journey.until("accepted")

    # Contact within 5 working days of Mon 2 March -> end of Mon 9 March.
    # Until contact is made, the response counts from that deadline, Mon 9 March
    # 23:59:59, which is after the 17:00 cut-off, so from Tue 10 March: Wed 11 (1),
    # Thu 12 (2), Fri 13 (3), Mon 16 (4) .. Fri 20 (8), Mon 23 (9), Tue 24 (10)
    # -> end of Tue 24 March.
    assert complaint.policy.name == CODE
    assert due(complaint, "stage1.contact") == end_of("Mon 2026-03-09")
    response = complaint.deadlines.get(name="stage1.response")
    assert response.due_at == end_of("Tue 2026-03-24")
    assert response.clock_started_at == end_of("Mon 2026-03-09")

    # The customer's own call does not restart it.
    with at("Tue 2026-03-03 10:00"):
        investigation.record_contact(
            complaint, method="phone", direction="inbound", summary="Chasing", actor=officer
        )
    assert due(complaint, "stage1.response") == end_of("Tue 2026-03-24")

    # Our call on Wed 4 March at 11:00 restarts it from then: Thu 5 (1), Fri 6 (2),
    # Mon 9 (3) .. Fri 13 (7), Mon 16 (8), Tue 17 (9), Wed 18 (10) -> end of Wed 18 March.
    with at("Wed 2026-03-04 11:00"):
        investigation.record_contact(complaint, method="phone", summary="Introduced myself", actor=officer)
    response.refresh_from_db()
    assert (response.due_at, response.original_due_at) == (end_of("Wed 2026-03-18"), end_of("Wed 2026-03-18"))
    assert response.clock_started_at == on("Wed 2026-03-04 11:00")
    assert last_event(complaint).data["response_due"] == end_of("Wed 2026-03-18").isoformat()

    # The extension limit now counts from the real date: ten working days after Wed 18
    # March: Thu 19 (1), Fri 20 (2), Mon 23 (3) .. Fri 27 (7), Mon 30 (8), Tue 31 (9),
    # Wed 1 April (10).
    with (
        at("Mon 2026-03-16 10:00"),
        refused(
            complaint,
            StepNotAllowed,
            "An extension beyond Wednesday 1 April 2026 (10 working days) needs a recorded good reason.",
        ),
    ):
        investigation.extend(complaint, new_due_on=day("Thu 2026-04-02"), reason="Survey", actor=officer)


@pytest.mark.usefixtures("code_2024")
def test_code_contact_after_the_cut_off_restarts_the_response_next_working_day(journey, officer):
    complaint = journey.until("accepted")

    # Our call on Wed 4 March at 17:30, after the cut-off: from Thu 5 March; Fri 6 (1),
    # Mon 9 (2) .. Fri 13 (6), Mon 16 (7), Tue 17 (8), Wed 18 (9), Thu 19 (10).
    with at("Wed 2026-03-04 17:30"):
        investigation.record_contact(complaint, method="phone", summary="Evening call", actor=officer)

    assert due(complaint, "stage1.response") == end_of("Thu 2026-03-19")


@pytest.mark.usefixtures("code_2024")
def test_code_an_extension_made_before_contact_stands(journey, officer):
    complaint = journey.until("accepted")
    with at("Tue 2026-03-03 09:00"):
        investigation.extend(complaint, new_due_on=day("Wed 2026-03-25"), reason="Leave", actor=officer)
    with at("Wed 2026-03-04 11:00"):
        investigation.record_contact(complaint, method="phone", summary="Call", actor=officer)

    assert due(complaint, "stage1.response") == end_of("Wed 2026-03-25")
    assert "response_due" not in last_event(complaint).data


@pytest.mark.usefixtures("code_2024")
def test_code_review_needs_no_grounds_and_counts_its_response_from_contact(journey, senior):
    complaint = journey.until("responded")

    # Requested Fri 13 March at 10:00, no grounds given. Contact within 5 working days:
    # Mon 16 (1) .. Fri 20 (5) -> end of Fri 20 March. Response provisionally 20 working
    # days from that deadline (after the cut-off, so from Mon 23 March): Tue 24 (1) ..
    # Fri 27 (4), Mon 30 (5), Tue 31 (6), Wed 1 April (7), Thu 2 (8), [Good Friday,
    # Easter Monday], Tue 7 (9) .. Fri 10 (12), Mon 13 (13) .. Fri 17 (17), Mon 20 (18),
    # Tue 21 (19), Wed 22 (20) -> end of Wed 22 April.
    with at("Fri 2026-03-13 10:00"):
        stage = escalation.escalate(complaint, grounds=[], owner=senior, actor=None)
    assert complaint.state == "stage2"
    assert stage.grounds == []
    assert last_event(complaint).summary == "Escalated to stage 2 on grounds none given; review by Sam Staff"
    assert due(complaint, "stage2.contact") == end_of("Fri 2026-03-20")
    assert due(complaint, "stage2.response") == end_of("Wed 2026-04-22")

    # Contact on Mon 16 March at 10:00: 20 working days from Mon 16: Tue 17 (1) .. Fri 20 (4),
    # Mon 23 (5) .. Fri 27 (9), Mon 30 (10), Tue 31 (11), Wed 1 (12), Thu 2 (13), Tue 7 (14),
    # Wed 8 (15), Thu 9 (16), Fri 10 (17), Mon 13 (18), Tue 14 (19), Wed 15 (20) -> Wed 15 April.
    with at("Mon 2026-03-16 10:00"):
        investigation.record_contact(complaint, method="phone", summary="Review call", actor=senior)
    assert due(complaint, "stage2.response") == end_of("Wed 2026-04-15")


@pytest.mark.usefixtures("code_2024")
def test_code_final_response_opens_the_way_to_the_ombudsman_at_once_and_there_is_no_appeal(journey, senior):
    complaint = journey.until("contacted2")

    with at("Thu 2026-03-19 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Final", actor=senior
        )
    assert complaint.final_response_at == on("Thu 2026-03-19 15:00")
    assert complaint.ombudsman_direct_from == complaint.final_response_at

    with (
        at("Mon 2026-03-23 10:00"),
        refused(
            complaint,
            StepNotAllowed,
            "This policy has no appeal stage: after stage 2 the customer may go to the Ombudsman.",
        ),
    ):
        escalation.request_appeal(complaint, criteria=["a"], explanation="Unhappy", actor=None)


@pytest.mark.usefixtures("code_2024")
def test_code_exclusions_are_the_codes(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        abusive = log("2026-03-02 10:00")
        with refused(
            abusive, StepNotAllowed, "The policy does not allow “unacceptable behaviour” as a reason."
        ):
            triage.not_accept(
                abusive, reason="unacceptable_behaviour", explanation="Abusive", actor=frontline
            )

        # Twelve months, not six: the matter on Mon 1 September 2025 may be raised until
        # Tue 1 September 2026.
        late = log(wall("Mon 2026-03-02 10:00"), matter_date=day("Mon 2025-09-01"))
        with refused(
            late,
            StepNotAllowed,
            "The complaint is within the 12-month limit: the matter was on 1 September 2025 "
            "and the limit runs to 1 September 2026.",
        ):
            triage.not_accept(late, reason="out_of_time", explanation="Late", actor=frontline)
