"""Issue 15, inputsec: a body that cannot be read is the caller's mistake, a 4xx, on every endpoint.

Every write of the API, read from its own OpenAPI document (a new endpoint is in the walk at
once), is sent each kind of broken body once, by a signed-in member of staff with a token:
malformed JSON, a wrong content type, a multipart form without its boundary, and a body over
the size limit. Each must answer a 4xx problem, never a 500. Path parameters are filled with
values that name nothing: django-ninja reads the body before the view looks anything up.
"""

from __future__ import annotations

import re
import uuid

import pytest

from putright.api.main import api as putright_api

pytestmark = pytest.mark.django_db

LIMIT = 4096

KINDS = {
    "malformed JSON": ("application/json", b'{"summary": "Roof", '),
    "wrong content type": ("text/plain", b"summary=Roof"),
    "multipart without boundary": ("multipart/form-data", b"--x\r\nContent-Disposition: form-data\r\n\r\nhi"),
    "oversized body": ("application/json", b'{"description": "' + b"x" * (LIMIT + 10) + b'"}'),
}
FILL = {"reference": "PR-ZZZZZZ", "table": "complaints", "name": "nothing", "slug": "nothing"}


def writes() -> list[tuple[str, str]]:
    schema = putright_api.get_openapi_schema()
    found = []
    for path, operations in schema["paths"].items():
        for method in operations:
            if method in {"post", "put", "patch", "delete"}:
                found.append((method, path))
    return sorted(found)


WRITES = writes()


def filled(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return FILL.get(name, "999999" if name.endswith(("id", "number")) else "nothing")

    return re.sub(r"\{(\w+)\}", value, path)


def test_the_walk_finds_the_writes_including_evidence():
    assert len(WRITES) > 20
    assert any("evidence" in path or "attachments" in path for _, path in WRITES)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_write_answers_a_broken_body_with_a_4xx_problem(api, officer, settings, kind):
    settings.PUTRIGHT_MAX_REQUEST_BYTES = LIMIT
    content_type, body = KINDS[kind]
    client = api.as_(officer)
    answers = {}
    for method, path in WRITES:
        reply = client.client.generic(
            method.upper(),
            filled(path),
            body,
            content_type=content_type,
            headers={"Authorization": f"Bearer {client.key}", "Idempotency-Key": str(uuid.uuid4())},
        )
        answers[f"{method.upper()} {path}"] = reply.status_code
        if reply.status_code >= 400:
            assert reply["Content-Type"] == "application/problem+json", (method, path, reply.content[:200])
    wrong = {op: status for op, status in answers.items() if not 400 <= status < 500}
    assert wrong == {}, f"{kind}: not a 4xx"


def test_evidence_sent_as_multipart_without_a_boundary_is_a_400_saying_so(api, officer, frontline, customer):
    from tests.api.helpers import log_complaint

    client = api.as_(officer)
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 09:00", now="Mon 2026-03-02 10:00")
    evidence = next(p for m, p in WRITES if m == "post" and ("evidence" in p or "attachments" in p))
    reply = client.client.post(
        evidence.replace("{reference}", case["reference"]),
        b"--x\r\nContent-Disposition: form-data; name=file\r\n\r\nhi",
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {client.key}", "Idempotency-Key": str(uuid.uuid4())},
    )
    assert reply.status_code == 400, reply.content
    assert "boundary" in reply.json()["detail"]
