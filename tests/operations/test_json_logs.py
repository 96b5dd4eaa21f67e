"""PUTRIGHT_LOG_FORMAT=json: every line a JSON object a log collector can search, nothing secret in it."""

from __future__ import annotations

import io
import json
import logging

import pytest

from putright.operations.logs import JsonFormatter, RequestContextFilter
from tests.operations.observe_helpers import run_putright


def test_with_json_format_every_line_is_an_object_with_the_request_and_no_secrets(tmp_path):
    done = run_putright(
        tmp_path,
        """
client.get(
    "/ready?token=query-secret",
    HTTP_AUTHORIZATION="Bearer header-secret",
    HTTP_COOKIE="sessionid=cookie-secret",
)
client.get("/no-such-page?password=form-secret")
logging.getLogger("putright.somewhere").warning("A thing to look at", extra={"password": "extra-secret"})
""",
        env={"PUTRIGHT_LOG_FORMAT": "json"},
    )
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line parses
    for record in records:
        assert {"time", "level", "logger", "message"} <= record.keys()
    assert "secret" not in done.stderr

    requests = [r for r in records if r["logger"] == "putright.request"]
    ready, missing = requests
    assert ready["level"] == "INFO"
    assert (ready["method"], ready["path"], ready["status"], ready["view"]) == ("GET", "/ready", 503, "ready")
    assert isinstance(ready["duration_ms"], float)
    assert ready["user_id"] is None
    assert (missing["path"], missing["status"], missing["view"]) == ("/no-such-page", 404, "unresolved")

    # Django's own warning about the 404 carries the request's fields too (and not the request's repr).
    [not_found] = [r for r in records if r["logger"] == "django.request" and r["status"] == 404]
    assert not_found["level"] == "WARNING"
    assert (not_found["path"], not_found["status"], not_found["method"]) == ("/no-such-page", 404, "GET")
    assert "request" not in not_found

    [elsewhere] = [r for r in records if r["logger"] == "putright.somewhere"]
    assert elsewhere["message"] == "A thing to look at"
    assert "path" not in elsewhere  # logged outside any request


def test_text_format_stays_the_plain_lines_of_before(tmp_path):
    done = run_putright(
        tmp_path,
        'logging.getLogger("putright.somewhere").warning("A thing to look at")\nclient.get("/ready")\n',
    )
    assert done.stderr.splitlines() == ["A thing to look at", "Service Unavailable: /ready"]


def test_an_unknown_log_format_is_refused_by_name(tmp_path):
    with pytest.raises(AssertionError, match="PUTRIGHT_LOG_FORMAT must be text or json"):
        run_putright(tmp_path, "", env={"PUTRIGHT_LOG_FORMAT": "xml"})


@pytest.mark.django_db
def test_the_request_line_names_the_signed_in_user_by_id(client, officer):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("putright.request")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.force_login(officer)
        assert client.get("/work/").status_code == 200
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    [line] = stream.getvalue().splitlines()
    record = json.loads(line)
    assert (record["path"], record["status"], record["user_id"]) == ("/work/", 200, officer.pk)
    assert client.cookies["sessionid"].value not in line
