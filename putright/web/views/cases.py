"""The complaint list with its filters, search and export; and the team lead's view."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from putright.accounts.models import Organisation, Team, User
from putright.accounts.permissions import Capability, can_take, visible_organisation_ids
from putright.cases.models import Complaint
from putright.cases.policies import current_policy
from putright.cases.selectors import workload
from putright.cases.selectors.complaints import SORTS, ComplaintFilters, complaint_list, complaints_for
from putright.cases.selectors.counting import CappedPaginator  # issue 16, search
from putright.cases.selectors.responses_given import RESPONSE_FILTERS
from putright.cases.selectors.staff import staff_choices
from putright.learning.models import Theme
from putright.procedure.states import STAGE_LABELS, State, Step
from putright.web import export
from putright.web.access import staff_user, staff_view
from putright.web.forms.base import Checkboxes, DateInput
from putright.web.forms.report_filters import ReportFilterFields  # issue 13, dash

PAGE_SIZE = 50
DEFAULT_SORT = "next_deadline"

#: The flag checkboxes.
FLAGS = {
    "overdue": "An overdue deadline",
    "concern": "An open safeguarding or health and safety concern",
    "restriction": "A restriction on contact in force",
    "adjustments": "Reasonable adjustments for the customer",
    "representative": "A representative acts for the customer",
}

#: The sortable columns: (heading, sort key); a second click reverses the order.
COLUMNS = (
    ("Reference", "reference"),
    ("Received", "received_at"),
    ("Customer", "customer"),
    ("Owner", "owner"),
    ("Next deadline", "next_deadline"),
)


class CaseFilterForm(ReportFilterFields):  # issue 13, dash: the dashboard's filters too
    """The list's filters, read from the query string; a bad value is an error on its field."""

    q = forms.CharField(
        label="Search",
        required=False,
        max_length=200,
        help_text="Words from the complaint, its points, contact notes or the triage note; "
        "a reference; the customer's name or postcode.",
    )
    organisation = forms.ChoiceField(label="Organisation", required=False)
    state = forms.ChoiceField(label="State", required=False)
    stage = forms.ChoiceField(
        label="Stage",
        required=False,
        choices=[("", "Any stage"), *((str(n), label) for n, label in STAGE_LABELS.items())],
    )
    owner = forms.ChoiceField(label="Owner", required=False)
    team = forms.ChoiceField(label="Team", required=False)
    category = forms.ChoiceField(label="Reason for complaint", required=False)
    received_from = forms.DateField(
        label="Received from", required=False, widget=DateInput, help_text="For example, 2026-03-27"
    )
    received_to = forms.DateField(
        label="Received to", required=False, widget=DateInput, help_text="For example, 2026-03-31"
    )
    flags = forms.MultipleChoiceField(
        label="Only cases with",
        required=False,
        widget=Checkboxes,
        choices=list(FLAGS.items()),
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    # issue 12, publish: the filters behind the "You said, we did" figures.
    within = forms.ChoiceField(
        label="Organisation and those below it",
        required=False,
        help_text="The complaints of a group's landlords and companies as well as its own.",
    )
    responded_from = forms.DateField(
        label="Response given from", required=False, widget=DateInput, help_text="Stage 1 or 2"
    )
    responded_to = forms.DateField(label="Response given to", required=False, widget=DateInput)
    response = forms.ChoiceField(
        label="Of those responses",
        required=False,
        choices=[("", "Any response"), *RESPONSE_FILTERS.items()],
    )
    escalated_from = forms.DateField(label="Stage 2 asked for from", required=False, widget=DateInput)
    escalated_to = forms.DateField(label="Stage 2 asked for to", required=False, widget=DateInput)
    theme = forms.ChoiceField(label="Theme of a point", required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._figure_choices(user)  # issue 12, publish
        self.report_choices(user)  # issue 13, dash
        visible = visible_organisation_ids(user)
        organisations = Organisation.objects.order_by("name")
        teams = Team.objects.select_related("organisation").order_by("organisation__name", "name")
        if visible is not None:
            organisations = organisations.filter(pk__in=visible)
            teams = teams.filter(organisation_id__in=visible)
        self._choices("organisation", "Any organisation", [(o.short_name, o.name) for o in organisations])
        self._choices("team", "Any team", [(str(t.pk), str(t)) for t in teams])
        self._choices("owner", "Anyone", staff_choices(user))
        states = [("open", "Any open case"), *((s.value, s.label) for s in State)]
        self._choices("state", "Any state", states)
        reasons = current_policy().policy.eligibility.reasons_to_complain
        self._choices("category", "Any reason", [(r.key, r.text) for r in reasons])

    def _figure_choices(self, user: User) -> None:
        """issue 12, publish: the organisations and themes to filter by (two queries)."""
        visible = visible_organisation_ids(user)
        organisations = Organisation.objects.order_by("name")
        if visible is not None:
            organisations = organisations.filter(pk__in=visible)
        self._choices("within", "Any organisation", [(o.short_name, o.name) for o in organisations])
        themes = Theme.objects.select_related("parent").order_by("parent__position", "position", "name")
        self._choices("theme", "Any theme", sorted(((t.key, t.label) for t in themes), key=lambda c: c[1]))

    def _choices(self, name: str, blank: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", blank), *choices]

    def clean_sort(self) -> str:
        sort: str = self.cleaned_data.get("sort") or ""
        return sort if sort in SORTS else DEFAULT_SORT

    def clean(self) -> dict[str, Any] | None:
        data = super().clean() or {}
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and end < start:
            self.add_error("received_to", "Received to must be the same as or after received from")
        return data

    def filters(self) -> ComplaintFilters:
        """The valid form's values as the selector's filters."""
        data = self.cleaned_data
        state = data["state"] or None
        chosen = set(data["flags"])

        def flag(key: str) -> bool | None:
            return True if key in chosen else None

        return ComplaintFilters(
            organisation=data["organisation"] or None,
            state=None if state == "open" else state,
            is_open=True if state == "open" else None,
            stage=int(data["stage"]) if data["stage"] else None,
            owner=data["owner"] or None,
            team=int(data["team"]) if data["team"] else None,
            category=data["category"] or None,
            received_from=data["received_from"],
            received_to=data["received_to"],
            q=data["q"].strip() or None,
            search_notes=True,
            overdue=flag("overdue"),
            has_concern=flag("concern"),
            has_restriction=flag("restriction"),
            has_adjustments=flag("adjustments"),
            has_representative=flag("representative"),
            # issue 12, publish
            within=data["within"] or None,
            responded_from=data["responded_from"],
            responded_to=data["responded_to"],
            response=data["response"] or None,
            escalated_from=data["escalated_from"],
            escalated_to=data["escalated_to"],
            theme=data["theme"] or None,
            **self.report_filters(),  # issue 13, dash
        )


def _sort(form: CaseFilterForm) -> str:
    return str(form.cleaned_data["sort"]) if form.is_bound else DEFAULT_SORT


def _filtered(request: HttpRequest) -> tuple[CaseFilterForm, QuerySet[Complaint] | None]:
    """The filter form and, when it is valid, the matching complaints (not yet read)."""
    user = staff_user(request)
    form = CaseFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, None
    sort = _sort(form)
    filters = form.filters() if form.is_bound else ComplaintFilters()
    now = timezone.now()
    complaints = complaint_list(
        user=user, filters=filters, sort=sort, now=now, tz=timezone.get_current_timezone()
    ).select_related("team")
    return form, complaints


@staff_view()
def case_list(request: HttpRequest) -> HttpResponse:
    """One count (stopping early) and one page of rows; the filter form's choices add a fixed few
    queries."""
    form, complaints = _filtered(request)
    context: dict[str, Any] = {"form": form, "htmx": _wants_fragment(request)}
    if complaints is not None:
        when = workload.horizon(timezone.now())
        asked = request.GET.get("page")
        # issue 16, search: the count stops 1,000 past the page's start ("more than 1,000").
        page = CappedPaginator(complaints, PAGE_SIZE, page=asked).get_page(asked)
        sort = _sort(form)
        context |= {
            "page": page,
            "rows": workload.rows(page.object_list, when),
            "pages": _page_numbers(page),
            "columns": _columns(sort),
            "sort": sort,
        }
    template = "web/cases/_list_search.html" if context["htmx"] else "web/cases/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _wants_fragment(request: HttpRequest) -> bool:
    """htmx asks for the filters and results only; restoring history needs the whole page."""
    headers = request.headers
    return headers.get("HX-Request") == "true" and headers.get("HX-History-Restore-Request") != "true"


def _columns(sort: str) -> list[dict[str, str]]:
    """Each sortable column's link (reversing the order when it is the current one) and aria-sort."""
    columns = []
    for heading, key in COLUMNS:
        ascending, descending = sort == key, sort == f"-{key}"
        columns.append(
            {
                "heading": heading,
                "sort": f"-{key}" if ascending else key,
                "aria": "ascending" if ascending else "descending" if descending else "none",
            }
        )
    return columns


def _page_numbers(page: Page[Any]) -> list[int | None]:
    """The page numbers to link to: the first, the last and two either side; None for a gap."""
    last, current = page.paginator.num_pages, page.number
    wanted = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    numbers: list[int | None] = []
    for number in wanted:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@staff_view()
def case_export(request: HttpRequest, kind: str) -> HttpResponse:
    """Every complaint the list's filters match, as CSV (streamed) or Excel."""
    _form, complaints = _filtered(request)
    if complaints is None:
        return redirect(f"{reverse('web:case-list')}?{request.GET.urlencode()}")
    tz = timezone.get_current_timezone()
    when = workload.horizon(timezone.now())
    if kind == "csv":
        # A streamed response: staff_view's type names HttpResponse, the base it shares.
        return cast(HttpResponse, export.csv_response(complaints, when, tz))
    if kind == "xlsx":
        return export.xlsx_response(complaints, when, tz)
    raise Http404("No such export")


@staff_view(Capability.VIEW_STAFF)
def team(request: HttpRequest) -> HttpResponse:
    """A team's workload: who has what, and what is overdue or at risk, with a way to reassign."""
    user = staff_user(request)
    teams = list(workload.teams_visible_to(user))
    chosen = _chosen_team(request, user, teams)
    context: dict[str, Any] = {"teams": teams, "chosen": chosen}
    if chosen is not None:
        when = workload.horizon(timezone.now())
        load = workload.team_workload(complaints_for(user), chosen, when)
        context |= {"load": load, "when": when, "at_risk": _with_reassign_links(user, load.at_risk)}
    return render(request, "web/team.html", context)


def _chosen_team(request: HttpRequest, user: User, teams: list[Team]) -> Team | None:
    """The team asked for (it must be one the user may see), else their own, else the first."""
    by_id = {str(t.pk): t for t in teams}
    asked = request.GET.get("team")
    if asked:
        if asked not in by_id:
            raise Http404("No such team that you can see")
        return by_id[asked]
    own = by_id.get(str(user.team_id))
    return own or (teams[0] if teams else None)


def _with_reassign_links(user: User, rows: list[workload.CaseRow]) -> list[tuple[workload.CaseRow, str]]:
    """Each case with its reassignment page ("" when that page does not exist yet or the user's
    role may not reassign at the case's stage)."""
    return [(row, _reassign_link(user, row.complaint)) for row in rows]


def _reassign_link(user: User, complaint: Complaint) -> str:
    if not can_take(user, Step.REASSIGN, complaint.stage):
        return ""
    try:
        return reverse("web:step-reassign", kwargs={"reference": complaint.reference})
    except NoReverseMatch:
        return ""


urlpatterns = [
    path("complaints/", case_list, name="case-list"),
    path("complaints/export.<str:kind>", case_export, name="case-export"),
    path("team/", team, name="team"),
]
