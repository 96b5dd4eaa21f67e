"""Published quarters of "You said, we did", publishing one, and a quarter's live figures.

Any member of staff reads the publications of their organisations (they are public
anyway); the live figures are for those who draft entries; only a senior manager
publishes. Publishing twice with the same Idempotency-Key (or publishing again what
is already published, word for word) publishes once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require, visible_organisation
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.cases.errors import InvalidInput, NotFound
from putright.learning.figures import Figures, figure_filters, quarter_figures
from putright.learning.models import Publication
from putright.learning.quarters import Quarter
from putright.learning.services import publishing

router = Router(tags=["You said, we did"])


class ThemeCountOut(Schema):
    key: str
    label: str
    points: int


class FiguresOut(Schema):
    quarter: str
    received: int = Field(description="Complaints logged in the quarter (stage 1 requests).")
    stage2_requests: int = Field(description="Stage 2 reviews asked for in the quarter.")
    responses: int = Field(description="Stage 1 and 2 responses given in the quarter.")
    upheld: int = Field(description="Of those, responses that upheld or partly upheld a point.")
    on_time: int = Field(description="Of those, responses given by the policy's deadline.")
    on_time_percent: int | None
    top_themes: list[ThemeCountOut]


class PublishedEntryOut(Schema):
    you_said: str
    we_did: str
    theme: str
    theme_key: str


class PublicationOut(Schema):
    id: int
    organisation: str
    quarter: str
    quarter_label: str
    version: int
    published_at: dt.datetime
    correction_note: str
    figures: FiguresOut
    entries: list[PublishedEntryOut]
    public_url: str


class FigureOut(Schema):
    value: int
    complaints_url: str = Field(description="The workspace's complaint list behind the figure.")


class LiveFiguresOut(Schema):
    organisation: str
    quarter: str
    quarter_label: str
    figures: FiguresOut
    behind: dict[str, FigureOut] = Field(
        description="For received, stage2_requests, responses, upheld and on_time: the complaints behind it."
    )
    themes_behind: dict[str, str] = Field(description="Each top theme's key: the complaints behind it.")


class PublishIn(Schema):
    organisation: str = Field(description="The organisation's short name.")
    quarter: str = Field(description="The quarter's key, for example 2026-Q2 (July to September 2026).")
    correction_note: str = Field("", description="Required for a second or later version: what it corrects.")
    expected_version: int | None = Field(
        None,
        description="The latest version you saw (0 for none); refused with 409 if someone published since.",
    )


def present(item: Publication) -> dict[str, Any]:
    quarter = Quarter(item.quarter_start)
    short = item.organisation.short_name
    return {
        "id": item.pk,
        "organisation": short,
        "quarter": quarter.key,
        "quarter_label": quarter.label,
        "version": item.version,
        "published_at": item.published_at,
        "correction_note": item.correction_note,
        "figures": item.figures,
        "entries": item.entries,
        "public_url": reverse(
            "portal:you-said-quarter", kwargs={"organisation": short, "quarter": quarter.key}
        ),
    }


def quarter_of(key: str, field: str = "quarter") -> Quarter:
    """A quarter as the API writes it ("2026-Q1"), or the one refusal every endpoint gives."""
    try:
        return Quarter.parse(key)
    except ValueError as bad:
        raise InvalidInput(field, "give a quarter like 2026-Q1 (April to June 2026 is 2026-Q1)") from bad


class PublicationFilters(Schema):
    organisation: str | None = Field(None, description="An organisation's short name.")
    quarter: str | None = Field(None, description="A quarter's key, for example 2026-Q1.")


@router.get(
    "/publications",
    response={200: list[PublicationOut], **READ_ERRORS},
    summary="List published quarters",
)
def list_publications(request: HttpRequest, filters: Query[PublicationFilters]) -> list[dict[str, Any]]:
    """Every version published of the organisations you work for, newest quarter and version first."""
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    found = Publication.objects.select_related("organisation").order_by(
        "organisation__name", "-quarter_start", "-version"
    )
    visible = visible_organisation_ids(user)
    if visible is not None:
        found = found.filter(organisation_id__in=visible)
    if filters.organisation:
        found = found.filter(organisation=visible_organisation(user, filters.organisation))
    if filters.quarter:
        found = found.filter(quarter_start=quarter_of(filters.quarter).start)
    return [present(item) for item in found]


@router.get(
    "/publications/{publication_id}",
    response={200: PublicationOut, **READ_ERRORS},
    summary="Read a published quarter",
)
def read_publication(request: HttpRequest, publication_id: int) -> dict[str, Any]:
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    item = Publication.objects.select_related("organisation").filter(pk=publication_id).first()
    visible = visible_organisation_ids(user)
    if item is None or (visible is not None and item.organisation_id not in visible):
        raise NotFound(f"No publication {publication_id}.")
    return present(item)


@router.post(
    "/publications",
    response={200: PublicationOut, 201: PublicationOut, **WRITE_ERRORS},
    summary="Publish a quarter",
)
def publish(request: HttpRequest, body: PublishIn) -> Status[Any]:
    """Publish the quarter's figures (computed now) and its approved entries as a new version.

    201 with the new version; 200 with the latest version when it already says exactly this;
    409 when nothing is approved for a first version, or nothing changed; 422 without a
    correction note for a second version.
    """
    user = caller(request)
    require(user, Capability.APPROVE_YOU_SAID)
    organisation = visible_organisation(user, body.organisation)
    quarter = quarter_of(body.quarter)

    def run() -> Answer:
        before = publishing.latest_publication(organisation, quarter)
        item = publishing.publish_quarter(
            organisation, quarter, user, body.correction_note, expected_version=body.expected_version
        )
        created = before is None or item.version > before.version
        return (201 if created else 200), present(item)

    return run_write(request, run)


class FiguresQuery(Schema):
    organisation: str = Field(description="An organisation's short name: it and those below it.")
    quarter: str = Field(description="A quarter's key, for example 2026-Q1.")


@router.get("/figures", response={200: LiveFiguresOut, **READ_ERRORS}, summary="A quarter's figures now")
def live_figures(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    """The figures as the cases say now (not as published), each with the complaints behind it."""
    user = caller(request)
    require(user, Capability.DRAFT_YOU_SAID)
    organisation = visible_organisation(user, query.organisation)
    quarter = quarter_of(query.quarter)
    figures: Figures = quarter_figures(organisation, quarter)
    filters = figure_filters(organisation, quarter)
    base = reverse("web:case-list")
    behind = {
        name: {"value": getattr(figures, name), "complaints_url": f"{base}?{urlencode(filters[name])}"}
        for name in ("received", "stage2_requests", "responses", "upheld", "on_time")
    }
    themes = {t.key: f"{base}?{urlencode(filters['theme'] | {'theme': t.key})}" for t in figures.top_themes}
    return {
        "organisation": organisation.short_name,
        "quarter": quarter.key,
        "quarter_label": quarter.label,
        "figures": figures.as_json(),
        "behind": behind,
        "themes_behind": themes,
    }
