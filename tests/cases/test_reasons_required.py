"""Missing reasons for a point's outcome are refused by the service, naming the point's field.

The policy may require the reasons for each point's outcome (the Code, 6.7). The
service refuses an outcome without them as bad input naming ``outcomes[i].reasons``
(so the API and the workspace can show it beside that point), before the state
machine's guard, which stays as a backstop. The appeal panel's decision follows
stage 2's setting.
"""

from __future__ import annotations

from importlib import resources

import pytest

from putright.cases.errors import InvalidInput
from putright.cases.services import escalation
from tests.cases.conftest import JOURNEY, all_points
from tests.cases.helpers import at, refused
from tests.conftest import policy_in_force


@pytest.fixture
def stage_2_reasons(settings, tmp_path):
    """The flagship policy (which has an appeal) asking for reasons for each point at stage 2."""
    text = resources.files("putright.procedure.policies").joinpath("flagship.toml").read_text()
    old = "reasons_for_each_point = false\nreasons_required"
    assert old in text
    path = tmp_path / "stage-2-reasons.toml"
    text = text.replace(old, "reasons_for_each_point = true\nreasons_required").replace(
        'version = "1.2"', 'version = "1.2.1"'
    )
    path.write_text(text, encoding="utf-8")
    with policy_in_force(settings, path):
        yield


@pytest.mark.usefixtures("stage_2_reasons")
def test_the_panels_decision_needs_reasons_for_each_point_where_stage_2_requires_them(journey, senior):
    complaint = journey.until("scheduled")
    decisions = all_points(complaint)
    second = list(decisions)[1]
    decisions[second] = ("not_upheld", "")

    with at(JOURNEY["decided"]):
        with refused(
            complaint,
            InvalidInput,
            "outcomes[1].reasons: give the reasons for this point's outcome: "
            "the policy requires them at stage 2",
        ):
            escalation.decide_appeal(complaint, outcomes=decisions, summary="Upheld in part", actor=senior)

        escalation.decide_appeal(
            complaint, outcomes=all_points(complaint), summary="Upheld in full", actor=senior
        )
    complaint.refresh_from_db()
    assert complaint.state == "appeal_decided"
