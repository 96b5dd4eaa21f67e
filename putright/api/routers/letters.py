"""Letters sent on a complaint: listed, and each downloaded as the PDF that was sent.

The same checks as the complaint they belong to: the caller's role must let
them see cases, and a complaint outside their organisations, or a letter of
another complaint, is "not found" exactly as one that does not exist.
"""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router

from putright.accounts.permissions import Capability
from putright.api import presenters
from putright.api.auth import caller
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS
from putright.api.schemas import LetterOut
from putright.cases.errors import NotFound
from putright.cases.selectors.complaints import complaint_for_user
from putright.comms.models import Letter
from putright.comms.selectors import letters_for_case

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
    item = (
        Letter.objects.filter(complaint=complaint, pk=letter_id).only("pk", "kind", "pdf", "sent_at").first()
    )
    if item is None or not item.pdf:
        raise NotFound(f"No letter {letter_id} on complaint {complaint.reference}.")
    day = timezone.localtime(item.sent_at).date()
    filename = f"{complaint.reference}-{item.kind.replace('_', '-')}-{day:%Y-%m-%d}.pdf"
    response = FileResponse(
        item.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A letter holds the customer's name and address: no copy is kept on the way.
    response["Cache-Control"] = "no-store, private"
    return cast(HttpResponse, response)
