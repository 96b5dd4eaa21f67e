"""Delivery through Microsoft 365's Graph API, against a real HTTP server on loopback playing
Microsoft's sign-in (the client-credentials grant) and Graph's sendMail; and through an email
provider's API (Postmark, by django-anymail) the same way."""

from __future__ import annotations

import base64
import datetime as dt
import urllib.parse

import pytest
import time_machine

from putright.cases.models import EventKind
from putright.comms.email import delivery, graph, outbox
from putright.comms.models import EmailStatus, OutboundEmail
from tests.comms.helpers import PDF, letter_email
from tests.comms.loopback_http import Answer, LoopbackHttp

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)
TENANT = "6f1c2d3e-tenant"
TOKEN_PATH = f"/{TENANT}/oauth2/v2.0/token"
SEND_PATH = "/v1.0/users/complaints%40victory.example/sendMail"


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def microsoft(settings):
    """Microsoft's sign-in and Graph on loopback, with the worker's delivery pointed at them."""
    server = LoopbackHttp().start()
    server.on(
        TOKEN_PATH, Answer.json(200, {"token_type": "Bearer", "expires_in": 3599, "access_token": "tok-1"})
    )
    server.on(SEND_PATH, Answer(202))
    settings.PUTRIGHT_DELIVERY_BACKEND = "putright.comms.email.graph.GraphBackend"
    settings.PUTRIGHT_EMAIL_PROVIDER = "graph"
    settings.PUTRIGHT_GRAPH_TENANT_ID = TENANT
    settings.PUTRIGHT_GRAPH_CLIENT_ID = "client-123"
    settings.PUTRIGHT_GRAPH_CLIENT_SECRET = "s3cret~value"
    settings.PUTRIGHT_GRAPH_SENDER = ""
    settings.PUTRIGHT_GRAPH_SAVE_TO_SENT_ITEMS = True
    settings.PUTRIGHT_GRAPH_AUTHORITY = server.url
    settings.PUTRIGHT_GRAPH_URL = f"{server.url}/v1.0"
    graph.forget_tokens()
    try:
        yield server
    finally:
        graph.forget_tokens()
        server.stop()


def queued(complaint=None, **kwargs) -> OutboundEmail:
    return outbox.queue(letter_email(**kwargs), purpose="letter", complaint=complaint)


def test_a_letter_goes_to_graphs_send_mail_with_its_html_and_its_pdf(microsoft, clock):
    email = queued(cc="Rep Smith <rep@example.org>")
    assert delivery.deliver_due() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}

    [token] = microsoft.to(TOKEN_PATH)
    form = urllib.parse.parse_qs(token.body.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["client-123"],
        "client_secret": ["s3cret~value"],
        "scope": ["https://graph.microsoft.com/.default"],
    }
    [sent] = microsoft.to(SEND_PATH)
    assert sent.headers["authorization"] == "Bearer tok-1"
    assert sent.headers["content-type"] == "application/json"
    request = sent.json()
    assert request["saveToSentItems"] is True
    message = request["message"]
    assert message["subject"] == "Your complaint PR-123456: our response"
    assert message["body"] == {
        "contentType": "HTML",
        "content": "<p>Dear Ada,</p><p>Our response is <b>attached</b>.</p>",
    }
    assert message["toRecipients"] == [{"emailAddress": {"address": "ada@example.org"}}]
    assert message["ccRecipients"] == [{"emailAddress": {"address": "rep@example.org", "name": "Rep Smith"}}]
    assert message["internetMessageId"] == email.message_id
    assert "from" not in message  # the mailbox in the address is the sender
    [pdf] = message["attachments"]
    assert pdf["@odata.type"] == "#microsoft.graph.fileAttachment"
    assert (pdf["name"], pdf["contentType"]) == ("stage-1-response.pdf", "application/pdf")
    assert base64.b64decode(pdf["contentBytes"]) == PDF

    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 1, "")


def test_a_message_without_html_is_sent_as_text_from_the_mailbox_named_in_settings(
    microsoft, clock, settings
):
    settings.PUTRIGHT_GRAPH_SENDER = "complaints@victory.example"
    message = letter_email(pdf=False)
    message.alternatives = []
    message.from_email = "Victory Homes <noreply@victory.example>"
    outbox.queue(message, purpose="other")
    assert delivery.deliver_due()["sent"] == 1
    [sent] = microsoft.to(SEND_PATH)
    graph_message = sent.json()["message"]
    assert graph_message["body"] == {
        "contentType": "Text",
        "content": "Dear Ada,\n\nOur response is attached.\n",
    }
    assert graph_message["from"] == {
        "emailAddress": {"address": "noreply@victory.example", "name": "Victory Homes"}
    }
    assert graph_message["attachments"] == []


def test_the_token_is_fetched_once_for_two_messages_and_again_once_it_is_near_expiry(microsoft, clock):
    queued()
    queued(to="bo@example.org")
    assert delivery.deliver_due()["sent"] == 2
    assert len(microsoft.to(TOKEN_PATH)) == 1
    assert [r.headers["authorization"] for r in microsoft.to(SEND_PATH)] == ["Bearer tok-1"] * 2

    microsoft.on(TOKEN_PATH, Answer.json(200, {"expires_in": 3599, "access_token": "tok-2"}))
    clock.shift(dt.timedelta(seconds=3599 - graph.RENEW_BEFORE + 1))  # renewed before it lapses
    queued(to="cy@example.org")
    assert delivery.deliver_due()["sent"] == 1
    assert len(microsoft.to(TOKEN_PATH)) == 2
    assert microsoft.to(SEND_PATH)[-1].headers["authorization"] == "Bearer tok-2"


def test_a_graph_error_leaves_the_message_for_retry_and_at_the_last_try_it_fails_on_the_case(
    microsoft, clock, log, settings
):
    settings.PUTRIGHT_EMAIL_ATTEMPTS = 3
    complaint = log("2027-03-18 09:00")
    email = queued(complaint=complaint)
    error = {"error": {"code": "ErrorInternalServerError", "message": "Something went wrong."}}
    microsoft.on(SEND_PATH, Answer.json(500, error))

    assert delivery.deliver_one(email.pk) == "retry"
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "Microsoft Graph answered 500: ErrorInternalServerError: Something went wrong." in email.last_error
    assert START + dt.timedelta(minutes=1) <= email.next_attempt_at <= START + dt.timedelta(seconds=66)

    outcomes = []
    for _ in range(2):
        clock.shift(dt.timedelta(hours=1, minutes=10))
        outcomes.append(delivery.deliver_one(email.pk))
    assert outcomes == ["retry", "failed"]
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == 3
    [event] = complaint.timeline.filter(kind=EventKind.EMAIL_FAILED)
    assert "after 3 tries" in event.summary and "Microsoft Graph answered 500" in event.summary

    microsoft.on(SEND_PATH, Answer(202))  # Graph is back: a failed message is not sent by itself
    clock.shift(dt.timedelta(hours=2))
    assert delivery.deliver_due()["sent"] == 0


def test_too_many_requests_waits_as_long_as_graph_asks_then_sends(microsoft, clock):
    email = queued()
    microsoft.next(
        SEND_PATH, Answer.json(429, {"error": {"code": "TooManyRequests"}}, **{"Retry-After": "600"})
    )

    assert delivery.deliver_due()["retry"] == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and "429" in email.last_error
    assert email.next_attempt_at >= START + dt.timedelta(minutes=10)  # not the one-minute backoff

    clock.shift(dt.timedelta(minutes=5))
    assert delivery.deliver_due()["sent"] == 0  # still inside the wait Graph asked for
    clock.shift(dt.timedelta(minutes=6))
    assert delivery.deliver_due()["sent"] == 1
    assert len(microsoft.to(SEND_PATH)) == 2


def test_a_refused_secret_is_kept_as_the_error_and_the_token_is_asked_for_again(microsoft, clock):
    email = queued()
    refused = {
        "error": "invalid_client",
        "error_description": "AADSTS7000215: Invalid client secret provided.",
    }
    microsoft.next(TOKEN_PATH, Answer.json(401, refused))
    assert delivery.deliver_due()["retry"] == 1
    email.refresh_from_db()
    assert "Microsoft's sign-in answered 401: invalid_client: AADSTS7000215" in email.last_error
    assert "s3cret" not in email.last_error
    assert microsoft.to(SEND_PATH) == []

    clock.shift(dt.timedelta(minutes=2))
    assert delivery.deliver_due()["sent"] == 1
    assert len(microsoft.to(TOKEN_PATH)) == 2


def test_a_token_graph_no_longer_accepts_is_dropped_so_the_next_try_signs_in_again(microsoft, clock):
    email = queued()
    microsoft.next(SEND_PATH, Answer.json(401, {"error": {"code": "InvalidAuthenticationToken"}}))
    assert delivery.deliver_due()["retry"] == 1
    clock.shift(dt.timedelta(minutes=2))
    assert delivery.deliver_due()["sent"] == 1
    assert len(microsoft.to(TOKEN_PATH)) == 2
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


# An email provider's API through django-anymail: Postmark's, on loopback.


@pytest.fixture
def postmark(settings):
    server = LoopbackHttp().start()
    server.on(
        "/email",
        Answer.json(200, {"ErrorCode": 0, "Message": "OK", "MessageID": "pm-1", "To": "ada@example.org"}),
    )
    settings.PUTRIGHT_EMAIL_PROVIDER = "postmark"
    settings.PUTRIGHT_DELIVERY_BACKEND = "anymail.backends.postmark.EmailBackend"
    settings.ANYMAIL = {"POSTMARK_SERVER_TOKEN": "pm-token", "POSTMARK_API_URL": f"{server.url}/"}
    try:
        yield server
    finally:
        server.stop()


def test_through_postmarks_api_a_letter_arrives_with_its_pdf(postmark, clock):
    email = queued()
    assert delivery.deliver_due()["sent"] == 1
    [sent] = postmark.to("/email")
    assert sent.headers["x-postmark-server-token"] == "pm-token"
    payload = sent.json()
    assert payload["From"] == "complaints@victory.example"
    assert payload["To"] == "ada@example.org"
    assert payload["Subject"] == "Your complaint PR-123456: our response"
    assert payload["TextBody"] == "Dear Ada,\n\nOur response is attached.\n"
    assert "Our response is <b>attached</b>." in payload["HtmlBody"]
    [pdf] = payload["Attachments"]
    assert (pdf["Name"], pdf["ContentType"]) == ("stage-1-response.pdf", "application/pdf")
    assert base64.b64decode(pdf["Content"]) == PDF
    assert {"Name": "Message-ID", "Value": email.message_id} in payload["Headers"]
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT


def test_a_provider_that_is_rate_limiting_is_retried_after_the_wait_it_asks_for(postmark, clock):
    email = queued()
    postmark.next(
        "/email", Answer.json(429, {"ErrorCode": 429, "Message": "Rate limit"}, **{"Retry-After": "300"})
    )
    assert delivery.deliver_due()["retry"] == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and "429" in email.last_error
    assert email.next_attempt_at >= START + dt.timedelta(minutes=5)
    clock.shift(dt.timedelta(minutes=6))
    assert delivery.deliver_due()["sent"] == 1
