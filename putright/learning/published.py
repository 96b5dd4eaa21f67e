"""Reads of what has been published of "You said, we did": the public page and the API read these.

Only ``Publication`` rows are read here, never the cases or the entries as they stand
now: the public sees what a manager published, word for word, until a new version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, QuerySet

from putright.accounts.models import Organisation
from putright.learning.figures import Figures
from putright.learning.models import Publication
from putright.learning.quarters import Quarter


def published_organisations() -> list[Organisation]:
    """Organisations with at least one published quarter, by name (one query)."""
    has = Exists(Publication.objects.filter(organisation=OuterRef("pk")))
    return list(Organisation.objects.filter(has).order_by("name"))


def last_published_at(organisation: Organisation | None = None) -> dt.datetime | None:
    """When anything (of the organisation) was last published: the pages' Last-Modified."""
    found = Publication.objects.all()
    if organisation is not None:
        found = found.filter(organisation=organisation)
    latest: dt.datetime | None = found.aggregate(latest=Max("published_at"))["latest"]
    return latest


@dataclass(frozen=True)
class QuarterVersion:
    """The latest version of one published quarter, without its figures and entries (for the archive)."""

    quarter: Quarter
    version: int
    published_at: dt.datetime
    publication_id: int


def published_quarters(organisation: Organisation) -> list[QuarterVersion]:
    """Each published quarter of the organisation, newest first, at its latest version (one query)."""
    rows = (
        Publication.objects.filter(organisation=organisation)
        .order_by("-quarter_start", "-version")
        .values_list("quarter_start", "version", "published_at", "pk")
    )
    found: dict[dt.date, QuarterVersion] = {}
    for start, version, published_at, pk in rows:
        if start not in found:
            found[start] = QuarterVersion(Quarter(start), version, published_at, pk)
    return list(found.values())


def publication(pk: int) -> Publication:
    return Publication.objects.select_related("organisation").get(pk=pk)


def versions_of(organisation: Organisation, quarter: Quarter) -> QuerySet[Publication]:
    """Every version of one quarter, newest first."""
    return Publication.objects.filter(organisation=organisation, quarter_start=quarter.start).order_by(
        "-version"
    )


def figures_of(item: Publication) -> Figures:
    return Figures.from_json(item.figures)
