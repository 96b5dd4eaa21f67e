"""``putright report export``: the flat export from the command line (issue 13, export)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.cases.helpers import at
from tests.reports.export_cases import EXPORTED, make_cases


@pytest.fixture
def made(journey, log, officer, org):
    return make_cases(journey, log, officer, org)


def _run(*args: str) -> str:
    out = io.StringIO()
    with at(EXPORTED):
        call_command("report", "export", *args, stdout=out)
    return out.getvalue()


def test_a_table_to_standard_output_for_every_organisation(made):
    found = list(
        csv.DictReader(io.StringIO(_run("--table", "stages", "--period", "2026-27").lstrip("\ufeff")))
    )
    assert {r["complaint_reference"] for r in found} == {made["B"].reference, made["D"].reference}
    everyone = _run("--table", "complaints", "--period", "2026-27")
    assert made["Z"].reference in everyone, "the command line sees every landlord"
    only = _run("--table", "complaints", "--organisation", "SH")
    assert made["Z"].reference in only and made["B"].reference not in only


def test_a_table_and_a_workbook_to_files(made, tmp_path):
    out = tmp_path / "stages.csv"
    assert _run("--table", "stages", "--out", str(out)) == f"Wrote stages to {out}\n"
    assert out.read_text(encoding="utf-8-sig").startswith("complaint_reference,organisation,")
    book = tmp_path / "putright.xlsx"
    assert (
        _run("--format", "xlsx", "--period", "2025-26", "--out", str(book))
        == f"Wrote the workbook to {book}\n"
    )
    assert openpyxl.load_workbook(book).sheetnames[-1] == "About"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--table", "stages", "--period", "2026-13"),
            "--period: '2026-13': a reporting year is written like 2025-26",
        ),
        (("--table", "stages", "--organisation", "XX"), "--organisation: no organisation 'XX'"),
        ((), "--table: a CSV file holds one table; choose one of complaints, stages"),
        (("--format", "xlsx"), "--out: a workbook is a file; name the file to write"),
    ],
)
def test_bad_input_is_refused_in_words(made, args, message):
    with pytest.raises(CommandError) as refused:
        _run(*args)
    assert str(refused.value).startswith(message)
