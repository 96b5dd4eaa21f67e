"""How fast ``putright import complaints`` loads an export (issue 14), and the example export itself.

Writes a made-up export in the shape of ``deploy/import/example-complaints.csv`` (a "Civica
CX" style housing system's complaints report: UK dates, their words for methods and
statuses, the points in one column split by ";"), then imports it with the example mapping
and prints the rate. The organisations named in the file are created when missing.

    createdb -h 127.0.0.1 -U postgres putright_import
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_import
    .venv/bin/putright migrate
    .venv/bin/python benchmarks/import.py --rows 20000

    .venv/bin/python benchmarks/import.py --example deploy/import/example-complaints.csv

``--example`` only writes the shipped example (200 good rows and 14 bad ones, the same each
time); ``--csv FILE`` keeps the generated file.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "deploy" / "import" / "example-mapping.toml"
HEADER = [
    "Ref",
    "Date Received",
    "Method",
    "Tenant Name",
    "Email",
    "Phone",
    "Property Address",
    "Postcode",
    "Tenure",
    "Landlord",
    "Subject",
    "Complaint Details",
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
LANDLORDS = (("Eastward Homes", 60), ("North Coast Housing", 25), ("Broadland Homes", 15))
METHODS = (
    ("Phone call", 35),
    ("Email", 25),
    ("Web form", 25),
    ("Letter", 6),
    ("Face to face", 4),
    ("Social media", 3),
    ("Via MP/Councillor", 2),
)
FIRST = ("Jane", "Ahmed", "Priya", "Tom", "Grace", "Liam", "Sophie", "Daniel", "Olivia", "Mohammed", "Chloe")
LAST = ("Smith", "Khan", "Patel", "Jones", "Brown", "Taylor", "Wilson", "Evans", "Clarke", "Walker", "Wright")
STREETS = ("Mill Lane", "Church Road", "Station Road", "Victoria Street", "Orchard Close", "The Green")
TOWNS = (("Norwich", "NR3"), ("Ipswich", "IP4"), ("North Walsham", "NR28"), ("Great Yarmouth", "NR30"))
TOPICS = (
    ("Repair not done", "Repairs delay", "Boiler repair missed twice; No update from contractor"),
    ("Damp and mould", "Repairs delay", "Black mould in the bedroom; Survey not booked"),
    ("Rude operative", "Staff attitude", "Operative was rude on the phone"),
    ("Service charge", "Policy not followed", "Service charge rose without notice; Letter not explained"),
    ("Grounds maintenance", "Service quality", "Grass not cut all summer"),
    ("ASB not handled", "Policy not followed", "Noise reports not followed up; No call back"),
)
STATUSES = (  # (their status, stage, weight)
    ("New", "", 5),
    ("Open", "Stage 1", 10),
    ("Responded", "Stage 1", 6),
    ("Open", "Stage 2", 4),
    ("Responded", "Stage 2", 3),
    ("Closed - Upheld", "Stage 1", 20),
    ("Closed - Partially Upheld", "Stage 1", 14),
    ("Closed - Not Upheld", "Stage 1", 18),
    ("Closed - Upheld", "Stage 2", 4),
    ("Resolved at First Contact", "", 7),
    ("Not Accepted", "", 5),
    ("Withdrawn", "Stage 1", 4),
)
OUTCOMES = ("Upheld", "Partially Upheld", "Not Upheld")
#: Rows the importer must refuse, each for one reason (their line in the example is after the good rows).
BAD_ROWS = [
    {"Landlord": "Anglia Homes"},  # unknown organisation
    {"Date Received": "31/02/2026"},  # bad date
    {"Tenant Name": ""},  # missing required field
    {"Status": "On Hold"},  # a status the mapping does not know
    {"Method": "Carrier pigeon"},  # a method the mapping does not know
    {  # closed with no date closed
        "Date Received": "02/03/2026 10:00",
        "Stage": "Stage 1",
        "Status": "Closed - Upheld",
        "Date Acknowledged": "03/03/2026",
        "Date Responded": "10/03/2026",
        "Date Escalated": "",
        "Stage 2 Acknowledged": "",
        "Stage 2 Responded": "",
        "Date Closed": "",
    },
    {"Status": "Closed - Upheld", "Stage": "Stage 1", "Date Responded": "01/01/2024"},  # before received
    {"Status": "Open", "Stage": "Stage 2", "Date Escalated": ""},  # stage 2 never asked for
    {  # awaiting triage, yet answered
        "Status": "New",
        "Stage": "",
        "Date Acknowledged": "",
        "Date Responded": "20/06/2026",
        "Date Escalated": "",
        "Stage 2 Acknowledged": "",
        "Stage 2 Responded": "",
        "Date Closed": "",
    },
    {"Status": "Appeal Requested"},  # an appeal under way: entered by hand
    {"Date Received": "01/01/2099 10:00"},  # in the future
    {"Category": "Weather"},  # not a reason to complain
    {"Ref": "CX-100001"},  # the same reference as the first row
    {"Subject": "", "Issues": ""},  # nothing says what it is about
]


def rows(count: int, seed: int = 14, last: dt.date = dt.date(2026, 11, 27)) -> list[dict[str, str]]:
    """``count`` plausible rows received over the 20 months before ``last``, the same each time."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        received = dt.datetime.combine(
            last - dt.timedelta(days=rng.randrange(600)),
            dt.time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))),
        )
        status, stage, _ = rng.choices(STATUSES, [s[2] for s in STATUSES])[0]
        made.append(_row(rng, 100_001 + n, received, status, stage, last))
    return made


def _row(
    rng: random.Random, number: int, received: dt.datetime, status: str, stage: str, last: dt.date
) -> dict[str, str]:
    first, surname = rng.choice(FIRST), rng.choice(LAST)
    town, district = rng.choice(TOWNS)
    subject, category, issues = rng.choice(TOPICS)
    day = received.date()

    def after(start: dt.date, low: int, high: int) -> dt.date:
        return min(start + dt.timedelta(days=rng.randint(low, high)), last)

    ack = after(day, 0, 3) if stage else None
    responded = after(day, 5, 14) if status != "Open" or stage == "Stage 2" else None
    if status in ("Withdrawn",) or stage == "":
        responded = None
    escalated = after(responded, 3, 20) if stage == "Stage 2" and responded else None
    ack2 = after(escalated, 0, 3) if escalated else None
    responded2 = after(escalated, 10, 25) if escalated and status != "Open" else None
    closed = None
    if status.startswith("Closed"):
        closed = after(responded2 or responded or day, 0, 10)
    elif status in ("Resolved at First Contact", "Not Accepted"):
        closed, ack = after(day, 0, 2), None
    elif status == "Withdrawn":
        closed = after(day, 1, 5)
    outcome = rng.choice(OUTCOMES) if status == "Responded" else ""
    return {
        "Ref": f"CX-{number}",
        "Date Received": received.strftime("%d/%m/%Y %H:%M"),
        "Method": rng.choices([m for m, _ in METHODS], [w for _, w in METHODS])[0],
        "Tenant Name": f"{rng.choice(('Mrs ', 'Mr ', 'Ms ', ''))}{first} {surname}",
        "Email": f"{first}.{surname}{number}@example.com".lower() if rng.random() < 0.6 else "",
        "Phone": f"07700 900{rng.randrange(1000):03d}",
        "Property Address": f"{rng.randint(1, 99)} {rng.choice(STREETS)}, {town}",
        "Postcode": f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTUW')}",
        "Tenure": rng.choices(
            ("Secure tenant", "Assured tenant", "Leaseholder", "Shared owner"), (50, 35, 8, 7)
        )[0],
        "Landlord": rng.choices([name for name, _ in LANDLORDS], [w for _, w in LANDLORDS])[0],
        "Subject": subject,
        "Complaint Details": f"{subject}. {issues.replace('; ', '. ')}.",
        "Issues": issues,
        "Category": category,
        "Stage": stage,
        "Status": status,
        "Outcome": outcome,
        "Date Acknowledged": _uk(ack),
        "Date Responded": _uk(responded),
        "Date Escalated": _uk(escalated),
        "Stage 2 Acknowledged": _uk(ack2),
        "Stage 2 Responded": _uk(responded2),
        "Date Closed": _uk(closed),
    }


def _uk(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def example() -> list[dict[str, str]]:
    """The shipped example: 200 good rows, then one bad row for each reason."""
    good = rows(200)
    bad = []
    for n, change in enumerate(BAD_ROWS):
        row = dict(good[n])
        row["Ref"] = f"CX-{900_001 + n}"
        bad.append({**row, **change})
    return good + bad


def write(path: Path | io.TextIOBase, made: list[dict[str, str]]) -> None:
    handle = path.open("w", newline="", encoding="utf-8") if isinstance(path, Path) else path
    with handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(made)


def measure(count: int, keep: Path | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from putright.accounts.models import Organisation, OrganisationKind
    from putright.cases.bulk import database_cpu_seconds

    for name, _ in LANDLORDS:
        short = "".join(word[0] for word in name.split())
        Organisation.objects.get_or_create(
            name=name, defaults={"short_name": short, "kind": OrganisationKind.LANDLORD, "homes": 1000}
        )
    path = keep or Path(tempfile.mkdtemp()) / "complaints.csv"
    write(path, rows(count))
    print(f"{count:,} rows in {path}; importing into {connection.vendor} {connection.settings_dict['NAME']}")
    started, cpu, database = time.perf_counter(), time.process_time(), database_cpu_seconds()
    call_command("import", "complaints", str(path), "--mapping", str(MAPPING))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    database_now = database_cpu_seconds()
    used = (
        ""
        if database is None or database_now is None
        else f", {database_now - database:.1f} s of the database's"
    )
    print(
        f"{count / seconds:,.0f} complaints a second over the whole command ({seconds:.1f} s; "
        f"{cpu:.1f} s of this process's CPU{used}; the load average was {os.getloadavg()[0]:.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--csv", type=Path, help="keep the generated file here")
    parser.add_argument("--example", type=Path, help="only write the shipped example file here")
    options = parser.parse_args()
    if options.example:
        write(options.example, example())
        return
    sys.path.insert(0, str(ROOT))
    measure(options.rows, options.csv)


if __name__ == "__main__":
    main()
