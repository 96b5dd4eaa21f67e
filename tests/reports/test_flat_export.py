"""The flat export: its rows and values against the complaints of tests/reports/export_cases.py,
worked out by hand there; what it keeps out; its fixed number of queries; and its columns as
docs/reports-export.md documents them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.errors import InvalidInput
from putright.reports.export_scope import export_scope
from putright.reports.flat import KEY_COLUMNS, KINDS, TABLES, Lookups
from putright.reports.flat_files import csv_lines, xlsx_bytes
from tests.cases.helpers import at
from tests.reports.export_cases import AREA, CUSTOMER_WORDS, EXPORTED, exported_at, make_cases
from tests.web.helpers import make_user

DOCS = Path(__file__).resolve().parents[2] / "docs" / "reports-export.md"


@pytest.fixture
def made(journey, log, officer, org):
    return make_cases(journey, log, officer, org)


def rows(
    table: str, user, period: str | None = None, organisation: str | None = None
) -> list[dict[str, str]]:
    """The table's CSV, read back as a reader would: a dict per row, by column name."""
    scope = export_scope(user=user, period=period, organisation=organisation)
    text = "".join(csv_lines(TABLES[table], scope, Lookups.read(exported_at())))
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def by_reference(found: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    grouped: dict[str, list[dict[str, str]]] = {}
    for row in found:
        grouped.setdefault(row["complaint_reference"], []).append(row)
    return grouped


def test_each_complaint_once_with_its_keys(made, senior):
    found = by_reference(rows("complaints", senior))
    a, b, d, n = (made[k].reference for k in "ABDN")
    assert set(found) == {a, b, d, n}, "Z is another landlord's"
    assert found[b][0] == {
        "complaint_reference": b,
        "organisation": "VHT",
        "organisation_group": "FG",
        "received_at": "2026-04-01T11:00:00+00:00",
        "channel": "email",
        "category": "service_failure",
        "stock_type": "lcra",
        "state": "stage1_responded",
        "complaint_stage": "1",
        "policy": "Flagship Group Customer Complaints Procedure",
        "policy_version": found[b][0]["policy_version"],
        "team": "Learning and Resolution Team",
        "points": "2",
        "exclusion_reason": "",
        "raised_during": "",
        "next_deadline": "",
        "next_due_at": "",
        "final_response_at": "",
        "closed_at": "",
    }
    assert (found[n][0]["state"], found[n][0]["exclusion_reason"], found[n][0]["complaint_stage"]) == (
        "not_accepted",
        "first_request_for_service",
        "0",
    )
    assert found[a][0]["final_response_at"] == "2026-04-24T10:00:00+00:00"  # Fri 24 April 11:00 BST


def test_one_row_per_stage_with_its_dates_and_whether_it_was_on_time(made, senior):
    found = by_reference(rows("stages", senior))
    a = {row["stage_number"]: row for row in found[made["A"].reference]}
    assert set(a) == {"1", "2", "3"}
    assert [a["1"][k] for k in ("opened_at", "responded_at", "response_due_at", "on_time_by_policy")] == [
        "2026-03-02T11:00:00+00:00",
        "2026-03-12T15:00:00+00:00",
        "2026-03-16T23:59:59+00:00",
        "true",
    ]
    assert (a["2"]["response_due_at"], a["2"]["on_time_by_policy"]) == ("2026-04-14T22:59:59+00:00", "true")
    assert (a["3"]["response_due_at"], a["3"]["policy_due_at"], a["3"]["on_time_by_policy"]) == (
        "2026-04-28T22:59:59+00:00",
        "",
        "",
    ), "the appeal's decision has its deadline, and no policy response date"
    [b] = found[made["B"].reference]
    assert [b[k] for k in ("extensions", "extended_beyond_policy", "response_due_at", "policy_due_at")] == [
        "1",
        "false",
        "2026-05-01T22:59:59+00:00",
        "2026-05-01T22:59:59+00:00",
    ]
    assert (b["responded_at"], b["on_time_by_policy"]) == ("2026-04-30T14:00:00+00:00", "true")
    [d] = found[made["D"].reference]
    assert [d[k] for k in ("extensions", "extended_beyond_policy", "response_due_at", "policy_due_at")] == [
        "1",
        "true",
        "2026-05-15T22:59:59+00:00",
        "2026-04-17T22:59:59+00:00",
    ]
    assert d["on_time_by_policy"] == "false"
    assert made["N"].reference not in found, "not accepted: no stage"


def test_the_acknowledgement_is_read_from_the_stage(made, senior):
    """Recording it is the acknowledgement's own work (issue 13, ack); the export only reads it."""
    stage = made["B"].stages.get(number=1)
    type(stage).objects.filter(pk=stage.pk).update(
        acknowledged_at=dt.datetime(2026, 4, 2, 8, 30, tzinfo=dt.UTC), acknowledged_via="letter"
    )
    [b] = by_reference(rows("stages", senior))[made["B"].reference]
    assert (b["acknowledged_at"], b["acknowledged_via"]) == ("2026-04-02T08:30:00+00:00", "letter")


def test_one_row_per_deadline_with_its_status_at_the_export(made, senior):
    found = by_reference(rows("deadlines", senior))
    assert [r["deadline"] for r in found[made["A"].reference]] == [
        "stage1.contact",
        "stage1.response",
        "stage2.contact",
        "stage2.response",
        "appeal.meeting",
        "appeal.decision",
    ]
    response = next(r for r in found[made["D"].reference] if r["deadline"] == "stage1.response")
    assert {
        k: response[k] for k in ("stage_number", "deadline_label", "original_due_at", "due_at", "met_at")
    } == {
        "stage_number": "1",
        "deadline_label": "Stage 1 response",
        "original_due_at": "2026-04-17T22:59:59+00:00",
        "due_at": "2026-05-15T22:59:59+00:00",
        "met_at": "2026-05-14T14:00:00+00:00",
    }
    assert response["status"] == "met", "met by the date it was moved to"
    assert {r["status"] for rs in found.values() for r in rs} == {"met"}


def test_one_row_per_point_outcome_with_the_points_learning(made, senior):
    found = by_reference(rows("outcomes", senior))
    assert len(found[made["A"].reference]) == 6, "two points at each of three stages"
    appeal = [r for r in found[made["A"].reference] if r["stage_number"] == "3"]
    assert {(r["response_kind"], r["responded_at"]) for r in appeal} == {
        ("appeal_decision", "2026-04-23T15:00:00+00:00")
    }
    one, two = found[made["B"].reference]
    assert {k: one[k] for k in list(one)[9:]} == {
        "stage_number": "1",
        "response_kind": "response",
        "responded_at": "2026-04-30T14:00:00+00:00",
        "response_method": "letter",
        "point_number": "1",
        "outcome": "upheld",
        "upheld": "true",
        "theme": "damp_and_mould",
        "theme_label": "Repairs: damp and mould",
        "theme_counted_as": "damp_and_mould",
        "service_area": "'" + AREA,
        "service_area_kind": "department",
        "root_cause": "process_not_followed",
        "root_cause_label": "Process not followed",
    }
    assert (two["outcome"], two["upheld"], two["theme"], two["theme_counted_as"], two["root_cause"]) == (
        "not_upheld",
        "false",
        "letters",
        "communication",
        "",
    )


def test_one_row_per_remedy_money_as_decimal_strings(made, senior):
    money, apology = by_reference(rows("remedies", senior))[made["B"].reference]
    assert {k: money[k] for k in list(money)[10:]} == {
        "stage_number": "1",
        "point_number": "1",
        "remedy_type": "financial",
        "purpose": "time_and_trouble",
        "amount_offered": "150.00",
        "amount_paid": "150.00",
        "status": "paid",
        "offered_on": "2026-04-30",
        "accepted_on": "2026-05-01",
        "declined_on": "",
        "paid_on": "2026-05-05",
        "rate_key": "",
        "rate_units": "",
        "theme": "damp_and_mould",
        "theme_label": "Repairs: damp and mould",
        "theme_counted_as": "damp_and_mould",
    }
    assert [
        apology[k] for k in ("remedy_type", "point_number", "amount_offered", "amount_paid", "status")
    ] == [
        "apology",
        "",
        "",
        "",
        "offered",
    ]
    assert int(money["remedy_id"]) == made["B"].remedies.get(remedy_type="financial").pk


def test_case_actions_then_learning_actions(made, senior):
    case, learning = by_reference(rows("actions", senior))[made["B"].reference]
    assert {k: case[k] for k in list(case)[9:] if k != "action_id"} == {
        "action_kind": "case",
        "stage_number": "1",
        "agreed_at": "2026-04-30T15:30:00+00:00",
        "linked_at": "",
        "change_kind": "",
        "due_on": "2026-05-29",
        "completed_at": "",
        "done": "false",
        "overdue": "true",
    }
    assert {k: learning[k] for k in list(learning)[9:] if k != "action_id"} == {
        "action_kind": "learning",
        "stage_number": "",
        "agreed_at": "",
        "linked_at": "2026-05-01T08:00:00+00:00",
        "change_kind": "training",
        "due_on": "2026-09-30",
        "completed_at": "",
        "done": "false",
        "overdue": "false",
    }
    assert int(learning["action_id"]) == made["B"].learning_actions.get().pk


def test_a_period_keeps_the_complaints_received_in_it(made, senior):
    year = {r["complaint_reference"] for r in rows("complaints", senior, period="2026-27")}
    assert year == {made[k].reference for k in "BDN"}
    earlier = {r["complaint_reference"] for r in rows("stages", senior, period="2025-26")}
    assert earlier == {made["A"].reference}
    assert rows("outcomes", senior, period="2026-04-02..2026-04-02") == []
    assert {r["complaint_reference"] for r in rows("complaints", senior, period="all")} == {
        made[k].reference for k in "ABDN"
    }


def test_another_landlords_complaints_never_appear_but_the_group_sees_all(made, senior, org):
    for table in TABLES:
        assert made["Z"].reference not in {r["complaint_reference"] for r in rows(table, senior)}
    admin = make_user("root", Role.ADMINISTRATOR)
    everything = {r["complaint_reference"] for r in rows("complaints", admin)}
    assert made["Z"].reference in everything
    only_sh = {r["complaint_reference"] for r in rows("complaints", admin, organisation="SH")}
    assert only_sh == {made["Z"].reference}
    group = {r["complaint_reference"] for r in rows("complaints", admin, organisation="FG")}
    assert group == {made[k].reference for k in "ABDN"}, "the group and the landlords below it"


def test_an_organisation_or_period_that_cannot_be_used_is_refused_in_words(made, senior):
    with pytest.raises(InvalidInput) as refused:
        export_scope(user=senior, organisation="SH")
    assert (refused.value.field, refused.value.detail) == (
        "organisation",
        "no organisation 'SH' that you work for",
    )
    with pytest.raises(InvalidInput) as refused:
        export_scope(user=senior, period="2025-27")
    assert refused.value.field == "period"
    assert refused.value.detail == "'2025-27': a reporting year is written like 2025-26"


def test_no_personal_data_and_no_formula(made, senior):
    everything = "".join(
        "".join(csv_lines(table, export_scope(user=senior), Lookups.read(exported_at())))
        for table in TABLES.values()
    )
    for personal in ("Ada", "Lovelace", "ada@example.org", "01603", "NR28", "nr28", "Talked it through"):
        assert personal not in everything
    assert CUSTOMER_WORDS.split("(")[1] not in everything.replace('""', '"').replace(AREA, ""), (
        "the customer's own words are not exported"
    )
    cells = [cell for line in csv.reader(io.StringIO(everything)) for cell in line]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@"))]
    assert "'" + AREA in cells


def test_the_workbook_has_a_sheet_per_table_and_keeps_text_as_text(made, senior):
    with at(EXPORTED):
        book = openpyxl.load_workbook(
            io.BytesIO(xlsx_bytes(export_scope(user=senior, period="2026-27"), Lookups.read(exported_at())))
        )
    assert book.sheetnames == [*TABLES, "About"]
    outcomes = list(book["outcomes"].iter_rows())
    assert [c.value for c in outcomes[0]] == TABLES["outcomes"].names
    area = next(row for row in outcomes[1:] if row[19].value)[19]
    assert (area.value, area.data_type) == (AREA, "s"), "shown as the text it is, never run"
    headings, first = list(book["stages"].iter_rows(values_only=True))[:2]
    stage = dict(zip(headings, first, strict=True))
    assert stage["received_at"] == dt.datetime(2026, 4, 1, 11, 0), "UTC, without a zone"
    assert stage["extended_beyond_policy"] is False
    money = list(book["remedies"].iter_rows(values_only=True))[1]
    assert money[14] == 150, "money is a number"
    about = list(book["About"].iter_rows(values_only=True))
    assert about[0][:2] == ("Exported", "2026-06-01T11:00:00+00:00")
    assert ("complaints", 3, "One row per complaint.", None) in about


def test_a_sheet_stops_at_the_limit_and_says_so(made, senior):
    book = openpyxl.load_workbook(
        io.BytesIO(
            xlsx_bytes(
                export_scope(user=senior),
                Lookups.read(exported_at()),
                [TABLES["deadlines"]],
                limit=3,
                chunk=2,
            )
        )
    )
    assert len(list(book["deadlines"].iter_rows())) == 4
    about = list(book["About"].iter_rows(values_only=True))
    assert (
        "deadlines",
        3,
        TABLES["deadlines"].about,
        "Only the first 3 rows: download the CSV for all.",
    ) in about


def _queries(table: str, user, chunk: int) -> int:
    scope = export_scope(user=user)
    lookups = Lookups.read(exported_at())
    with CaptureQueriesContext(connection) as queries:
        for _ in TABLES[table].rows(scope, lookups, chunk):
            pass
    return len(queries)


@pytest.mark.parametrize("table", list(TABLES))
def test_a_table_reads_one_query_per_chunk_whatever_the_size(table, journey, log, officer, org, senior):
    make_cases(journey, log, officer, org)
    few = _queries(table, senior, 2000)
    for _ in range(3):  # three more complaints of the standard journey: the table grows
        journey.until("responded2")
    assert _queries(table, senior, 2000) == few == (2 if table == "actions" else 1)
    found = list(TABLES[table].rows(export_scope(user=senior), Lookups.read(exported_at())))
    assert _queries(table, senior, 3) == _chunks(table, found, 3), "one query per chunk, the last one short"


def _chunks(table: str, found: list[list], chunk: int) -> int:
    """Queries to read ``found`` ``chunk`` rows at a time: the actions are read from two tables."""
    if table != "actions":
        return len(found) // chunk + 1
    kinds = [row[len(KEY_COLUMNS)] for row in found]
    return sum(kinds.count(kind) // chunk + 1 for kind in ("case", "learning"))


def test_the_lookups_are_two_queries_for_the_whole_export(db):
    with CaptureQueriesContext(connection) as queries:
        Lookups.read(exported_at())
    assert len(queries) == 2


def test_every_column_is_documented_with_its_kind(db):
    """docs/reports-export.md lists each table's columns in order, with their kinds: the promise
    to analysts that no column is renamed, and that the page and the files agree with it."""
    documented = _documented_columns(DOCS.read_text())
    assert list(documented) == list(TABLES)
    for name, table in TABLES.items():
        assert documented[name] == [(c.name, c.kind) for c in table.columns], name
    assert all(c.kind in KINDS for t in TABLES.values() for c in t.columns)
    assert all(t.columns[: len(KEY_COLUMNS)] == KEY_COLUMNS for t in TABLES.values())


def _documented_columns(text: str) -> dict[str, list[tuple[str, str]]]:
    """Each "## `table`" section's table rows: | `column` | kind | meaning |."""
    tables: dict[str, list[tuple[str, str]]] = {}
    current: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        if heading := re.match(r"^## `(\w+)`", line):
            current = tables.setdefault(heading[1], [])
        elif line.startswith("## "):
            current = None
        elif current is not None and (row := re.match(r"^\| `(\w+)` \| (\w+) \|", line)):
            current.append((row[1], row[2]))
    keys = tables.pop("keys", [])
    return {name: [*keys, *columns] for name, columns in tables.items()}
