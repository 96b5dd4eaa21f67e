"""The dashboard's figures on a small prepared set, worked out by hand (tests/reports/dashboard_cases.py).

Received in 2026-Q1 (April to June 2026): A, B, C, D, F (Ada) and H, I, J (Ben) = 8.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from putright.reports import periods
from putright.reports.dashboard import dashboard, median, percent, scope_for
from tests.cases.helpers import on
from tests.reports.dashboard_cases import make_dashboard_set

Q1 = periods.parse("2026-Q1")
NOW = on("Wed 2026-07-15 12:00")


@pytest.fixture
def made(log, officer, senior, org):
    return make_dashboard_set(log, officer, senior, org)


@pytest.fixture
def board(made, senior):
    return dashboard(scope_for(senior, None), Q1, now=NOW)


def test_received_and_how_they_ended(board):
    assert board.figure("summary", "received") == 8
    assert board.figure("summary", "not_accepted") == 1
    assert board.figure("summary", "resolved_informally") == 1
    assert board.figure("summary", "withdrawn") == 1
    assert board.figure("summary", "repeat_customers") == 2, "Ada made five, Ben three"
    assert board.figure("summary", "repeat_complaints") == 8


def test_received_by_stage_channel_category_and_reason(board):
    # A escalated (stage 2); B, C, D, F at stage 1; H, I, J never accepted (triage).
    assert [r.cells[0].value for r in board.table("by_stage").rows] == [3, 4, 1, 0]
    assert board.figure("by_channel", "phone") == 5
    assert board.figure("by_channel", "email") == 3
    assert board.figure("by_channel", "letter") == 0
    assert board.figure("by_category", "service_failure") == 8
    assert board.figure("not_accepted", "first_request_for_service") == 1
    assert board.figure("not_accepted", "duplicate") == 0
    assert board.figure("by_organisation", "VHT") == 8


def test_themes_count_complaints_and_merged_themes_under_what_they_became(board):
    # Damp and mould: A, B, F; communication: A, C and B (its "letters" merged into communication).
    assert board.figure("by_theme", "damp_and_mould") == 3
    assert board.figure("by_theme", "communication") == 3
    assert board.figure("by_theme", "rent_and_charges") == 1
    assert "letters" not in [r.key for r in board.table("by_theme").rows]


def test_outcomes_by_stage_and_theme(board):
    # Stage 1: A and D upheld, C partly, B not upheld (each on all its points).
    assert [c.value for c in board.table("outcomes_by_stage").rows[0].cells] == [2, 1, 1]
    assert [c.value for c in board.table("outcomes_by_stage").rows[1].cells] == [0, 0, 0]
    themes = {r.key: [c.value for c in r.cells] for r in board.table("outcomes_by_theme").rows}
    assert themes["communication"] == [1, 1, 1]
    assert themes["damp_and_mould"] == [1, 0, 1]
    assert themes["rent_and_charges"] == [1, 0, 0]


def test_time_against_the_policy_and_the_code(board):
    ack = [
        c.value
        for c in next(r for r in board.table("timeliness").rows if r.key == "stage1.acknowledgement").cells
    ]
    assert ack == [4, None, None, 3, 75, Decimal("4.5")], "1, 4, 5 and 6 working days"
    contact = [
        c.value for c in next(r for r in board.table("timeliness").rows if r.key == "stage1.contact").cells
    ]
    assert contact[:3] == [5, 5, 100]
    response = [
        c.value for c in next(r for r in board.table("timeliness").rows if r.key == "stage1.response").cells
    ]
    assert response == [4, 3, 75, 3, 75, Decimal("15")]


def test_extensions_escalation_and_remedies(board):
    assert board.figure("extensions", "any") == 2
    assert board.figure("extensions", "within") == 1
    assert board.figure("extensions", "beyond") == 1
    reasons = {r.label: r.cells[0].value for r in board.table("extension_reasons").rows}
    assert reasons == {"Waiting for the surveyor": 1, "The contractor's report is late": 1}
    assert board.figure("escalation", "stage1") == 5
    assert board.figure("escalation", "stage2") == 1
    assert board.figure("escalation", "stage2", 1) == 20
    assert board.figure("escalation", "appeal") == 0
    remedies = {r.key: [c.value for c in r.cells] for r in board.table("remedies").rows}
    assert remedies["damp_and_mould"] == [1, 1, Decimal("50.00"), Decimal("50.00")]
    assert remedies[""] == [1, 1, Decimal("25.00"), Decimal("0.00")]
    assert remedies["total"] == [2, 2, Decimal("75.00"), Decimal("50.00")]


def test_trends_by_month(board):
    months = {r.key: [c.value for c in r.cells] for r in board.table("trends").rows}
    # April: A, B, C, D, F received... F on 30 June. Responses: E (received in March), A, C on time; B late.
    assert months == {
        "2026-04": [4, 4, 3, 2],
        "2026-05": [3, 1, 0, 1],
        "2026-06": [1, 0, 0, 0],
    }


def test_a_changed_case_changes_the_figure(board, made, senior):
    from putright.cases.models import Complaint

    Complaint.objects.filter(pk=made["F"].pk).update(channel="letter")
    again = dashboard(scope_for(senior, None), Q1, now=NOW)
    assert again.figure("by_channel", "phone") == 4
    assert again.figure("by_channel", "letter") == 1


def test_the_share_and_the_median():
    assert percent(1, 3) == 33 and percent(2, 3) == 67 and percent(1, 8) == 13 and percent(0, 0) is None
    assert median([(4, 1), (1, 1), (6, 1), (5, 1)]) == Decimal("4.5")
    assert median([(3, 2), (9, 1)]) == 3
    assert median([]) is None
