"""Delivery through Microsoft 365's Graph API, for landlords whose tenant no longer takes password SMTP.

Microsoft is switching basic-auth SMTP off; what replaces it for a service is an
app registration with the ``Mail.Send`` application permission (limited to the
sending mailbox by an ApplicationAccessPolicy). This backend gets an app-only
token with the client-credentials grant and posts each message to
``/users/{mailbox}/sendMail``.

Plain HTTP from the standard library: the two calls need nothing more, and a
token library (msal) would bring a cryptography stack for one form post.

The token is kept, per tenant and application, until shortly before it
expires, so a run of messages asks for it once. Any refusal raises
``MailServiceRefused`` so the worker's retry logic (``delivery``) keeps the
message and says why; a 429 or 503 carries the service's Retry-After, which the
worker waits for before trying again.

Settings: PUTRIGHT_GRAPH_TENANT_ID, PUTRIGHT_GRAPH_CLIENT_ID,
PUTRIGHT_GRAPH_CLIENT_SECRET, PUTRIGHT_GRAPH_SENDER (the mailbox; the message's
From address when unset), PUTRIGHT_GRAPH_SAVE_TO_SENT_ITEMS, and the two base
addresses PUTRIGHT_GRAPH_AUTHORITY and PUTRIGHT_GRAPH_URL (national clouds, tests).
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

#: The permission set asked for: whatever the app registration was granted on Graph.
SCOPE = "https://graph.microsoft.com/.default"
#: A token is renewed this long before Microsoft says it expires, so none lapses mid-request.
RENEW_BEFORE = 300
#: Seconds to wait for Microsoft before the try counts as failed (the worker retries).
TIMEOUT = 30


class MailServiceRefused(Exception):
    """The mail service answered with an error; ``retry_after`` is how long it asked us to wait."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: dt.timedelta | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


@dataclass
class _Token:
    value: str
    renew_at: float


_tokens: dict[tuple[str, str, str], _Token] = {}
_tokens_lock = threading.Lock()


def forget_tokens() -> None:
    """Drop every cached token (a 401 from Graph, or a test starting afresh)."""
    with _tokens_lock:
        _tokens.clear()


class GraphBackend(BaseEmailBackend):
    """Django's mail backend for the worker's delivery: one sendMail request per message."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                send(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent


def send(message: EmailMessage) -> None:
    """Post ``message`` to the mailbox's sendMail; raises MailServiceRefused unless Graph accepts it."""
    mailbox = settings.PUTRIGHT_GRAPH_SENDER or email.utils.parseaddr(message.from_email)[1]
    url = f"{settings.PUTRIGHT_GRAPH_URL}/users/{urllib.parse.quote(mailbox)}/sendMail"
    body = json.dumps(
        {
            "message": graph_message(message, mailbox),
            "saveToSentItems": settings.PUTRIGHT_GRAPH_SAVE_TO_SENT_ITEMS,
        }
    ).encode()
    token = access_token()
    try:
        _post(url, body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    except MailServiceRefused as refused:
        if refused.status == 401:
            forget_tokens()  # revoked or expired early: the next try asks for a new one
        raise


def graph_message(message: EmailMessage, mailbox: str) -> dict[str, Any]:
    """The Graph ``message`` resource for ``message``: one body (the HTML when there is one)."""
    html = next((c for c, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), None)
    sender = email.utils.parseaddr(message.from_email)
    result: dict[str, Any] = {
        "subject": str(message.subject),
        "body": {"contentType": "HTML", "content": str(html)}
        if html is not None
        else {"contentType": "Text", "content": str(message.body or "")},
        "toRecipients": _recipients(message.to),
        "ccRecipients": _recipients(message.cc),
        "bccRecipients": _recipients(message.bcc),
        "replyTo": _recipients(message.reply_to),
        "attachments": [_attachment(a) for a in message.attachments],
    }
    if sender[1] and sender[1].lower() != mailbox.lower():
        # Sending as another address (a shared mailbox) needs Send As on it; Graph says so if not.
        result["from"] = _recipient(message.from_email)
    headers = message.extra_headers
    message_id = next((v for k, v in headers.items() if k.lower() == "message-id"), None)
    if message_id:
        # Fixed when the message was queued, so a second copy is the same message to the recipient.
        result["internetMessageId"] = str(message_id)
    custom = [{"name": k, "value": str(v)} for k, v in headers.items() if k.lower().startswith("x-")]
    if custom:
        result["internetMessageHeaders"] = custom  # Graph takes only X- headers
    return result


def _recipients(addresses: Sequence[str]) -> list[dict[str, Any]]:
    return [_recipient(address) for address in addresses]


def _recipient(address: str) -> dict[str, Any]:
    name, addr = email.utils.parseaddr(address)
    entry: dict[str, str] = {"address": addr or address}
    if name:
        entry["name"] = name
    return {"emailAddress": entry}


def _attachment(attachment: Any) -> dict[str, Any]:
    if not isinstance(attachment, tuple):
        raise ValueError("Graph delivery takes attachments as (name, content, mimetype), not MIME parts")
    name, content, mimetype = attachment
    data = content.encode() if isinstance(content, str) else bytes(content)
    return {
        "@odata.type": "#microsoft.graph.fileAttachment",
        "name": name or "attachment",
        "contentType": mimetype or "application/octet-stream",
        "contentBytes": base64.b64encode(data).decode("ascii"),
    }


def access_token() -> str:
    """An app-only token for Graph: the cached one, or a new one by the client-credentials grant."""
    key = (
        settings.PUTRIGHT_GRAPH_AUTHORITY,
        settings.PUTRIGHT_GRAPH_TENANT_ID,
        settings.PUTRIGHT_GRAPH_CLIENT_ID,
    )
    with _tokens_lock:
        cached = _tokens.get(key)
        if cached is not None and time.time() < cached.renew_at:
            return cached.value
        token = _fetch_token()
        _tokens[key] = token
        return token.value


def _fetch_token() -> _Token:
    tenant = urllib.parse.quote(settings.PUTRIGHT_GRAPH_TENANT_ID)
    url = f"{settings.PUTRIGHT_GRAPH_AUTHORITY}/{tenant}/oauth2/v2.0/token"
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.PUTRIGHT_GRAPH_CLIENT_ID,
            "client_secret": settings.PUTRIGHT_GRAPH_CLIENT_SECRET,
            "scope": SCOPE,
        }
    ).encode()
    answer = json.loads(_post(url, form, {"Content-Type": "application/x-www-form-urlencoded"}) or b"{}")
    if "access_token" not in answer:
        raise MailServiceRefused("Microsoft's sign-in gave no access token")
    lifetime = int(answer.get("expires_in", 3599))
    return _Token(answer["access_token"], time.time() + max(lifetime - RENEW_BEFORE, lifetime // 2))


def _post(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    """POST and return the response body; any HTTP error or unreachable server is MailServiceRefused."""
    if urllib.parse.urlsplit(url).scheme not in {"https", "http"}:
        raise ValueError(f"Graph addresses must be http(s): {url}")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # nosec B310 # noqa: S310 (checked above)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # nosec B310 # noqa: S310 (checked above)
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise MailServiceRefused(
            f"{_where(url)} answered {error.code}: {_explained(error.read())}",
            status=error.code,
            retry_after=retry_after(error.headers.get("Retry-After")),
        ) from None
    except (urllib.error.URLError, TimeoutError) as error:
        reason = getattr(error, "reason", error)
        raise MailServiceRefused(f"{_where(url)} could not be reached: {reason}") from None


def _where(url: str) -> str:
    return "Microsoft's sign-in" if "/oauth2/" in url else "Microsoft Graph"


def _explained(body: bytes) -> str:
    """Graph's and Entra's error text (never a secret: they echo no credentials)."""
    try:
        detail = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace")[:300] or "no detail"
    error = detail.get("error") if isinstance(detail, dict) else None
    if isinstance(error, dict):
        return f"{error.get('code', '')}: {error.get('message', '')}"
    if isinstance(error, str):
        return f"{error}: {detail.get('error_description', '')}"[:500]
    return str(detail)[:300]


def retry_after(value: str | None) -> dt.timedelta | None:
    """A Retry-After header (seconds or an HTTP date) as a wait, None when absent or unreadable."""
    if not value:
        return None
    if value.strip().isdigit():
        return dt.timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(when - dt.datetime.now(dt.UTC), dt.timedelta(0))
