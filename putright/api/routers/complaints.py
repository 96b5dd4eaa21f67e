"""Complaints: log one from any channel, read one, list and filter them; evidence files."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from putright.accounts.permissions import Capability
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require, require_step
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.api.schemas import AttachmentOut, ComplaintOut, ComplaintPage
from putright.cases.errors import NotFound
from putright.cases.models import Attachment, Channel
from putright.cases.selectors.access import access_customer, access_organisation, access_representative
from putright.cases.selectors.complaints import (
    ComplaintFilters,
    complaint_detail,
    complaint_for_user,
    complaint_list,
)
from putright.cases.selectors.counting import count_from  # issue 16, search
from putright.cases.services import evidence
from putright.cases.services.evidence import read_limited
from putright.cases.services.intake import log_complaint
from putright.downloads import private_file
from putright.procedure.states import State, Step

router = Router(tags=["Complaints"])

MAX_PAGE_SIZE = 100


class ComplaintIn(Schema):
    organisation: str = Field(description="The organisation's short name, e.g. VHT.")
    customer_id: int
    representative_id: int | None = None
    channel: Channel
    received_at: dt.datetime | None = Field(None, description="When it reached us (default: now).")
    matter_date: dt.date | None = None
    became_aware_on: dt.date | None = None
    category: str = Field(description="One of the policy's reasons to complain.")
    summary: str = Field(max_length=200)
    description: str
    desired_outcome: str = ""
    points: list[str] = Field(default_factory=list, description="The points of complaint, one each.")


class ListQuery(Schema):
    organisation: str | None = None
    state: State | None = None
    stage: int | None = Field(None, ge=0, le=3)
    owner: str | None = Field(None, description="A username.")
    overdue: bool | None = None
    due_before: dt.date | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    category: str | None = None
    q: str | None = Field(None, max_length=200, description="Free text over the complaint and customer.")
    sort: Literal["next_deadline", "-received_at", "received_at", "reference"] = "next_deadline"
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


@router.get("", response={200: ComplaintPage, **READ_ERRORS}, summary="List complaints")
def list_complaints(request: HttpRequest, query: Query[ListQuery]) -> dict[str, object]:
    """Complaints the caller may see, sorted by their next deadline by default (none last); the
    count is exact up to 1,000 past the page's start, and says when more match."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    filters = ComplaintFilters(**query.dict(exclude={"sort", "page", "page_size"}))
    now = timezone.now()
    complaints = complaint_list(
        user=user, filters=filters, sort=query.sort, now=now, tz=timezone.get_current_timezone()
    )
    start = (query.page - 1) * query.page_size
    page = list(complaints[start : start + query.page_size])
    counted = count_from(complaints, start=start)  # issue 16, search: stops early
    return {
        "count": counted.count,
        "count_is_lower_bound": counted.more,
        "page": query.page,
        "page_size": query.page_size,
        "results": [presenters.summary(c, now) for c in page],
    }


@router.post("", response={201: ComplaintOut, **WRITE_ERRORS}, summary="Log a complaint")
def create_complaint(request: HttpRequest, body: ComplaintIn) -> Status[Any]:
    """Log a complaint received by any channel, at the time it was received (which may be past)."""
    user = caller(request)
    require(user, Capability.LOG_COMPLAINT)
    organisation = access_organisation(user=user, short_name=body.organisation)
    customer = access_customer(user=user, customer_id=body.customer_id)
    # Consent is the intake service's rule: it refuses a representative without it.
    representative = access_representative(customer=customer, representative_id=body.representative_id)

    def act() -> Answer:
        complaint = log_complaint(
            organisation=organisation,
            customer=customer,
            representative=representative,
            channel=body.channel,
            received_at=body.received_at or timezone.now(),
            matter_date=body.matter_date,
            became_aware_on=body.became_aware_on,
            category=body.category,
            summary=body.summary,
            description=body.description,
            desired_outcome=body.desired_outcome,
            points=body.points,
            actor=user,
        )
        return 201, _present(request, complaint.reference)

    return run_write(request, act)


@router.get("/{reference}", response={200: ComplaintOut, **READ_ERRORS}, summary="Read a complaint")
def get_complaint(request: HttpRequest, reference: str) -> dict[str, object]:
    """One complaint with its stages, deadlines, points, actions, flags and timeline."""
    require(caller(request), Capability.VIEW_CASES)
    return _present(request, reference)


@router.get(
    "/{reference}/attachments", response={200: list[AttachmentOut], **READ_ERRORS}, summary="List evidence"
)
def list_attachments(request: HttpRequest, reference: str) -> list[dict[str, object]]:
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    complaint = complaint_for_user(user=user, reference=reference)
    return [presenters.attachment(f, complaint.reference) for f in complaint.attachments.all()]


@router.post(
    "/{reference}/attachments", response={201: AttachmentOut, **WRITE_ERRORS}, summary="Add evidence"
)
def add_attachment(
    request: HttpRequest,
    reference: str,
    file: File[UploadedFile],
    version: Form[int],
    description: Form[str] = "",
) -> Status[Any]:
    """Upload a PDF, PNG, JPEG or text file (at most PUTRIGHT_MAX_UPLOAD_BYTES) as evidence."""
    user = caller(request)
    complaint = complaint_for_user(user=user, reference=reference)
    require_step(user, Step.ADD_EVIDENCE, complaint.stage)
    content = read_limited(file, settings.PUTRIGHT_MAX_UPLOAD_BYTES)

    def act() -> Answer:
        added = evidence.attach(
            complaint,
            name=file.name or "",
            content=content,
            description=description,
            actor=user,
            expected_version=version,
        )
        return 201, presenters.attachment(added, complaint.reference)

    return run_write(request, act)


#: A download is the file as it was kept: one of the types evidence may be, never JSON.
DOWNLOAD = {
    "description": "The file, as it was uploaded.",
    "content": {
        content_type: {"schema": {"type": "string", "format": "binary"}}
        for content_type in [kind[0] for kind in evidence.KINDS] + [evidence.TEXT[0]]
    },
}


@router.get(
    "/{reference}/attachments/{attachment_id}",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: DOWNLOAD}},
    url_name="attachment_download",
    summary="Download evidence",
)
def download_attachment(request: HttpRequest, reference: str, attachment_id: int) -> HttpResponse:
    require(caller(request), Capability.VIEW_CASES)
    complaint = complaint_for_user(user=caller(request), reference=reference)
    attachment = Attachment.objects.filter(complaint=complaint, pk=attachment_id).first()
    if attachment is None or not attachment.file:  # issue 15, anonymise: a removed file is not found
        raise NotFound(f"No evidence file {attachment_id} on complaint {complaint.reference}.")
    return private_file(attachment.file, filename=attachment.name, content_type=attachment.content_type)


def _present(request: HttpRequest, reference: str) -> dict[str, object]:
    user = caller(request)
    return presenters.detail(complaint_detail(user=user, reference=reference), user, timezone.now())
