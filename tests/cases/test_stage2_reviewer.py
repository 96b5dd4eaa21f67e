"""The stage 2 review is by someone who did not handle stage 1 (the Code, 6.13).

Stage 1's handlers are every owner it had (after any reassignment) and whoever
recorded its response; none of them may be named at escalation, given the case
by a later reassignment at stage 2, or record the stage 2 response.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.errors import StepNotAllowed
from putright.cases.selectors.facts import facts_of
from putright.cases.selectors.reviewers import reviewer_for
from putright.cases.services import changes, escalation, responses, triage
from tests.cases.conftest import all_points
from tests.cases.helpers import at, refused, wall
from tests.conftest import _user

WHY = "The stage 2 review must be by someone who did not handle stage 1."


@pytest.fixture
def zoe(org, team):
    """A Senior Manager new to the case (last by name, so never picked first by chance)."""
    return _user("zoe", Role.SENIOR_MANAGER, team, org)


def passed_through_sam(log, officer, senior):
    """Accepted for Olivia, reassigned to Sam (a Senior Manager) and back, answered by Olivia."""
    with at("Mon 2026-03-02 11:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
        triage.accept(
            complaint, owner=officer, actor=officer, reasoning="A complaint about our repairs service."
        )
    with at("Tue 2026-03-03 10:00"):
        changes.reassign(complaint, owner=senior, reason="Olivia on leave", actor=senior)
    with at("Mon 2026-03-09 10:00"):
        changes.reassign(complaint, owner=officer, reason="Olivia back", actor=senior)
    with at("Thu 2026-03-12 15:00"):
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="S1", actor=officer
        )
    complaint.refresh_from_db()
    return complaint


def test_a_senior_manager_who_owned_stage_1_for_a_while_cannot_review_it(log, officer, senior, zoe):
    complaint = passed_through_sam(log, officer, senior)

    with at("Fri 2026-03-13 10:00"):
        with refused(
            complaint, StepNotAllowed, f"Sam Staff cannot review stage 2: they handled stage 1. {WHY}"
        ):
            escalation.escalate(complaint, grounds=["b"], owner=senior, actor=officer)
        escalation.escalate(complaint, grounds=["b"], owner=zoe, actor=officer)

    complaint.refresh_from_db()
    assert (complaint.state, complaint.owner) == ("stage2", zoe)


def test_whoever_recorded_the_stage_1_response_cannot_review_it(log, officer, senior, zoe):
    with at("Mon 2026-03-02 11:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"))
        triage.accept(
            complaint, owner=officer, actor=officer, reasoning="A complaint about our repairs service."
        )
    with at("Thu 2026-03-12 15:00"):
        # Sam records the response for Olivia, who owns the case throughout.
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="S1", actor=senior
        )

    with (
        at("Fri 2026-03-13 10:00"),
        refused(
            complaint,
            StepNotAllowed,
            f"Sam Staff cannot review stage 2: they recorded the stage 1 response. {WHY}",
        ),
    ):
        escalation.escalate(complaint, grounds=["b"], owner=senior, actor=officer)


def test_the_review_is_not_reassigned_to_nor_answered_by_a_stage_1_handler(log, officer, senior, zoe):
    complaint = passed_through_sam(log, officer, senior)
    with at("Fri 2026-03-13 10:00"):
        escalation.escalate(complaint, grounds=["b"], owner=zoe, actor=officer)

    with at("Mon 2026-03-16 10:00"):
        with refused(
            complaint,
            StepNotAllowed,
            f"Sam Staff cannot take the stage 2 review: they handled stage 1. {WHY}",
        ):
            changes.reassign(complaint, owner=senior, reason="Zoe is away", actor=zoe)
        with refused(
            complaint,
            StepNotAllowed,
            f"Sam Staff cannot record the stage 2 response: they handled stage 1. {WHY}",
        ):
            responses.respond(
                complaint, outcomes=all_points(complaint), method="letter", summary="S2", actor=senior
            )
        responses.respond(complaint, outcomes=all_points(complaint), method="letter", summary="S2", actor=zoe)
    complaint.refresh_from_db()
    assert complaint.state == "stage2_responded"


def test_a_review_asked_for_online_goes_to_someone_who_did_not_handle_stage_1(log, officer, senior, zoe):
    complaint = passed_through_sam(log, officer, senior)
    # Sam has no open reviews and comes first by name, but owned stage 1 for a week.
    assert reviewer_for(complaint) == zoe


def test_reading_stage_1_handlers_costs_one_query_however_often_it_was_reassigned(
    log, officer, second_officer, senior, zoe
):
    few = passed_through_sam(log, officer, senior)
    many = passed_through_sam(log, officer, senior)
    with at("Thu 2026-03-12 16:00"):
        for n in range(4):
            changes.reassign(many, owner=second_officer if n % 2 == 0 else officer, actor=senior)
    counts = []
    for complaint in (few, many):
        complaint = type(complaint).objects.select_related("policy", "organisation").get(pk=complaint.pk)
        with CaptureQueriesContext(connection) as captured:
            facts = facts_of(complaint)
        counts.append(len(captured))
    # points, actions, stages, one for who handled stage 1, and (issue 12: closing needs it) two
    # for each point's latest outcome and its learning
    assert counts == [6, 6]
    assert set(facts.stage1_handlers) == {officer.pk, senior.pk, second_officer.pk}
