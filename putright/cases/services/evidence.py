"""Evidence files on a complaint: checked for what they really are before they are kept.

A file is accepted when its content is a PDF, a PNG or JPEG image, or plain
text, when its name says the same, and when it is no larger than
``settings.PUTRIGHT_MAX_UPLOAD_BYTES``. Anything else is refused with a reason
and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.base import ContentFile

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Attachment, Complaint, EventKind
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq

#: Content type, the signature its bytes start with, and the name endings that say so.
KINDS: list[tuple[str, bytes, tuple[str, ...]]] = [
    ("application/pdf", b"%PDF-", (".pdf",)),
    ("image/png", b"\x89PNG\r\n\x1a\n", (".png",)),
    ("image/jpeg", b"\xff\xd8\xff", (".jpg", ".jpeg")),
]
TEXT = ("text/plain", (".txt",))


def allowed_types() -> str:
    return "PDF, PNG, JPEG or plain text"


def sniff(content: bytes) -> tuple[str, tuple[str, ...]] | None:
    """What the bytes are, whatever the file is called."""
    for content_type, signature, endings in KINDS:
        if content.startswith(signature):
            return content_type, endings
    if b"\x00" not in content:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT
    return None


def read_limited(stream: IO[bytes], limit: int) -> bytes:
    """Read at most one byte more than the limit, so an oversized upload is never read whole."""
    return stream.read(limit + 1)


def _size(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit / 1024:g} KB"


def check_file(name: str, content: bytes) -> tuple[str, str]:
    """The clean name and the content type of an acceptable file, or InvalidInput."""
    limit = settings.PUTRIGHT_MAX_UPLOAD_BYTES
    clean = PurePath(name.replace("\\", "/")).name.strip()[:200]
    if not clean:
        raise InvalidInput("file", "the file has no name")
    if not content:
        raise InvalidInput("file", f"{clean} is empty")
    if len(content) > limit:
        raise InvalidInput("file", f"{clean} is larger than the limit of {_size(limit)}")
    kind = sniff(content)
    if kind is None:
        raise InvalidInput("file", f"{clean} is not a {allowed_types()} file")
    content_type, endings = kind
    if not clean.lower().endswith(endings):
        raise InvalidInput(
            "file",
            f"{clean} is not what its name says: its content is {content_type}, "
            f"not {clean.rsplit('.', 1)[-1] if '.' in clean else 'a file without an ending'}",
        )
    return clean, content_type


def attach(
    complaint: Complaint,
    *,
    name: str,
    content: bytes,
    description: str = "",
    actor: User | None,
    on_behalf_of: str = "",
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Attachment:
    """Keep a file of evidence on an open complaint, and say so on its timeline."""
    clean, content_type = check_file(name, content)
    stored: list[Attachment] = []
    try:
        return _attach(
            stored,
            complaint,
            clean,
            content_type,
            content,
            description,
            actor,
            on_behalf_of,
            occurred_at,
            expected_version,
        )
    except BaseException:
        # The step was rolled back: the file it wrote must not outlive it.
        for attachment in stored:
            attachment.file.delete(save=False)
        raise


def _attach(
    stored: list[Attachment],
    complaint: Complaint,
    clean: str,
    content_type: str,
    content: bytes,
    description: str,
    actor: User | None,
    on_behalf_of: str,
    occurred_at: dt.datetime | None,
    expected_version: int | None,
) -> Attachment:
    with case_step(
        complaint,
        rq.AddEvidence(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
        on_behalf_of=on_behalf_of,
    ) as step:
        attachment = Attachment(
            complaint=step.complaint,
            name=clean,
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            description=description.strip()[:300],
            uploaded_at=step.occurred_at,
            uploaded_by=actor,
            uploaded_by_label=step.actor_label,
        )
        attachment.file.save(attachment.stored_suffix, ContentFile(content), save=False)
        stored.append(attachment)
        attachment.save()
        step.record(EventKind.EVIDENCE_ADDED, f"Evidence added: {clean}", attachment=attachment.pk)
    return attachment


#: The longest message a customer may send from their page (the portal's form says the same).
MAX_INFORMATION = 10_000


def add_information(
    complaint: Complaint,
    *,
    text: str,
    actor: User | None,
    on_behalf_of: str = "",
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Keep what the customer wrote as words on the case's timeline, for staff to read on the page.

    A message is not a file: kept as text, it is read where it is shown (the
    case page and the customer's own page) rather than downloaded and opened.
    It is evidence all the same, so the procedure allows it when it allows
    adding evidence.
    """
    clean = text.replace("\r\n", "\n").strip()
    if not clean:
        raise InvalidInput("information", "write what you want to tell us")
    if len(clean) > MAX_INFORMATION:
        raise InvalidInput(
            "information", f"the message is {len(clean):,} characters: it can be at most {MAX_INFORMATION:,}"
        )
    with case_step(
        complaint,
        rq.AddEvidence(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
        on_behalf_of=on_behalf_of,
    ) as step:
        step.record(EventKind.INFORMATION_ADDED, clean, text=clean)
    return step.complaint
