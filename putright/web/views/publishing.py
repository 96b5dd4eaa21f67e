"""Publishing a quarter of "You said, we did": the figures as the cases say now beside the last
published version's, the approved entries, the versions so far, and the "Publish" button.

Officers and managers who draft entries may look (``DRAFT_YOU_SAID``); only a senior manager
publishes (``APPROVE_YOU_SAID``). An organisation outside the user's is "not found".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from putright.accounts.models import Organisation, OrganisationKind, User
from putright.accounts.permissions import Capability, can, visible_organisation_ids
from putright.cases.errors import InvalidInput, StaleCase, StepNotAllowed
from putright.learning import published
from putright.learning.figures import Figures, figure_filters, quarter_figures
from putright.learning.models import EntryStatus, Publication, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services import publishing
from putright.web.access import staff_user, staff_view
from putright.web.forms.base import GovukForm, text_area

#: How many past quarters the index offers.
RECENT_QUARTERS = 4


class PublishForm(GovukForm):
    correction_note = forms.CharField(
        label="What this version corrects",
        help_text="Shown on the public page as \u201cCorrected: \u2026\u201d. For example, "
        "\u201cOne entry repeated another; the figures now count a complaint logged late.\u201d",
        required=False,
        max_length=500,
        widget=text_area(3),
    )
    seen_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def refuse(self, error: InvalidInput) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.detail[:1].upper() + error.detail[1:])


def _organisation(user: User, short_name: str) -> Organisation:
    found = Organisation.objects.filter(short_name__iexact=short_name).first()
    visible = visible_organisation_ids(user)
    if found is None or (visible is not None and found.pk not in visible):
        raise Http404("No such organisation that you can see")
    return found


def _quarter(key: str) -> Quarter:
    try:
        return Quarter.parse(key)
    except ValueError as bad:
        raise Http404("No such quarter") from bad


@staff_view(Capability.DRAFT_YOU_SAID)
def publish_index(request: HttpRequest) -> HttpResponse:
    """The organisations the user sees and their recent quarters: published or not, and how many
    entries are approved (three queries)."""
    user = staff_user(request)
    visible = visible_organisation_ids(user)
    organisations = Organisation.objects.exclude(kind=OrganisationKind.CONTRACTOR).order_by("name")
    if visible is not None:
        organisations = organisations.filter(pk__in=visible)
    quarters = [Quarter.containing(timezone.localdate())]
    for _ in range(RECENT_QUARTERS):
        quarters.append(quarters[-1].previous())
    starts = [q.start for q in quarters]
    versions: dict[tuple[int, dt.date], int] = {}
    for org, start, version in Publication.objects.filter(
        organisation__in=organisations, quarter_start__in=starts
    ).values_list("organisation_id", "quarter_start", "version"):
        versions[(org, start)] = max(version, versions.get((org, start), 0))
    approved: dict[tuple[int, dt.date], int] = {}
    for org, start in YouSaidEntry.objects.filter(
        organisation__in=organisations, quarter_start__in=starts, status=EntryStatus.APPROVED
    ).values_list("organisation_id", "quarter_start"):
        approved[(org, start)] = approved.get((org, start), 0) + 1
    rows = [
        {
            "organisation": org,
            "quarters": [
                {
                    "quarter": q,
                    "version": versions.get((org.pk, q.start), 0),
                    "approved": approved.get((org.pk, q.start), 0),
                }
                for q in quarters
            ],
        }
        for org in organisations
    ]
    return render(request, "web/you_said/publish_index.html", {"rows": rows})


@staff_view(Capability.DRAFT_YOU_SAID)
def publish_page(request: HttpRequest, organisation: str, quarter: str) -> HttpResponse:
    """The preview and the "Publish" button; a POST publishes (senior managers only)."""
    user = staff_user(request)
    org = _organisation(user, organisation)
    when = _quarter(quarter)
    here = reverse("web:you-said-publish", kwargs={"organisation": org.short_name, "quarter": when.key})
    latest = publishing.latest_publication(org, when)
    form = PublishForm(initial={"seen_version": latest.version if latest else 0})
    status = 200
    if request.method == "POST":
        if not can(user, Capability.APPROVE_YOU_SAID):
            raise PermissionDenied("Only a senior manager may publish a quarter.")
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                done = publishing.publish_quarter(
                    org,
                    when,
                    user,
                    form.cleaned_data["correction_note"],
                    expected_version=form.cleaned_data["seen_version"],
                )
            except InvalidInput as refused:
                form.refuse(refused)
            except (StepNotAllowed, StaleCase) as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, f"{when.label} published: version {done.version}.")
                return redirect(here)
        status = 400
        latest = publishing.latest_publication(org, when)
    return render(
        request, "web/you_said/publish.html", _context(user, org, when, latest, form), status=status
    )


def _context(
    user: User, org: Organisation, when: Quarter, latest: Publication | None, form: PublishForm
) -> dict[str, Any]:
    now = quarter_figures(org, when)
    before = Figures.from_json(latest.figures) if latest else None
    entries = publishing.approved_entries(org, when)
    snapshots = [publishing.entry_snapshot(e) for e in entries]
    list_url = reverse("web:case-list")
    links = {name: f"{list_url}?{urlencode(query)}" for name, query in figure_filters(org, when).items()}
    theme_links = {
        t.key: f"{list_url}?{urlencode(figure_filters(org, when)['theme'] | {'theme': t.key})}"
        for t in now.top_themes
    }
    return {
        "organisation": org,
        "quarter": when,
        "figures": now,
        "before": before,
        "changes": _changes(before, now) if before else [],
        "entry_changes": _entry_changes(latest, snapshots) if latest else [],
        "entries": entries,
        "latest": latest,
        "versions": list(published.versions_of(org, when).select_related("published_by")),
        "links": links,
        "theme_links": theme_links,
        "form": form,
        "may_publish": can(user, Capability.APPROVE_YOU_SAID),
        "ended": when.end <= timezone.localdate(),
        "public_url": reverse(
            "portal:you-said-quarter", kwargs={"organisation": org.short_name, "quarter": when.key}
        ),
    }


_FIGURE_NAMES = {
    "received": "Complaints received",
    "stage2_requests": "Reviews asked for (stage 2)",
    "responses": "Responses given",
    "upheld": "Responses that upheld or partly upheld the complaint",
    "on_time": "Responses given on time",
}


def _changes(before: Figures, now: Figures) -> list[str]:
    """What the figures computed now say differently from the last published version, in words."""
    said = []
    for name, words in _FIGURE_NAMES.items():
        old, new = getattr(before, name), getattr(now, name)
        if old != new:
            said.append(f"{words}: {old} published, {new} now")
    old_themes = [(t.label, t.points) for t in before.top_themes]
    new_themes = [(t.label, t.points) for t in now.top_themes]
    if old_themes != new_themes:
        said.append(
            "Top themes: "
            + (", ".join(f"{label} ({points})" for label, points in new_themes) or "none")
            + " now"
        )
    return said


def _entry_changes(latest: Publication, snapshots: list[dict[str, Any]]) -> list[str]:
    """Entries approved since the last version, or changed, or no longer approved."""
    published_words = {e["id"]: (e["you_said"], e["we_did"], e["theme"]) for e in latest.entries}
    now_words = {e["id"]: (e["you_said"], e["we_did"], e["theme"]) for e in snapshots}
    said = []
    for pk, words in now_words.items():
        if pk not in published_words:
            said.append(f"New entry: \u201c{words[0][:80]}\u201d")
        elif published_words[pk] != words:
            said.append(f"Changed entry: \u201c{words[0][:80]}\u201d")
    for pk, words in published_words.items():
        if pk not in now_words:
            said.append(f"No longer approved: \u201c{words[0][:80]}\u201d")
    return said


urlpatterns = [
    path("you-said-we-did/publish/", publish_index, name="you-said-publish-index"),
    path(
        "you-said-we-did/publish/<str:organisation>/<str:quarter>/",
        publish_page,
        name="you-said-publish",
    ),
]
