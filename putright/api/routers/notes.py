"""Internal notes on a complaint: staff only (the API is the workspace's, never the customer's).

Listed by anyone who may see the case; written by a role that may write notes.
A note names colleagues by @username in its text or in ``tell``; each is emailed.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from putright.accounts.permissions import Capability
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.api.routers.steps.common import colleague
from putright.api.schemas import NoteOut
from putright.cases.models import CaseNote
from putright.cases.selectors.complaints import complaint_for_user
from putright.cases.services import notes

router = Router(tags=["Internal notes"])


class NoteIn(Schema):
    text: str = Field(description="The note; @username mentions a colleague, who is emailed it.")
    tell: list[str] = Field(default_factory=list, description="Usernames of colleagues to email the note to.")


@router.get("/{reference}/notes", response={200: list[NoteOut], **READ_ERRORS}, summary="List internal notes")
def list_notes(request: HttpRequest, reference: str) -> list[dict[str, object]]:
    """The complaint's internal notes, newest first, with who wrote them and whom they told."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    complaint = complaint_for_user(user=user, reference=reference)
    found = (
        CaseNote.objects.filter(complaint=complaint)
        .select_related("author")
        .prefetch_related("mentioned")
        .order_by("-written_at", "-pk")
    )
    return [presenters.note(item) for item in found]


@router.post("/{reference}/notes", response={201: NoteOut, **WRITE_ERRORS}, summary="Add an internal note")
def add_note(request: HttpRequest, reference: str, body: NoteIn) -> Status[Any]:
    """Keep a note on the complaint; the colleagues it names are emailed it."""
    user = caller(request)
    require(user, Capability.WRITE_NOTES)
    complaint = complaint_for_user(user=user, reference=reference)

    def run() -> Answer:
        tell = [found for name in body.tell if (found := colleague(name, "tell", user, complaint))]
        note = notes.add_note(complaint, text=body.text, tell=tell, actor=user)
        return 201, presenters.note(note)

    return run_write(request, run)
