"""Subject access (issue 15, sar): the zip a customer is given, read back as they would read it.

The case is made through the real services: complaints logged, a letter sent (its PDF stored and
its email queued), a file the customer sent, and an internal note that names a colleague below
the disclosed grade and another customer, with her email address and phone number. The export
is opened with zipfile, its JSON parsed, its letter read with pypdf; the staff page and the
command make the same zip, and each records the export on every case, naming who made it.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import triage
from putright.cases.services.customers import create_customer
from putright.cases.services.evidence import attach
from putright.cases.services.notes import add_note
from putright.cases.services.vulnerabilities import record_vulnerability, withdraw_consent
from putright.reports.subject_access import build_export, find_customers, make_export
from tests.conftest import _user, complaint_logger
from tests.web.comms_helpers import send

NOTE = "Spoke to Grace Hopper next door (grace@example.net, 07700 900123); Olivia Staff will call back."
PHOTO = b"A photo of the damp, as text for the test.\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def neighbour(org):
    return create_customer(
        organisation=org,
        first_name="Grace",
        last_name="Hopper",
        email="grace@example.net",
        phone="07700 900123",
    )


@pytest.fixture
def case(log, officer, frontline, neighbour):
    """A complaint with a letter sent, a file from the customer and a note naming third parties."""
    complaint = log("2026-03-02 10:00")
    complaint = triage.accept(complaint, owner=officer, actor=frontline, reasoning="Meets the definition.")
    send(complaint, frontline)
    attach(complaint, name="damp.txt", content=PHOTO, actor=None, on_behalf_of="Ada Lovelace")
    add_note(complaint, text=NOTE, actor=officer)
    return complaint


def _zip(customer, actor) -> zipfile.ZipFile:
    out = io.BytesIO()
    make_export(customer, out, actor=actor)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_the_zip_holds_the_record_readably_and_as_json(case, customer, senior, log):
    second = log("2026-04-01 09:00", points=["Nobody came"])
    archive = _zip(customer, senior)
    names = set(archive.namelist())
    ref = case.reference
    assert {"README.txt", "customer.json", f"complaints/{ref}/summary.html"} <= names
    assert f"complaints/{second.reference}/summary.html" in names

    document = json.loads(archive.read("customer.json"))
    assert [c["reference"] for c in document["complaints"]] == [ref, second.reference]
    assert document["customer"]["email"] == "ada@example.org"
    first = document["complaints"][0]
    assert [p["summary"] for p in first["points"]] == ["The repair was not done", "Nobody called back"]
    assert {"Complaint logged", "Accepted at stage 1", "Letter sent", "Evidence added"} <= {
        e["what"] for e in first["timeline"]
    }
    assert first["deadlines"] and first["emails"] and first["emails"][0]["sent_to_the_customer"]

    summary = archive.read(f"complaints/{ref}/summary.html").decode()
    assert ref in summary and "Complaint logged" in summary and "Leaking roof not repaired" in summary
    assert "http" not in summary.lower().replace("http-equiv", "")  # self-contained: nothing fetched

    letter_path = first["letters"][0]["file_in_export"]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read(letter_path))).pages)
    assert ref in text and "Lovelace" in text

    (upload,) = first["files"]
    assert archive.read(upload["file_in_export"]) == PHOTO
    readme = archive.read("README.txt").decode()
    assert "Sam Staff" in readme and ref in readme and second.reference in readme


def test_third_parties_are_redacted_and_each_redaction_listed(case, customer, senior, officer):
    archive = _zip(customer, senior)
    raw = archive.read("customer.json").decode()
    document = json.loads(raw)
    note = document["complaints"][0]["notes"][0]
    assert note["text"] == (
        "Spoke to [redacted: another customer's name] next door ([redacted: another customer's email "
        "address], [redacted: another customer's phone number]); [redacted: staff name, Resolution Officer] "
        "will call back."
    )
    assert note["author"] == "Resolution Officer"  # below the grade: the role, not the name
    summary = archive.read(f"complaints/{case.reference}/summary.html").decode()
    readme = archive.read("README.txt").decode()
    for withheld in ("Grace Hopper", "grace@example.net", "07700 900123"):
        assert withheld not in raw and withheld not in summary
    reasons = {r["reason"] for r in document["redactions"]}
    assert {
        "another customer's name",
        "another customer's email address",
        "another customer's phone number",
        "staff name, Resolution Officer",
    } <= reasons
    assert "another customer's phone number" in readme and f"{case.reference} internal note" in readme
    # a senior manager is named (the default grade); the customer's own details are not redacted
    exported = TimelineEvent.objects.get(complaint=case, kind=EventKind.SUBJECT_ACCESS_EXPORTED)
    assert exported.actor == senior and "Sam Staff" in raw and "ada@example.org" in raw


def test_the_grade_is_a_setting(case, customer, senior, settings):
    settings.PUTRIGHT_SAR_NAMED_ROLES = [Role.RESOLUTION_OFFICER]
    document = build_export(customer, actor=senior).document
    note = document["complaints"][0]["notes"][0]
    assert "Olivia Staff will call back" in note["text"] and note["author"] == "Olivia Staff"


def test_the_export_is_recorded_on_each_case_with_who_made_it(case, customer, senior, log):
    second = log("2026-04-01 09:00")
    _zip(customer, senior)
    for complaint in (case, second):
        (event,) = TimelineEvent.objects.filter(complaint=complaint, kind=EventKind.SUBJECT_ACCESS_EXPORTED)
        assert event.actor == senior and event.summary == "Subject access export made by Sam Staff"


def test_reading_takes_as_many_queries_for_five_complaints_as_for_one(org, frontline, officer, neighbour):
    def customer_with(n: int, first_name: str):
        person = create_customer(
            organisation=org, first_name=first_name, last_name="Tester", email=f"{first_name}@example.org"
        )
        log = complaint_logger(org, person, frontline)
        for day in range(1, n + 1):
            complaint = log(f"2026-03-0{day} 10:00")
            triage.accept(complaint, owner=officer, actor=frontline, reasoning="Meets the definition.")
            attach(complaint, name="a.txt", content=PHOTO, actor=None, on_behalf_of=first_name)
            add_note(complaint, text=NOTE, actor=officer)
        return person

    one, five = customer_with(1, "Una"), customer_with(5, "Quinn")
    counts = []
    for person in (one, five):
        with CaptureQueriesContext(connection) as queries:
            export = build_export(person, actor=None)
        counts.append(len(queries))
        assert len(export.complaints) in (1, 5)
    assert counts[0] == counts[1], counts


def test_customers_are_found_by_name_email_postcode_or_reference(case, customer, senior):
    for words in ("lovel", "Ada Lovelace", "ADA@example.org", "NR28 0NB", "nr280nb", case.reference.lower()):
        found = find_customers(senior, words)
        assert [(f.customer, f.complaints) for f in found] == [(customer, 1)], words
    assert find_customers(senior, "nobody-here") == []


def test_another_landlords_staff_find_nobody_and_cannot_export(client, case, customer):
    elsewhere = Organisation.objects.create(
        name="Elsewhere Homes", short_name="ELS", kind=OrganisationKind.LANDLORD, homes=10
    )
    stranger = _user("sue", Role.SENIOR_MANAGER, None, elsewhere)
    assert find_customers(stranger, "Lovelace") == []
    client.force_login(stranger)
    assert "0 customers found" in client.get("/work/subject-access/", {"q": case.reference}).content.decode()
    response = client.post(f"/work/subject-access/{customer.pk}/export")
    assert response.status_code == 404
    assert not TimelineEvent.objects.filter(kind=EventKind.SUBJECT_ACCESS_EXPORTED).exists()


def test_the_page_finds_and_downloads_for_a_senior_manager_only(client, case, customer, senior, officer):
    client.force_login(officer)
    assert client.get("/work/subject-access/?q=Lovelace").status_code == 403
    assert client.post(f"/work/subject-access/{customer.pk}/export").status_code == 403
    assert not TimelineEvent.objects.filter(kind=EventKind.SUBJECT_ACCESS_EXPORTED).exists()

    client.force_login(senior)
    page = client.get("/work/subject-access/", {"q": "lovelace"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Ada Lovelace" in text and "Make the export" in text and "1 customer found" in text
    assert client.get(f"/work/subject-access/{customer.pk}/export").status_code == 405
    response = client.post(f"/work/subject-access/{customer.pk}/export")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip" and response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert json.loads(archive.read("customer.json"))["complaints"][0]["reference"] == case.reference
    event = TimelineEvent.objects.get(complaint=case, kind=EventKind.SUBJECT_ACCESS_EXPORTED)
    assert event.actor == senior


def test_the_command_writes_the_zip_and_refuses_bad_input(case, customer, senior, tmp_path):
    out = tmp_path / "ada.zip"
    stdout = io.StringIO()
    call_command(
        "subject_access", "--reference", case.reference, "--out", str(out), "--actor", "sam", stdout=stdout
    )
    assert "1 complaints" in stdout.getvalue() and "redactions" in stdout.getvalue()
    with zipfile.ZipFile(out) as archive:
        assert json.loads(archive.read("customer.json"))["customer"]["last_name"] == "Lovelace"
    event = TimelineEvent.objects.get(complaint=case, kind=EventKind.SUBJECT_ACCESS_EXPORTED)
    assert event.actor == senior

    for args, words in (
        (["--reference", "NOPE-1", "--out", str(tmp_path / "x.zip")], "no customer matches"),
        (["--email", "ada@example.org", "--out", str(out)], "exists already"),
        (
            ["--customer-id", str(customer.pk), "--out", str(tmp_path / "y.zip"), "--actor", "nobody"],
            "no active",
        ),
    ):
        with pytest.raises(CommandError, match=words):
            call_command("subject_access", *args)
    assert not (tmp_path / "x.zip").exists() and not (tmp_path / "y.zip").exists()
    assert TimelineEvent.objects.filter(kind=EventKind.SUBJECT_ACCESS_EXPORTED).count() == 1


# issue 15, vuln: the customer's own disclosed vulnerabilities are theirs to see


def _disclosed(customer, actor, kind, detail):
    return record_vulnerability(
        customer,
        kind=kind,
        detail=detail,
        support_needed="Large print letters",
        disclosed_on=timezone.localdate(),
        disclosed_via="phone",
        consent_given_at=timezone.now(),
        consent_how="Said yes on the phone",
        consent_to_share=True,
        review_on=timezone.localdate() + dt.timedelta(days=90),
        actor=actor,
    )


def test_the_customers_vulnerabilities_are_in_the_json_and_each_summary(case, customer, senior, officer):
    _disclosed(customer, officer, "sensory_impairment", "Partially sighted since 2019")
    withdrawn = _disclosed(customer, officer, "financial_hardship", "Lost her job in January")
    withdraw_consent(withdrawn, actor=officer)
    archive = _zip(customer, senior)
    document = json.loads(archive.read("customer.json"))
    held, gone = document["customer"]["vulnerabilities"]
    assert held["kind_words"] == "Sensory impairment (sight, hearing)"
    assert held["detail"] == "Partially sighted since 2019"
    assert held["support_needed"] == "Large print letters"
    assert held["consent_how"] == "Said yes on the phone" and held["consent_withdrawn_at"] is None
    assert held["recorded_by"] == "Resolution Officer"  # below the named grade, as elsewhere
    assert gone["kind"] == "financial_hardship" and gone["detail"] == "" and gone["consent_withdrawn_at"]
    summary = archive.read(f"complaints/{case.reference}/summary.html").decode()
    assert "Vulnerabilities you told us about" in summary
    assert "Partially sighted since 2019" in summary and "Lost her job" not in summary
    assert "You withdrew your consent on" in summary
    assert "disclosed vulnerabilities" in archive.read("README.txt").decode()
