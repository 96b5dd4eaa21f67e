"""Complaints opened under the previous release's policies keep working after an upgrade.

A complaint's policy is re-read from the text stored when it was opened, so the
texts shipped by the previous release (flagship 1.0 and code-2024 2.0, kept as
fixtures exactly as ``git show e0bd732:putright/procedure/policies/...`` gives
them) must still parse, their complaints must still take steps, a new complaint
must be logged under the new shipped version beside them, and the sweep, which
reads every recorded policy, must still run.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from putright.cases.models import Complaint, PolicyRecord
from putright.cases.services import responses, triage
from putright.comms.reminders.sweep import sweep
from putright.procedure.loader import parse
from tests.cases.conftest import all_points
from tests.cases.helpers import at, due, end_of, on

FIXTURES = Path(__file__).parent.parent / "fixtures" / "policies"
PREVIOUS = {"flagship": "flagship-1.0.toml", "code-2024": "code-2024-2.0.toml"}


def previous_text(name: str) -> str:
    return (FIXTURES / PREVIOUS[name]).read_text(encoding="utf-8")


def record_of_previous_release(name: str) -> PolicyRecord:
    """The record an earlier release wrote when it opened its first complaint under ``name``."""
    text = previous_text(name)
    meta = parse(text).policy
    return PolicyRecord.objects.create(
        name=meta.name,
        version=meta.version,
        approved_on=meta.approved_on,
        digest=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
    )


@pytest.mark.parametrize("name", sorted(PREVIOUS))
def test_the_previous_releases_policy_texts_still_parse_with_their_old_rules(name):
    policy = parse(previous_text(name), source=PREVIOUS[name])

    assert policy.version == {"flagship": "1.0", "code-2024": "2.0"}[name]
    # The keys added since default to the behaviour of the release that wrote these texts.
    assert policy.eligibility.informal_resolution is True
    assert policy.stage1.reasons_for_each_point is False
    assert policy.stage2.reasons_for_each_point is False
    assert policy.stage1.written_response is (name == "code-2024")


def test_a_complaint_opened_under_flagship_1_0_takes_its_steps_and_a_new_one_opens_under_1_2(log, officer):
    old_record = record_of_previous_release("flagship")
    with at("Mon 2026-03-02 10:30"):
        complaint = log("2026-03-02 10:00")
    # Logging registered the shipped version beside the old one, not as a changed 1.0.
    assert complaint.policy.version == "1.2"
    assert PolicyRecord.objects.count() == 2
    Complaint.objects.filter(pk=complaint.pk).update(policy=old_record)
    complaint.refresh_from_db()

    with at("Mon 2026-03-02 11:00"):
        triage.accept(
            complaint, owner=officer, actor=officer, reasoning="A complaint about our repairs service."
        )
    # Flagship 1.0: contact within 24 working hours of Mon 2 March 10:00 -> Tue 3 March 10:00.
    assert due(complaint, "stage1.contact") == on("Tue 2026-03-03 10:00")

    # 1.0 allowed a spoken stage 1 resolution without reasons for each point.
    outcomes = dict.fromkeys(complaint.points.values_list("pk", flat=True), ("upheld", ""))
    with at("Thu 2026-03-12 15:00"):
        responses.respond(complaint, outcomes=outcomes, method="phone", summary="Sorted", actor=officer)
    complaint.refresh_from_db()
    assert complaint.state == "stage1_responded"

    with at("Fri 2026-03-13 00:15"):
        sweep()  # reads every recorded policy, the old one too


def test_a_complaint_opened_under_code_2024_2_0_takes_its_steps(settings, code_2024, log, officer):
    old_record = record_of_previous_release("code-2024")
    with at("Mon 2026-03-02 10:30"):
        complaint = log("2026-03-02 10:00")
    assert complaint.policy.version == "2.2"
    Complaint.objects.filter(pk=complaint.pk).update(policy=old_record)
    complaint.refresh_from_db()

    # 2.0 still had informal resolution (its default); 2.1 turns it off.
    with at("Mon 2026-03-02 11:00"):
        triage.accept(
            complaint, owner=officer, actor=officer, reasoning="A complaint about our repairs service."
        )
    # Code 2.0: contact within 5 working days of Mon 2 March: Tue 3 .. Fri 6, Mon 9 -> end of Mon 9 March.
    assert due(complaint, "stage1.contact") == end_of("Mon 2026-03-09")
    with at("Thu 2026-03-12 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="Sorry", actor=officer
        )
    complaint.refresh_from_db()
    assert complaint.state == "stage1_responded"
