"""``putright import complaints`` (issue 14): an old system's export brought in, checked row by row.

Run through the command as an operator types it, on the database under test (SQLite, or
PostgreSQL with DATABASE_URL), with the shipped example and small files written here.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases import search_index
from putright.cases.models import Complaint, Customer, Deadline, EventKind, Point, Stage, TimelineEvent
from putright.cases.policies import calendar_for, rules_for
from putright.procedure.deadlines import Due, timing
from tests.cli.test_bench_seed import search_writes
from tests.complaint_copies import rows_and_wrong_copies
from tests.conftest import _user, london

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "deploy" / "import" / "example-complaints.csv"
MAPPING = ROOT / "deploy" / "import" / "example-mapping.toml"
HEADER = [
    "Ref",
    "Date Received",
    "Method",
    "Tenant Name",
    "Landlord",
    "Subject",
    "Issues",
    "Category",
    "Stage",
    "Status",
    "Outcome",
    "Date Acknowledged",
    "Date Responded",
    "Date Escalated",
    "Stage 2 Acknowledged",
    "Stage 2 Responded",
    "Date Closed",
]
# Ref, received, method, name, landlord, subject, issues, category, stage, status, outcome,
# acknowledged, responded, escalated, stage 2 acknowledged, stage 2 responded, closed
GOOD = [
    ("T-1", "01/12/2025 10:00", "Email", "Mrs Jane Smith", "EH", "Boiler", "", "", "", "New", ""),
    (
        "T-2",
        "23/12/2025 10:00",
        "Phone call",
        "Ahmed Khan",
        "Eastward Homes",
        "Leak",
        "Leak; No call back",
        "Repairs delay",
        "Stage 1",
        "Open",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ),
    (
        "T-3",
        "03/11/2025",
        "Web form",
        "Priya Patel",
        "BH",
        "Damp",
        "",
        "",
        "Stage 1",
        "Responded",
        "Upheld",
        "04/11/2025",
        "14/11/2025",
    ),
    (
        "T-4",
        "2025-10-01",
        "Letter",
        "Smith, Tom",
        "NCH",
        "Noise",
        "",
        "",
        "Stage 2",
        "Open",
        "",
        "02/10/2025",
        "10/10/2025",
        "20/10/2025",
        "21/10/2025",
        "",
        "",
    ),
    (
        "T-5",
        "01/09/2025",
        "Email",
        "Grace Brown",
        "EH",
        "Fence",
        "",
        "",
        "Stage 2",
        "Responded",
        "Not Upheld",
        "02/09/2025",
        "10/09/2025",
        "15/09/2025",
        "16/09/2025",
        "10/10/2025",
    ),
    (
        "T-6",
        "01/08/2025",
        "Email",
        "Liam Wilson",
        "EH",
        "Bins",
        "",
        "",
        "Stage 1",
        "Closed - Upheld",
        "",
        "01/08/2025",
        "12/08/2025",
        "",
        "",
        "",
        "20/08/2025",
    ),
    (
        "T-7",
        "01/07/2025",
        "Email",
        "Olivia Evans",
        "EH",
        "Roof",
        "",
        "",
        "Stage 2",
        "Closed - Not Upheld",
        "",
        "02/07/2025",
        "10/07/2025",
        "14/07/2025",
        "15/07/2025",
        "01/08/2025",
        "05/08/2025",
    ),
    (
        "T-8",
        "01/06/2025",
        "Email",
        "Daniel Clarke",
        "EH",
        "Lights",
        "",
        "",
        "",
        "Resolved at First Contact",
        "",
        "",
        "",
        "",
        "",
        "",
        "02/06/2025",
    ),
    (
        "T-9",
        "01/05/2025",
        "Email",
        "Chloe Walker",
        "EH",
        "Rent",
        "",
        "",
        "",
        "Not Accepted",
        "",
        "",
        "",
        "",
        "",
        "",
        "03/05/2025",
    ),
    (
        "T-10",
        "01/04/2025",
        "Email",
        "Sophie Wright",
        "EH",
        "Gate",
        "",
        "",
        "Stage 1",
        "Withdrawn",
        "",
        "02/04/2025",
        "",
        "",
        "",
        "",
        "08/04/2025",
    ),
]
BAD = [  # (row, the reason's words)
    (
        ("B-1", "01/04/2025", "Email", "A Person", "Anglia Homes", "Gate", "", "", "", "New"),
        "unknown organisation 'Anglia Homes'",
    ),
    (("B-2", "31/02/2025", "Email", "A Person", "EH", "Gate", "", "", "", "New"), "bad date '31/02/2025'"),
    (("B-3", "01/04/2025", "Email", "", "EH", "Gate", "", "", "", "New"), "missing 'Tenant Name'"),
    (
        (
            "B-4",
            "01/04/2025",
            "Email",
            "A Person",
            "EH",
            "Gate",
            "",
            "",
            "Stage 1",
            "Closed - Upheld",
            "",
            "",
            "",
            "",
            "",
            "",
            "10/04/2025",
        ),
        "state closed at stage 1 needs the date of the stage 1 response",
    ),
    (
        (
            "B-5",
            "01/04/2025",
            "Email",
            "A Person",
            "EH",
            "Gate",
            "",
            "",
            "Stage 1",
            "Responded",
            "",
            "",
            "01/03/2025",
        ),
        "the date of the stage 1 response 01/03/2025 is before the date it was received",
    ),
    (
        ("T-1", "01/04/2025", "Email", "A Person", "EH", "Gate", "", "", "", "New"),
        "duplicate reference 'T-1'",
    ),
    (
        ("B-7", "01/04/2025", "Pigeon", "A Person", "EH", "Gate", "", "", "", "New"),
        "unknown channel 'Pigeon'",
    ),
    (
        ("B-8", "01/04/2025", "Email", "A Person", "EH", "Gate", "", "", "", "On Hold"),
        "unknown status 'On Hold'",
    ),
    (("B-9", "01/04/2099", "Email", "A Person", "EH", "Gate", "", "", "", "New"), "is in the future"),
    (
        ("B-10", "01/04/2025", "Email", "A Person", "EH", "Gate", "", "", "", "Appeal Requested"),
        "state appeal_requested cannot be imported",
    ),
    (("B-11", "01/04/2025", "Email", "A Person", "EH", "", "", "", "", "New"), "missing 'Subject'"),
]


@pytest.fixture
def landlords(db):
    group = Organisation.objects.create(
        name="Eastward Housing Group", short_name="EG", kind=OrganisationKind.GROUP, homes=0
    )
    for name, short in (
        ("Eastward Homes", "EH"),
        ("North Coast Housing", "NCH"),
        ("Broadland Homes", "BH"),
    ):
        Organisation.objects.create(
            name=name, short_name=short, kind=OrganisationKind.LANDLORD, parent=group, homes=1000
        )
    return group


def write(path: Path, rows: list[tuple[str, ...]]) -> Path:
    """The rows (in HEADER's order) in a file with every column of the example's, the others empty."""
    with EXAMPLE.open(encoding="utf-8") as example, path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=next(csv.reader(example)), restval="")
        writer.writeheader()
        for row in rows:
            writer.writerow(dict(zip(HEADER, row, strict=False)))
    return path


def run(path: Path, *args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import", "complaints", str(path), "--mapping", str(MAPPING), *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (Complaint, Customer, Point, Stage, Deadline, TimelineEvent)
    return {m.__name__: m.objects.count() for m in models}


def states() -> dict[str, int]:
    found: dict[str, int] = {}
    for state in Complaint.objects.values_list("state", flat=True):
        found[state] = found.get(state, 0) + 1
    return found


# -- the shipped example -----------------------------------------------------------------


def test_the_example_imports_200_complaints_and_rejects_its_14_bad_rows(landlords, tmp_path):
    rejects = tmp_path / "rejected.csv"
    out = run(EXAMPLE, "--rejects", str(rejects))
    assert (
        "Imported 200 complaints from Civica CX (214 rows read; 0 already imported, skipped; 14 rejected)"
        in out
    )
    wrong = {name: wrong for name, (_, wrong) in rows_and_wrong_copies().items()}
    assert set(wrong.values()) == {0}  # issue 16, dash: the complaint's receipt copied on each row
    assert states() == {
        "closed": 113,
        "not_accepted": 8,
        "received": 9,
        "resolved_informally": 18,
        "stage1": 24,
        "stage1_responded": 9,
        "stage2": 6,
        "stage2_responded": 7,
        "withdrawn": 6,
    }
    by_organisation = {o.short_name: o.complaints.count() for o in Organisation.objects.all()}
    assert by_organisation == {"EG": 0, "EH": 125, "NCH": 45, "BH": 30}
    assert Complaint.objects.filter(source_system="Civica CX").count() == 200
    with rejects.open(encoding="utf-8") as handle:
        rejected = list(csv.DictReader(handle))
    assert len(rejected) == 14
    assert [r["Ref"] for r in rejected][:3] == ["CX-900001", "CX-900002", "CX-900003"]
    assert rejected[0]["Landlord"] == "Anglia Homes"  # the row as it was
    assert rejected[0]["reason"].startswith("line 202: unknown organisation 'Anglia Homes'")
    # issue 15, audit: the imported histories are chained like any other
    from putright.cases.selectors.chain import verify

    assert verify().ok and verify().cases == 200


def test_without_rejects_the_rejected_rows_go_beside_the_file(landlords, tmp_path):
    source = tmp_path / "export.csv"
    source.write_bytes(EXAMPLE.read_bytes())
    out = run(source)
    assert f"The rejected rows, with the reason, are in {tmp_path / 'export-rejected.csv'}" in out
    assert len((tmp_path / "export-rejected.csv").read_text().splitlines()) == 15


# -- each state and each reason ----------------------------------------------------------


def test_each_state_is_imported_with_its_history_at_the_original_dates(landlords, tmp_path):
    out = run(write(tmp_path / "small.csv", [*GOOD, *(row for row, _ in BAD)]))
    assert "Imported 10 complaints" in out
    assert states() == {
        "received": 1,
        "stage1": 1,
        "stage1_responded": 1,
        "stage2": 1,
        "stage2_responded": 1,
        "closed": 2,
        "resolved_informally": 1,
        "not_accepted": 1,
        "withdrawn": 1,
    }
    t5 = Complaint.objects.get(source_reference="T-5")
    assert t5.reference.startswith("PR-") and t5.source_system == "Civica CX"
    assert (t5.stage, t5.state, t5.customer.last_name) == (2, "stage2_responded", "Brown")
    events = [
        (e.get_kind_display(), e.occurred_at.astimezone(london("2025-01-01").tzinfo).date())
        for e in t5.timeline.all()
    ]
    today = dt.datetime.now(tz=dt.UTC).date()
    assert events[:-1] == [
        ("Complaint logged", dt.date(2025, 9, 1)),
        ("Accepted at stage 1", dt.date(2025, 9, 1)),
        ("Acknowledged", dt.date(2025, 9, 2)),
        ("Response given", dt.date(2025, 9, 10)),
        ("Escalated to stage 2", dt.date(2025, 9, 15)),
        ("Acknowledged", dt.date(2025, 9, 16)),
        ("Response given", dt.date(2025, 10, 10)),
    ]
    imported = t5.timeline.last()
    assert imported.kind == EventKind.IMPORTED and imported.occurred_at.date() >= today - dt.timedelta(days=1)
    assert imported.summary == "Imported from Civica CX, their ref T-5"
    assert set(t5.stages.last().responses.get().outcomes.values_list("outcome", flat=True)) == {"not_upheld"}
    assert not t5.deadlines.filter(met_at__isnull=True, cancelled_at__isnull=True).exists()
    t7 = Complaint.objects.get(source_reference="T-7")
    assert t7.closed_at == london("2025-08-05 09:00") and t7.next_due_at is None
    t10 = Complaint.objects.get(source_reference="T-10")
    assert t10.timeline.filter(kind=EventKind.WITHDRAWN).get().occurred_at == london("2025-04-08 09:00")
    assert t10.deadlines.get(name="stage1.response").cancelled_at == london("2025-04-08 09:00")
    assert Complaint.objects.get(source_reference="T-2").points.count() == 2


def test_every_bad_row_is_rejected_with_its_reason(landlords, tmp_path):
    out = run(write(tmp_path / "small.csv", [*GOOD, *(row for row, _ in BAD)]), "--dry-run")
    reasons = [line for line in out.splitlines() if line.startswith("  line ")]
    assert len(reasons) == len(BAD)
    for (row, words), reason in zip(BAD, reasons, strict=True):
        assert words in reason, (row[0], reason)


def test_a_dry_run_reports_and_changes_nothing(landlords, tmp_path):
    before = counts()
    out = run(EXAMPLE, "--dry-run")
    assert "Would import 200 complaints from Civica CX" in out
    assert "  EH: 125 (closed 72, not_accepted 2, received 5, resolved_informally 14" in out
    assert "line 214: duplicate reference 'CX-100001' in the file" in out
    assert out.rstrip().endswith("Dry run: nothing was changed.")
    assert counts() == before
    assert not (EXAMPLE.parent / "example-complaints-rejected.csv").exists()
    run(EXAMPLE, "--dry-run", "--rejects", str(tmp_path / "would.csv"))
    assert len((tmp_path / "would.csv").read_text().splitlines()) == 15
    assert counts() == before


def test_an_interrupted_run_is_resumed_and_imports_each_row_once(landlords, tmp_path):
    out = run(EXAMPLE, "--limit", "50", "--rejects", str(tmp_path / "r.csv"))
    assert "Imported 50 complaints" in out and "Stopped at --limit" in out
    assert Complaint.objects.count() == 50
    out = run(EXAMPLE, "--rejects", str(tmp_path / "r.csv"))
    assert (
        "Imported 150 complaints from Civica CX (214 rows read; 50 already imported, skipped; 14 rejected)"
        in out
    )
    out = run(EXAMPLE, "--rejects", str(tmp_path / "r.csv"))
    assert "Imported 0 complaints" in out
    assert Complaint.objects.count() == 200
    assert Complaint.objects.values("source_reference").distinct().count() == 200


# -- deadlines from the policy -----------------------------------------------------------


def test_open_complaints_have_the_policys_deadlines_over_the_bank_holidays(landlords, tmp_path, settings):
    """Received Tuesday 23 December 2025 at 10:00 under the flagship policy (England): first contact
    within 24 working hours is Wednesday 24 December 10:00; the response within 10 working days
    skips Christmas Day, Boxing Day, the weekend and New Year's Day: Friday 9 January 2026."""
    settings.PUTRIGHT_POLICY = "flagship"
    run(write(tmp_path / "open.csv", GOOD[1:2] + GOOD[3:4]))
    t2 = Complaint.objects.get(source_reference="T-2")
    deadlines = {d.name: d for d in t2.deadlines.all()}
    assert deadlines["stage1.contact"].due_at == london("2025-12-24 10:00")
    assert deadlines["stage1.response"].due_at == london("2026-01-09 23:59:59")
    assert all(d.met_at is None and d.cancelled_at is None for d in deadlines.values())
    assert (t2.next_due_name, t2.next_due_at) == ("stage1.contact", london("2025-12-24 10:00"))
    rules = rules_for(t2)
    assert timing(t2.next_due_at, rules.calendar, london("2026-01-05 12:00")).due is Due.OVERDUE
    # Stage 2 asked for Monday 20 October 2025 (09:00): contact in 5 working days, the response in 20.
    t4 = Complaint.objects.get(source_reference="T-4")
    deadlines = {d.name: d for d in t4.deadlines.all()}
    assert deadlines["stage1.response"].met_at == london("2025-10-10 09:00")
    assert deadlines["stage2.contact"].met_at == london("2025-10-21 09:00")
    assert deadlines["stage2.response"].due_at == london("2025-11-17 23:59:59")
    assert (t4.next_due_name, t4.next_due_at) == ("stage2.response", london("2025-11-17 23:59:59"))
    assert calendar_for(rules.policy, t4.organisation).is_working_day(dt.date(2025, 11, 17))


# -- where an operator and a caseworker see it ---------------------------------------------


def test_the_case_page_the_list_and_the_api_show_it(landlords, tmp_path):
    from putright.accounts.tokens import create_token

    run(write(tmp_path / "two.csv", GOOD[1:2] + GOOD[5:6]))
    complaint, closed = (
        Complaint.objects.get(source_reference="T-2"),
        Complaint.objects.get(source_reference="T-6"),
    )
    manager = _user("rachel", Role.SENIOR_MANAGER, None, complaint.organisation)
    client = Client()
    client.force_login(manager)
    page = client.get(f"/work/complaints/{complaint.reference}/")
    assert page.status_code == 200
    assert (
        "Imported from" in page.content.decode() and "Civica CX, their reference T-2" in page.content.decode()
    )
    overdue = client.get("/work/complaints/", {"flags": "overdue"}).content.decode()
    assert complaint.reference in overdue and closed.reference not in overdue
    _, key = create_token(user=manager, name="test", created_by=None)
    reply = Client().get(
        f"/api/v1/complaints/{complaint.reference}", headers={"Authorization": f"Bearer {key}"}
    )
    assert reply.status_code == 200, reply.content
    assert (reply.json()["source_system"], reply.json()["source_reference"]) == ("Civica CX", "T-2")


# -- refusals -------------------------------------------------------------------------------


def test_a_mapping_with_an_unknown_key_is_refused_naming_it(landlords, tmp_path):
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        MAPPING.read_text().replace('received = "Date Received"', 'recieved = "Date Received"')
    )
    with pytest.raises(CommandError, match="unknown key recieved"):
        call_command("import", "complaints", str(EXAMPLE), "--mapping", str(mapping))
    assert Complaint.objects.count() == 0


def test_a_file_without_a_mapped_column_is_refused_naming_it(landlords, tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text("Ref,Date Received\nX-1,01/01/2025\n")
    with pytest.raises(CommandError, match="the file has no column 'Tenant Name'"):
        run(path)
    assert Complaint.objects.count() == 0


def test_a_windows_export_is_read_in_the_character_set_the_mapping_names(landlords, tmp_path):
    path = write(
        tmp_path / "utf8.csv",
        [("W-1", "01/04/2025", "Email", "Zoë Brown", "EH", "Charged £40 twice", "", "", "", "New")],
    )
    windows = tmp_path / "windows.csv"
    windows.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    with pytest.raises(CommandError, match=r'is not UTF-8 text .* encoding = "cp1252"'):
        run(windows)
    assert Complaint.objects.count() == 0
    mapping = tmp_path / "map.toml"
    mapping.write_text(MAPPING.read_text().replace('encoding = "utf-8"', 'encoding = "cp1252"'))
    call_command("import", "complaints", str(windows), "--mapping", str(mapping))
    complaint = Complaint.objects.get()
    assert (complaint.summary, complaint.customer.first_name) == ("Charged £40 twice", "Zoë")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stat_xact_user_tables is PostgreSQL's")
def test_each_imported_complaints_search_document_is_written_once(landlords, tmp_path):
    """Points are written before their complaints (``cases.bulk.write_order``): the search
    triggers build each complaint's document once, with its points' words in it."""
    already = search_writes()
    run(EXAMPLE, "--rejects", str(tmp_path / "rejected.csv"))
    assert tuple(after - before for after, before in zip(search_writes(), already, strict=True)) == (200, 0)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT document::text FROM {search_index.TABLE} ORDER BY complaint_id")  # noqa: S608
        before = cursor.fetchall()
        search_index.rebuild(connection)
        cursor.execute(f"SELECT document::text FROM {search_index.TABLE} ORDER BY complaint_id")  # noqa: S608
        assert cursor.fetchall() == before
