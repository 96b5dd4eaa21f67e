"""``putright deadlines``: what staff tell a customer who asks "when will I hear back?"."""

from __future__ import annotations

import json


def by_name(result) -> dict[str, dict[str, str]]:
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    return {d["name"]: d for d in body["deadlines"]}


def test_every_deadline_of_the_seed_procedure_over_christmas(putright):
    # Wednesday 23 December 2026 16:30, before the 17:00 cut-off, so day 0 is the 23rd.
    # Not working days: Fri 25 Dec (Christmas), Sat/Sun, Mon 28 Dec (Boxing Day substitute),
    # Fri 1 Jan 2027 (New Year). Working days after day 0:
    #   1 Thu 24 Dec, 2 Tue 29, 3 Wed 30, 4 Thu 31, 5 Mon 4 Jan, 6 Tue 5, 7 Wed 6, 8 Thu 7,
    #   9 Fri 8, 10 Mon 11, ... 15 Mon 18, 20 Mon 25 Jan, 25 Mon 1 Feb, 30 Mon 8 Feb.
    deadlines = by_name(putright("deadlines", "2026-12-23T16:30", "--json"))
    assert list(deadlines) == [
        "stage1.contact",
        "stage1.response",
        "stage1.extended_response",
        "stage2.contact",
        "stage2.response",
        "stage2.extended_response",
        "appeal.meeting",
        "appeal.decision",
        "ombudsman.direct",
    ]
    # 24 working hours: 7.5 hours left on Wednesday, 16.5 on Thursday.
    assert deadlines["stage1.contact"]["due_at"] == "2026-12-24T16:30:00+00:00"
    assert deadlines["stage1.response"]["due_at"] == "2027-01-11T23:59:59+00:00"
    assert deadlines["stage1.extended_response"]["due_date"] == "2027-01-25"
    assert deadlines["stage2.contact"]["due_date"] == "2027-01-04"
    assert deadlines["stage2.response"]["due_date"] == "2027-01-25"
    assert deadlines["stage2.extended_response"]["due_date"] == "2027-02-08"
    assert deadlines["appeal.meeting"]["due_date"] == "2027-01-25"
    assert deadlines["appeal.decision"]["due_date"] == "2027-01-04"
    # 8 calendar weeks = 56 days: 8 days to 31 Dec, 31 to 31 Jan, 17 to Wednesday 17 Feb.
    assert deadlines["ombudsman.direct"]["due_at"] == "2027-02-17T16:30:00+00:00"


def test_the_clock_change_and_easter_do_not_move_a_deadline_by_an_hour(putright):
    # Friday 27 March 2026 10:00 GMT; clocks go forward on Sunday 29 March.
    # 24 working hours: 14 on Friday, 10 on Monday 30 March: 10:00 BST, not 11:00.
    # Working days: 1 Mon 30, 2 Tue 31, 3 Wed 1 Apr, 4 Thu 2, (Good Friday 3 Apr, Easter Monday 6 Apr),
    # 5 Tue 7, 6 Wed 8, 7 Thu 9, 8 Fri 10, 9 Mon 13, 10 Tue 14 April.
    deadlines = by_name(putright("deadlines", "2026-03-27T10:00", "--json"))
    assert deadlines["stage1.contact"]["due_at"] == "2026-03-30T10:00:00+01:00"
    assert deadlines["stage1.response"]["due_at"] == "2026-04-14T23:59:59+01:00"


def test_an_offset_is_honoured_and_a_start_after_the_cut_off_waits_for_the_next_working_day(putright):
    # 17:30 UTC on Tuesday 10 November 2026 is 17:30 in London (GMT): after the cut-off,
    # so the clock starts at 00:00 on Wednesday 11 November; 24 working hours end with Wednesday.
    deadlines = by_name(putright("deadlines", "2026-11-10T17:30:00+00:00", "--json"))
    assert deadlines["stage1.contact"]["due_at"] == "2026-11-11T23:59:59+00:00"
    # Day 0 is Wednesday 11 November; 10 working days later is Wednesday 25 November.
    assert deadlines["stage1.response"]["due_date"] == "2026-11-25"


def test_scotland_keeps_st_andrews_day(putright):
    # Friday 27 November 2026 10:00; Monday 30 November is St Andrew's Day, a Scottish bank holiday.
    england = by_name(putright("deadlines", "2026-11-27T10:00", "--json"))
    scotland = by_name(putright("deadlines", "2026-11-27T10:00", "--nation", "scotland", "--json"))
    assert england["stage1.contact"]["due_at"] == "2026-11-30T10:00:00+00:00"
    assert scotland["stage1.contact"]["due_at"] == "2026-12-01T10:00:00+00:00"


def test_the_code_policy_has_no_appeal_and_no_wait_for_the_ombudsman(putright):
    deadlines = by_name(putright("deadlines", "2026-12-23T16:30", "--policy", "code-2024", "--json"))
    assert "appeal.meeting" not in deadlines
    # 5 working days for the acknowledgement: Monday 4 January 2027 (see the Christmas working out above).
    assert deadlines["stage1.contact"]["due_date"] == "2027-01-04"
    assert deadlines["ombudsman.direct"]["due_at"] == "2026-12-23T16:30:00+00:00"


def test_the_table_is_readable(putright):
    result = putright("deadlines", "2026-12-23T16:30")
    assert result.returncode == 0
    assert "stage1.response           Mon 11 Jan 2027 23:59  10 working days from receipt" in result.stdout


def test_a_malformed_start_gets_a_clear_error(putright):
    result = putright("deadlines", "next tuesday", "--json")
    assert result.returncode == 2
    assert "START must be an ISO 8601 date-time" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_a_broken_policy_file_gets_a_clear_error(putright, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[policy\nname = 'x'\n")
    result = putright("deadlines", "2026-12-23T16:30", "--policy", str(broken))
    assert result.returncode == 2
    assert "not valid TOML" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_nation_is_refused(putright):
    result = putright("deadlines", "2026-12-23T16:30", "--nation", "wales")
    assert result.returncode == 2
    assert "invalid choice: 'wales'" in result.stderr
