"""Loading a policy file, and what a complaints manager is told when theirs is wrong.

A bad policy is refused with ``PolicyError``; its ``problems`` are one line each,
naming the field first (``stage1.response``) and then what is wrong, in plain
words and without any Python traceback.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from putright.procedure.loader import LoadedPolicy, PolicyError, load, parse
from putright.procedure.policy import Anchor, Nation, PanelRole, Unit

FLAGSHIP_TEXT = load("flagship").text


def edited(old: str, new: str) -> str:
    """The flagship policy with the first ``old`` replaced by ``new``."""
    assert old in FLAGSHIP_TEXT, f"the flagship policy no longer contains {old!r}"
    return FLAGSHIP_TEXT.replace(old, new, 1)


def refusal(tmp_path: Path, text: str) -> PolicyError:
    """Write ``text`` as a policy file, load it and return the refusal."""
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(path)
    return caught.value


# --- The shipped policies --------------------------------------------------------------------------


def test_the_flagship_policy_loads_as_the_procedure_describes_it() -> None:
    loaded = load("flagship")
    policy = loaded.policy
    assert loaded.source == "flagship"
    assert policy.name == "Flagship Group Customer Complaints Procedure"
    assert policy.version == "1.2"
    assert policy.calendar.nation is Nation.ENGLAND_AND_WALES
    assert policy.calendar.cutoff == dt.time(17, 0)
    # Stage 1: contact within 24 working hours; resolved within 10 working days of
    # receipt; one extension of at most 10 more working days.
    assert (policy.stage1.contact.unit, policy.stage1.contact.amount) == (Unit.WORKING_HOURS, 24)
    assert policy.stage1.contact.anchor is Anchor.RECEIPT
    assert (policy.stage1.response.amount, policy.stage1.response.anchor) == (10, Anchor.RECEIPT)
    assert policy.stage1.extension.amount == 10
    assert policy.stage1.extensions_without_good_reason == 1
    # Stage 2: contact within 5, response within 20 working days; grounds (a)-(d).
    assert (policy.stage2.contact.amount, policy.stage2.response.amount) == (5, 20)
    assert [g.key for g in policy.stage2.grounds] == ["a", "b", "c", "d"]
    assert policy.stage2.reasons_required is True
    # Appeal: meeting within 20 working days, decision within 5 of the meeting, a panel of three.
    assert policy.appeal is not None
    assert (policy.appeal.meeting.amount, policy.appeal.decision.amount) == (20, 5)
    assert policy.appeal.decision.anchor is Anchor.MEETING
    assert [c.key for c in policy.appeal.criteria] == ["a", "b", "c"]
    assert set(policy.appeal.panel) == {PanelRole.BOARD_MEMBER, PanelRole.RESIDENT, PanelRole.EXECUTIVE}
    assert policy.appeal.legal_representative_allowed is False
    assert policy.stage_count == 3
    # Six months to complain; the Ombudsman after 8 weeks or through a designated person.
    assert policy.eligibility.time_limit_months == 6
    assert policy.ombudsman.wait.amount == 8
    assert policy.ombudsman.designated_person_route is True
    assert policy.ombudsman.phone == "0300 111 3000"
    # "Our earliest opportunity to resolve the issue informally"; a stage 1 resolution by any
    # means, with no reasons per point asked for; a written review response.
    assert policy.eligibility.informal_resolution is True
    assert (policy.stage1.written_response, policy.stage1.reasons_for_each_point) == (False, False)
    assert (policy.stage2.written_response, policy.stage2.reasons_for_each_point) == (True, False)
    # The Ombudsman's address as the procedure prints it (an old one: the check says so).
    assert policy.ombudsman.address == "PO Box 152, Liverpool, L33 7WQ"


def test_the_code_2024_policy_loads_with_two_stages_and_no_wait_for_the_ombudsman() -> None:
    policy = load("code-2024").policy
    assert policy.version == "2.2"
    assert policy.appeal is None
    assert policy.stage_count == 2
    assert policy.stage1.contact.amount == 5
    assert policy.stage1.response.anchor is Anchor.CONTACT
    assert policy.stage2.extension.amount == 20
    assert policy.stage2.reasons_required is False
    assert policy.eligibility.time_limit_months == 12
    assert policy.ombudsman.wait.amount == 0
    assert policy.ombudsman.designated_person_route is False
    # No stage 0 (5.2); written responses (6.9) giving reasons for each point (6.7).
    assert policy.eligibility.informal_resolution is False
    assert (policy.stage1.written_response, policy.stage1.reasons_for_each_point) == (True, True)
    assert (policy.stage2.written_response, policy.stage2.reasons_for_each_point) == (True, True)
    assert policy.ombudsman.address == "PO Box 1484, Unit D, Preston, PR2 0ET"


def test_the_default_policy_is_flagship() -> None:
    assert load().policy == load("flagship").policy


def test_a_policy_file_loads_from_a_path_and_keeps_its_exact_text(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(FLAGSHIP_TEXT, encoding="utf-8")
    loaded = load(path)
    assert isinstance(loaded, LoadedPolicy)
    assert loaded.policy == load("flagship").policy
    assert loaded.text == FLAGSHIP_TEXT
    assert loaded.source == str(path)
    assert loaded.digest == hashlib.sha256(FLAGSHIP_TEXT.encode()).hexdigest()


def test_a_changed_policy_has_a_different_digest(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(edited('version = "1.2"', 'version = "1.3"'), encoding="utf-8")
    assert load(path).digest != load("flagship").digest


def test_a_policy_can_set_closure_days_and_its_own_nation(tmp_path: Path) -> None:
    path = tmp_path / "ours.toml"
    text = edited('nation = "england-and-wales"', 'nation = "scotland"')
    path.write_text(text.replace("closure_days = []", "closure_days = [2026-12-29, 2026-12-30]", 1))
    calendar = load(path).policy.calendar
    assert calendar.nation is Nation.SCOTLAND
    assert calendar.closure_days == (dt.date(2026, 12, 29), dt.date(2026, 12, 30))


# --- Bad files -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        pytest.param(
            'response = { working_days = 10, from = "receipt" }\n',
            "",
            "stage1.response: is required but missing",
            id="missing-stage1-response",
        ),
        pytest.param(
            "extensions_without_good_reason = 1",
            "extensions_without_good_reasons = 1",
            "stage1.extensions_without_good_reasons: is not a field this policy format knows "
            "(check the spelling)",
            id="misspelt-key",
        ),
        pytest.param(
            "closure_days = []",
            "closure_day = []",
            "calendar.closure_day: is not a field this policy format knows (check the spelling)",
            id="misspelt-calendar-key",
        ),
        pytest.param(
            'response = { working_days = 10, from = "receipt" }',
            'response = { working_days = 10, weeks = 2, from = "receipt" }',
            "stage1.response: give exactly one of working_hours, working_days or weeks",
            id="period-with-two-units",
        ),
        pytest.param(
            'response = { working_days = 10, from = "receipt" }',
            'response = { from = "receipt" }',
            "stage1.response: give exactly one of working_hours, working_days or weeks",
            id="period-with-no-unit",
        ),
        pytest.param(
            'contact = { working_hours = 24, from = "receipt" }',
            'contact = { working_hours = 24, from = "request" }',
            "stage1: contact must be counted from receipt, not request",
            id="stage1-contact-from-request",
        ),
        pytest.param(
            'decision = { working_days = 5, from = "meeting" }',
            'decision = { working_days = 5, from = "request" }',
            "appeal: decision must be counted from meeting, not request",
            id="appeal-decision-from-request",
        ),
        pytest.param(
            'contact = { working_hours = 24, from = "receipt" }',
            "contact = { working_hours = 24 }",
            "stage1.contact.from: is required but missing",
            id="clock-without-anchor",
        ),
        pytest.param(
            'contact = { working_hours = 24, from = "receipt" }',
            'contact = { working_hours = 24, from = "arrival" }',
            "stage1.contact.from: Input should be 'receipt', 'request', 'contact', 'meeting' or "
            "'final_response' (got 'arrival')",
            id="unknown-anchor",
        ),
        pytest.param(
            'response = { working_days = 10, from = "receipt" }',
            'response = { working_days = "ten", from = "receipt" }',
            "stage1.response.working_days: Input should be a valid integer, unable to parse string as an "
            "integer (got 'ten')",
            id="days-not-a-number",
        ),
        pytest.param(
            'response = { working_days = 10, from = "receipt" }',
            'response = { working_days = 0, from = "receipt" }',
            "stage1.response.working_days: Input should be greater than or equal to 1 (got 0)",
            id="zero-days",
        ),
        pytest.param(
            "extension = { working_days = 10 }",
            "extension = { weeks = 2 }",
            "stage1: extension must be in working_days",
            id="extension-in-weeks",
        ),
        pytest.param(
            "wait = { weeks = 8 }",
            "wait = { working_days = 40 }",
            "ombudsman: wait must be in weeks",
            id="ombudsman-wait-in-days",
        ),
        pytest.param(
            'nation = "england-and-wales"',
            'nation = "wales"',
            "calendar.nation: Input should be 'england-and-wales', 'scotland' or 'northern-ireland' "
            "(got 'wales')",
            id="unknown-nation",
        ),
        pytest.param(
            'key = "b"',
            'key = "a"',
            "stage2: grounds lists a more than once",
            id="repeated-ground",
        ),
        pytest.param(
            'panel = ["board_member", "resident", "executive"]',
            'panel = ["board_member", "resident", "resident"]',
            "appeal: panel lists resident more than once",
            id="repeated-panel-member",
        ),
        pytest.param(
            'reason = "neighbour_or_asb"',
            'reason = "out_of_time"',
            "eligibility: exclusions lists out_of_time more than once",
            id="repeated-exclusion",
        ),
        pytest.param(
            "informal_resolution = true",
            'informal_resolution = "sometimes"',
            "eligibility.informal_resolution: Input should be a valid boolean, unable to interpret input "
            "(got 'sometimes')",
            id="informal-resolution-not-yes-or-no",
        ),
        pytest.param(
            "time_limit_months = 6",
            "time_limit_months = 0",
            "eligibility.time_limit_months: Input should be greater than or equal to 1 (got 0)",
            id="no-time-to-complain",
        ),
    ],
)
def test_a_bad_policy_is_refused_naming_the_field_and_the_problem(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    error = refusal(tmp_path, edited(old, new))
    assert error.problems == [problem]


def test_a_misspelt_setting_is_named(tmp_path: Path) -> None:
    error = refusal(tmp_path, edited("reasons_for_each_point = false", "reason_for_each_point = false"))
    assert error.problems == [
        "stage1.reason_for_each_point: is not a field this policy format knows (check the spelling)",
    ]


def test_the_rule_settings_left_out_keep_the_behaviour_from_before_they_existed(tmp_path: Path) -> None:
    # A policy text written before these settings (as stored with its complaints) still reads:
    # informal resolution on, a response by any means, no reasons per point asked for.
    text = FLAGSHIP_TEXT
    for setting in ("informal_resolution", "written_response", "reasons_for_each_point"):
        text = "\n".join(line for line in text.split("\n") if not line.startswith(f"{setting} ="))
    path = tmp_path / "older.toml"
    path.write_text(text, encoding="utf-8")
    policy = load(path).policy
    assert policy.eligibility.informal_resolution is True
    assert (policy.stage1.written_response, policy.stage2.written_response) == (False, False)
    assert (policy.stage1.reasons_for_each_point, policy.stage2.reasons_for_each_point) == (False, False)


def test_a_problem_inside_a_list_names_the_entry_by_its_position(tmp_path: Path) -> None:
    # The second ground (index 1) has a key that is not lower case.
    error = refusal(tmp_path, edited('key = "b"', 'key = "B"'))
    [problem] = error.problems
    assert problem.startswith("stage2.grounds[1].key: ")
    assert "(got 'B')" in problem


def test_an_unknown_exclusion_reason_names_the_entry_and_the_choices(tmp_path: Path) -> None:
    error = refusal(tmp_path, edited('reason = "out_of_time"', 'reason = "late"'))
    [problem] = error.problems
    assert problem.startswith("eligibility.exclusions[0].reason: Input should be 'out_of_time', ")
    assert problem.endswith("(got 'late')")


def test_an_unknown_panel_member_names_the_position_in_the_list(tmp_path: Path) -> None:
    text = edited('panel = ["board_member", "resident", "executive"]', 'panel = ["board_member", "tenant"]')
    [problem] = refusal(tmp_path, text).problems
    assert problem.startswith("appeal.panel[1]: ")
    assert problem.endswith("(got 'tenant')")


def test_a_bad_version_string_is_refused(tmp_path: Path) -> None:
    [problem] = refusal(tmp_path, edited('version = "1.2"', 'version = "v1"')).problems
    assert problem.startswith("policy.version: ")
    assert problem.endswith("(got 'v1')")


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    text = edited('nation = "england-and-wales"', 'nation = "wales"')
    text = text.replace('response = { working_days = 10, from = "receipt" }\n', "", 1)
    text = text.replace("designated_person_route = true", "designated_person_route = true\nwebsite2 = ''", 1)
    error = refusal(tmp_path, text)
    assert sorted(p.split(":")[0] for p in error.problems) == [
        "calendar.nation",
        "ombudsman.website2",
        "stage1.response",
    ]


def test_a_file_that_is_not_toml_is_refused_with_the_line_of_the_mistake(tmp_path: Path) -> None:
    error = refusal(tmp_path, edited("[stage1]", "[stage1"))
    [problem] = error.problems
    assert problem.startswith("not valid TOML: ")
    line = FLAGSHIP_TEXT.splitlines().index("[stage1]") + 1
    assert f"line {line}" in problem


def test_a_missing_file_is_refused_naming_the_built_in_policies(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(PolicyError) as caught:
        load(path)
    assert caught.value.source == str(path)
    assert caught.value.problems == ["no such file, and not a built-in policy (code-2024, flagship)"]


def test_a_misspelt_built_in_name_is_refused_like_a_missing_file() -> None:
    with pytest.raises(PolicyError) as caught:
        load("flagshp")
    assert caught.value.problems == ["no such file, and not a built-in policy (code-2024, flagship)"]


def test_the_error_message_names_the_source_and_every_problem() -> None:
    text = edited('nation = "england-and-wales"', 'nation = "wales"').replace(
        "time_limit_months = 6", "time_limit_months = 0", 1
    )
    with pytest.raises(PolicyError) as caught:
        parse(text, source="ours.toml")
    assert str(caught.value) == (
        "ours.toml: calendar.nation: Input should be 'england-and-wales', 'scotland' or 'northern-ireland' "
        "(got 'wales'); eligibility.time_limit_months: Input should be greater than or equal to 1 (got 0)"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('response = { working_days = 10, from = "receipt" }\n', ""),
        (
            'contact = { working_hours = 24, from = "receipt" }',
            'contact = { working_hours = 24, from = "x" }',
        ),
        ('version = "1.2"', 'version = "v1"'),
        ("[stage1]", "[stage1"),
        ('panel = ["board_member", "resident", "executive"]', 'panel = "everyone"'),
        ("approved_on = 2026-11-22", 'approved_on = "yesterday"'),
    ],
)
def test_problems_read_as_plain_sentences_without_python_internals(old: str, new: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse(edited(old, new))
    for problem in caught.value.problems:
        for internal in ("Traceback", 'File "', "pydantic", "errors.pydantic.dev", "Value error", "[type="):
            assert internal not in problem
        assert "\n" not in problem
