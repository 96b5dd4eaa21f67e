"""Letters on a complaint: sent, listed, and each downloaded as the PDF that was sent.

The same checks as the complaint they belong to: the caller's role must let
them see cases, and a complaint outside their organisations, or a letter of
another complaint, is "not found" exactly as one that does not exist. Sending
takes the same road as the workspace's letter page (``comms.letters``): the
kinds the caller's role writes, when the case allows them, never with a blank.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status

from putright.accounts.permissions import Capability
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import Forbidden, require
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.api.schemas import LetterOut
from putright.cases.errors import NotFound
from putright.cases.selectors.complaints import complaint_for_user
from putright.comms.letters import rights
from putright.comms.letters.selectors import letter_on_case, letters_for_case
from putright.comms.letters.services import letters
from putright.comms.letters.services.letters import letter_filename
from putright.comms.models import LetterKind
from putright.downloads import private_file

router = Router(tags=["Letters"])

#: A letter's download is its PDF, never JSON.
PDF = {
    "description": "The letter as it was sent, as a PDF.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get(
    "/{reference}/letters", response={200: list[LetterOut], **READ_ERRORS}, summary="List letters sent"
)
def list_letters(request: HttpRequest, reference: str) -> list[dict[str, object]]:
    """Every letter sent on the complaint, oldest first: what, to whom, how and when, and its PDF."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    complaint = complaint_for_user(user=user, reference=reference)
    return [presenters.letter(item, complaint.reference) for item in letters_for_case(complaint)]


@router.get(
    "/{reference}/letters/{letter_id}/pdf",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: PDF}},
    url_name="letter_pdf",
    summary="Download a letter",
)
def letter_pdf(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """The letter's PDF, as it was emailed or printed."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    complaint = complaint_for_user(user=user, reference=reference)
    item = letter_on_case(complaint.pk, letter_id)
    if item is None or not item.pdf:
        raise NotFound(f"No letter {letter_id} on complaint {complaint.reference}.")
    try:
        return private_file(item.pdf, filename=letter_filename(item), content_type="application/pdf")
    except FileNotFoundError:  # the file is gone: not found, as problem details
        raise NotFound(
            f"The PDF of letter {letter_id} on complaint {complaint.reference} is missing."
        ) from None


class LetterIn(Schema):
    kind: LetterKind = Field(description="Which letter, e.g. stage1_response.")
    version: int = Field(description="The complaint's version as you read it: its dates are the letter's.")
    subject: str | None = Field(None, description="The subject (default: the template's, filled in).")
    body: str | None = Field(None, description="The words (default: the template's, filled in).")


@router.post("/{reference}/letters", response={201: LetterOut, **WRITE_ERRORS}, summary="Send a letter")
def send_letter(request: HttpRequest, reference: str, body: LetterIn) -> Status[Any]:
    """Draw the letter as a PDF and email it (or mark it to post), once per Idempotency-Key.

    Refused (422, naming the field) while the letter would print a blank
    ("blanks": what to fill in and where), or when the case's facts do not
    allow this kind now ("kind"); 403 when the caller's role does not write it.
    """
    user = caller(request)
    require(user, Capability.SEND_LETTERS)
    complaint = complaint_for_user(user=user, reference=reference)

    def run() -> Answer:
        try:
            draft = letters.draft(complaint, body.kind, actor=user)
            sent = letters.send_letter(
                complaint.pk,
                body.kind,
                subject=draft.subject if body.subject is None else body.subject,
                body=draft.body if body.body is None else body.body,
                template_id=draft.template.pk,
                actor=user,
                expected_version=body.version,
            )
        except rights.NotYourLetter as refused:
            raise Forbidden(refused.message) from refused
        return 201, presenters.letter(sent, complaint.reference)

    return run_write(request, run)
