"""``putright policy check``: is the policy valid, and where does it fall short of the Code?"""

from __future__ import annotations

import json

from putright.procedure import loader
from tests.procedure.flagship import FLAGSHIP_WEAKER


def test_the_seed_procedure_is_valid_and_weaker_than_the_code_in_eleven_places(putright):
    result = putright("policy", "check")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The policy is valid." in out
    assert "11 point(s) weaker than the Code:" in out
    weaker = out[out.index("weaker than the Code:") : out.index("Check by hand")]
    for title, paragraph in [
        ("Reasons for asking for stage 2", "6.12"),
        ("Time limit for raising a complaint", "2.3"),
        ("Number of stages", "6.10"),
        ("Access to the Housing Ombudsman", "6.10; BSA 2022"),
        ("Definition of a complaint", "1.2"),
        ("Exclusions", "2.2"),
        ("Informal resolution (“stage 0”)", "5.2"),
        ("Related new issues before the stage 1 response", "6.8"),
        ("Reasons for each point's outcome", "6.7 (stage 1); stage 2: section 6"),
        ("Response in writing", "6.9 (stage 1)"),
        ("The Ombudsman's contact details", "6.5; 6.16"),
    ]:
        cited = f"¶ {paragraph}" if paragraph[0].isdigit() else paragraph
        assert f"  - {title} ({cited}): " in weaker, title
    assert "this policy: 6 months" in out
    assert "this policy: 3 stages" in out
    assert "a wait of 8 weeks after the final response" in out
    assert "does not cover a complaint made for a group of residents" in out
    assert (
        "out of date: address PO Box 152, Liverpool, L33 7WQ is now PO Box 1484, Unit D, Preston, PR2 0ET"
        in out
    )
    assert "set PUTRIGHT_POLICY=code-2024" in out


def test_the_points_to_check_by_hand_are_listed_apart_from_the_verdicts(putright):
    out = putright("policy", "check", "code-2024").stdout
    assert "No point is weaker than the Code." in out
    by_hand = out[out.index("Check by hand (a policy file cannot show these):") :]
    assert "  - Complaint handling staff (section 4): " in by_hand
    assert "  - Stage 2 by someone not involved at stage 1 (¶ 6.13): " in by_hand
    assert "  - Annual report and self-assessment (¶ 8.1): " in by_hand
    assert "CHECK BY HAND" not in out  # not a row of the comparison: never counted as weaker


def test_json_lists_each_point_with_the_codes_figure_beside_the_policys(putright):
    result = putright("policy", "check", "flagship", "--json")
    assert result.returncode == 0
    body = json.loads(result.stdout)
    assert body["weaker"] == FLAGSHIP_WEAKER
    assert [p["paragraph"] for p in body["check_by_hand"]] == [
        "1.4; section 1",
        "section 2",
        "section 3",
        "section 4",
        "section 5",
        "section 5",
        "6.13",
        "section 6",
        "section 7",
        "8.1",
        "9.1",
        "9.4; 9.5",
    ]
    assert {p["verdict"] for p in body["check_by_hand"]} == {"check_by_hand"}
    points = {p["key"]: p for p in body["points"]}
    assert points["stage1.acknowledgement"] == {
        "key": "stage1.acknowledgement",
        "title": "Stage 1 acknowledgement",
        "paragraph": "6.2",
        "code": "5 working days from receipt",
        "policy": "24 working hours from receipt",
        "verdict": "stricter",
        "note": "",
    }
    assert points["stage1.extension"]["verdict"] == "meets"
    assert points["stage2.extension"]["verdict"] == "stricter"  # 10 working days against the Code's 20


def test_the_code_policy_has_no_weaker_point(putright):
    result = putright("policy", "check", "code-2024", "--json")
    assert result.returncode == 0
    body = json.loads(result.stdout)
    assert body["weaker"] == []
    assert len(body["check_by_hand"]) == 12  # listed, but not counted as weaker


def test_a_landlords_own_file_is_checked(putright, tmp_path):
    text = loader.load("code-2024").text.replace("time_limit_months = 12", "time_limit_months = 9")
    own = tmp_path / "ours.toml"
    own.write_text(text)
    result = putright("policy", "check", str(own), "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["weaker"] == ["eligibility.time_limit"]


def test_an_invalid_file_is_refused_with_the_field_and_the_problem(putright, tmp_path):
    text = loader.load("flagship").text.replace(
        'response = { working_days = 10, from = "receipt" }',
        'response = { working_days = -3, from = "lunch" }',
    )
    bad = tmp_path / "bad.toml"
    bad.write_text(text)
    result = putright("policy", "check", str(bad))
    assert result.returncode == 2
    assert "is not a valid policy" in result.stderr
    assert "stage1.response.working_days: Input should be greater than or equal to 1" in result.stderr
    assert "stage1.response.from: Input should be" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_file_is_refused(putright):
    result = putright("policy", "check", "/nonexistent/policy.toml")
    assert result.returncode == 2
    assert "no such file, and not a built-in policy (code-2024, flagship)" in result.stderr
