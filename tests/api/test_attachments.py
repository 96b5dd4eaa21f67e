"""Evidence files over HTTP: real PDFs and PNGs kept and given back; anything else refused, nothing kept."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest

from putright.cases.models import Attachment, Complaint, EventKind
from tests.api.helpers import Journey, is_problem, kinds, read
from tests.cases.helpers import at, snapshot

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-04 12:00"

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid PNG: signature, IHDR, one IDAT of grey pixels, IEND, each chunk with its CRC."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))  # filter 0, mid-grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


@pytest.fixture
def case(api, customer, frontline, officer, senior):
    """A complaint at stage 1, accepted by Olivia on Mon 2 March 2026."""
    return Journey(api, customer, frontline, officer, senior).until("accepted")


def download(client, url: str):
    with at(NOW):
        reply = client.get(url)
    assert reply.status_code == 200
    return reply, b"".join(reply.streaming_content)


def test_a_pdf_and_a_png_are_kept_listed_and_given_back(api, officer, case, media):
    olivia = api.as_(officer)
    image = png()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    ref = case["reference"]

    with at(NOW):
        first = olivia.upload(
            f"complaints/{ref}/attachments",
            name="Roof report.pdf",
            content=PDF,
            version=case["version"],
            description="The roofer's report",
        )
    assert first.status_code == 201, first.json()
    pdf = first.json()
    assert pdf["name"] == "Roof report.pdf"
    assert pdf["content_type"] == "application/pdf"
    assert pdf["size"] == len(PDF)
    assert pdf["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert pdf["description"] == "The roofer's report"
    assert pdf["uploaded_by"] == "Olivia Staff"
    assert pdf["download"] == f"/api/v1/complaints/{ref}/attachments/{pdf['id']}"

    version = read(olivia, ref, NOW)["version"]
    assert version == case["version"] + 1
    with at(NOW):
        second = olivia.upload(
            f"complaints/{ref}/attachments", name="ceiling.PNG", content=image, version=version
        )
    assert second.status_code == 201, second.json()
    picture = second.json()
    assert (picture["content_type"], picture["size"]) == ("image/png", len(image))

    with at(NOW):
        listed = olivia.get(f"complaints/{ref}/attachments")
    assert listed.status_code == 200
    assert [a["name"] for a in listed.json()] == ["Roof report.pdf", "ceiling.PNG"]
    assert listed.json() == read(olivia, ref, NOW)["attachments"]

    for item, content, content_type in ((pdf, PDF, "application/pdf"), (picture, image, "image/png")):
        reply, data = download(olivia, item["download"])
        assert data == content
        assert reply["Content-Type"] == content_type
        assert reply["Content-Disposition"] == f'attachment; filename="{item["name"]}"'
        assert reply["X-Content-Type-Options"] == "nosniff"

    assert len(stored_files(media)) == 2
    case_now = read(olivia, ref, NOW)
    assert kinds(case_now)[-2:] == [EventKind.EVIDENCE_ADDED, EventKind.EVIDENCE_ADDED]
    assert case_now["timeline"][-2]["summary"] == "Evidence added: Roof report.pdf"


def test_front_line_staff_may_add_evidence_and_a_manager_may_read_it(api, frontline, manager, case):
    with at(NOW):
        added = api.as_(frontline).upload(
            f"complaints/{case['reference']}/attachments",
            name="photo.png",
            content=png(),
            version=case["version"],
        )
    assert added.status_code == 201, added.json()
    _, data = download(api.as_(manager), added.json()["download"])
    assert data == png()


def test_an_attachment_of_another_complaint_is_not_found(api, officer, case, customer, frontline):
    olivia = api.as_(officer)
    with at(NOW):
        added = olivia.upload(
            f"complaints/{case['reference']}/attachments", name="a.pdf", content=PDF, version=case["version"]
        ).json()
    other = Journey(api, customer, frontline, officer, officer).until("received")
    with at(NOW):
        reply = olivia.get(f"complaints/{other['reference']}/attachments/{added['id']}")
        missing = olivia.get(f"complaints/{case['reference']}/attachments/999999")
    is_problem(reply, 404, "not-found")
    is_problem(missing, 404, "not-found")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("huge.pdf", PDF + b"%" * 2048, "larger than the limit"),
        ("scan.pdf", png(), "is not what its name says: its content is image/png, not pdf"),
        ("invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "is not a PDF, PNG"),
        ("empty.pdf", b"", "is empty"),
        ("notes.exe", b"plain words", "is not what its name says"),
    ],
)
def test_a_file_that_is_not_what_it_says_or_too_big_is_refused_and_nothing_is_kept(
    api, officer, case, media, settings, name, content, message
):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 1024
    before = snapshot(Complaint.objects.get(reference=case["reference"]))

    with at(NOW):
        reply = api.as_(officer).upload(
            f"complaints/{case['reference']}/attachments", name=name, content=content, version=case["version"]
        )

    body = is_problem(reply, 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["file"]
    assert message in body["errors"][0]["message"]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    assert snapshot(Complaint.objects.get(reference=case["reference"])) == before


def test_a_file_sent_with_an_old_version_is_409_and_nothing_is_kept(api, officer, case, media):
    before = snapshot(Complaint.objects.get(reference=case["reference"]))
    with at(NOW):
        reply = api.as_(officer).upload(
            f"complaints/{case['reference']}/attachments",
            name="a.pdf",
            content=PDF,
            version=case["version"] - 1,
        )
    assert is_problem(reply, 409, "stale-version")["current_version"] == case["version"]
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    assert snapshot(Complaint.objects.get(reference=case["reference"])) == before


def test_a_file_on_a_finished_complaint_is_409_and_nothing_is_kept(api, officer, frontline, case, media):
    with at(NOW):
        withdrawn = (
            api.as_(frontline)
            .post(f"complaints/{case['reference']}/withdraw", {"version": case["version"]})
            .json()
        )
        reply = api.as_(officer).upload(
            f"complaints/{case['reference']}/attachments",
            name="a.pdf",
            content=PDF,
            version=withdrawn["version"],
        )
    assert is_problem(reply, 409, "step-not-allowed")["step"] == "add_evidence"
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []


def test_an_upload_without_a_file_or_version_is_422_naming_them(api, officer, case):
    olivia = api.as_(officer)
    with at(NOW):
        reply = olivia.client.post(
            f"/api/v1/complaints/{case['reference']}/attachments",
            {"description": "nothing attached"},
            headers={"Authorization": f"Bearer {olivia.key}"},
        )
    assert sorted(e["field"] for e in is_problem(reply, 422, "invalid")["errors"]) == ["file", "version"]


def test_the_same_upload_with_the_same_key_is_kept_once(api, officer, case, media):
    olivia = api.as_(officer)
    replies = []
    for _ in range(2):
        with at(NOW):
            replies.append(
                olivia.upload(
                    f"complaints/{case['reference']}/attachments",
                    name="a.pdf",
                    content=PDF,
                    version=case["version"],
                    idempotency_key="upload-1",
                )
            )
    assert [r.status_code for r in replies] == [201, 201]
    assert replies[0].json() == replies[1].json()
    assert Attachment.objects.count() == 1
    assert len(stored_files(media)) == 1

    # The same key with another file is refused.
    with at(NOW):
        other = olivia.upload(
            f"complaints/{case['reference']}/attachments",
            name="a.pdf",
            content=PDF + b"\n",
            version=case["version"],
            idempotency_key="upload-1",
        )
    is_problem(other, 422, "idempotency-key-reused")
    assert Attachment.objects.count() == 1


def test_an_oversized_request_is_refused_before_it_is_read(api, officer, settings, case):
    settings.PUTRIGHT_MAX_REQUEST_BYTES = 4096
    reply = api.as_(officer).post(
        f"/api/v1/complaints/{case['reference']}/contacts",
        {"version": 1, "method": "phone", "summary": "x" * 8000},
    )
    assert reply.status_code == 413
    assert reply["Content-Type"] == "application/problem+json"
    assert reply.json()["detail"].endswith("the most accepted is 4096.")
