"""facts_of(), read before every step, costs the same few queries however big the case is."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.cases.selectors.case_page import case_page
from putright.cases.selectors.complaints import complaint_detail
from putright.cases.selectors.facts import facts_of
from putright.cases.services import escalation, investigation, responses, triage
from tests.cases.conftest import FULL_PANEL, all_points
from tests.cases.helpers import at, day, end_of, on, wall


def stage1_case(log, officer, *, points: int, actions: int, done: int):
    """A complaint at stage 1, extended once, with ``actions`` agreed of which ``done`` are complete."""
    with at("Fri 2026-03-13 16:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"), points=[f"Point {n}" for n in range(1, points + 1)])
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        for n in range(actions):
            action = responses.add_action(
                complaint, description=f"Action {n}", due_on=day("Fri 2026-03-20"), actor=officer
            )
            if n < done:
                responses.complete_action(complaint, action_id=action.pk, note="Done.", actor=officer)
        investigation.extend(complaint, new_due_on=day("Fri 2026-03-20"), reason="Roofer", actor=officer)
    complaint.refresh_from_db()
    return complaint


def queries_for_facts(complaint):
    complaint = type(complaint).objects.select_related("policy", "organisation").get(pk=complaint.pk)
    with CaptureQueriesContext(connection) as captured:
        facts = facts_of(complaint)
    return len(captured), facts


def test_facts_of_a_big_case_cost_no_more_queries_than_a_small_one(log, officer):
    small = stage1_case(log, officer, points=2, actions=1, done=0)
    big = stage1_case(log, officer, points=30, actions=20, done=8)

    small_queries, small_facts = queries_for_facts(small)
    big_queries, big_facts = queries_for_facts(big)

    assert small_queries == big_queries == 5
    # And the facts are right: what the guards decide on.
    assert (len(small_facts.point_ids), small_facts.open_actions, small_facts.extensions) == (2, 1, 1)
    assert (len(big_facts.point_ids), big_facts.open_actions, len(big_facts.action_ids)) == (30, 12, 20)
    assert big_facts.response_due == end_of("Fri 2026-03-20")
    assert big_facts.original_response_due == end_of("Mon 2026-03-16")


def appeal_case(log, officer, senior, *, points: int, actions: int):
    with at("Mon 2026-03-23 10:00"):
        complaint = log(wall("Mon 2026-03-02 10:00"), points=[f"Point {n}" for n in range(1, points + 1)])
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="S1", actor=officer
        )
        escalation.escalate(complaint, grounds=["b"], owner=senior, actor=senior)
        responses.respond(
            complaint, outcomes=all_points(complaint), method="letter", summary="S2", actor=senior
        )
        for n in range(actions):
            responses.add_action(
                complaint, description=f"Action {n}", due_on=day("Fri 2026-03-27"), actor=senior
            )
        escalation.request_appeal(complaint, criteria=["b"], explanation="Not done", actor=None)
        escalation.schedule_appeal(
            complaint,
            meeting_at=on("Tue 2026-04-21 14:00"),
            location="Online",
            panel=FULL_PANEL,
            agreed_with_customer=True,
            actor=senior,
        )
    return complaint


def test_facts_of_an_appeal_cost_the_same_whatever_its_size(log, officer, senior):
    small = appeal_case(log, officer, senior, points=2, actions=1)
    big = appeal_case(log, officer, senior, points=30, actions=20)

    small_queries, small_facts = queries_for_facts(small)
    big_queries, big_facts = queries_for_facts(big)

    assert small_queries == big_queries
    assert small_facts.meeting_at == big_facts.meeting_at == on("Tue 2026-04-21 14:00")
    assert big_facts.appeal_requested_at == on("Mon 2026-03-23 10:00")
    assert (big_facts.stage, big_facts.open_actions) == (3, 20)


@pytest.mark.parametrize("last", ["accepted", "responded", "escalated", "appealed", "scheduled", "decided"])
def test_the_facts_of_a_case_loaded_for_its_page_are_those_read_from_the_database(journey, senior, last):
    """The case page and the API read the facts from the record they loaded, not with queries of their own."""
    complaint = journey.until(last)
    fresh = queries_for_facts(complaint)[1]
    assert facts_of(complaint_detail(user=senior, reference=complaint.reference)) == fresh
    page = case_page(user=senior, reference=complaint.reference)  # with each stage's extensions
    with CaptureQueriesContext(connection) as captured:
        assert facts_of(page) == fresh
    # Only the learning and stage 1's handlers are read, in the states that need them.
    reads = [
        q["sql"] for q in captured if re.search(r'FROM "cases_(deadline|action|stage|extension)"', q["sql"])
    ]
    assert not reads, reads


def test_the_facts_of_a_loaded_case_count_its_extensions(log, officer, senior):
    complaint = stage1_case(log, officer, points=2, actions=3, done=1)
    fresh = queries_for_facts(complaint)[1]
    assert fresh.extensions == 1
    assert facts_of(complaint_detail(user=senior, reference=complaint.reference)) == fresh
    assert facts_of(case_page(user=senior, reference=complaint.reference)) == fresh
