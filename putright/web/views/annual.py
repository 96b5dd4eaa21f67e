"""The annual report (issue 13): its page with the "Make the report" button, the evidence written for
it, and the documents kept (annual and board reports) with their downloads.

- ``/work/reports/annual/?year=2025-26&organisation=VHT`` (PREPARE_REPORTS): what goes in; a POST
  makes the PDF and keeps it.
- ``/work/reports/annual/evidence/?year=2025-26&organisation=VHT`` (PREPARE_REPORTS): the evidence per
  provision and the governing body's response, kept per year and organisation (blank: the group).
- ``/work/reports/documents/`` (VIEW_REPORTS): every document kept that the user may see, 50 a page;
  ``/work/reports/documents/<id>/pdf`` downloads one, never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.cases.errors import InvalidInput
from putright.reports.annual import evidence_texts, governing_body_response, provisions_of_the_code
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.periods import Period
from putright.reports.scope import document_organisation
from putright.reports.services.annual import make_annual_report
from putright.reports.services.evidence import save_annual_texts
from putright.web.access import staff_user, staff_view
from putright.web.forms.annual import RESPONSE_FIELD, AnnualTextsForm
from putright.web.views.tsm import PAGE_SIZE, organisation_asked, year_asked, years_offered


def _scope(request: HttpRequest) -> tuple[Period, Organisation | None, str]:
    user = staff_user(request)
    period = year_asked(request)
    try:
        organisation = document_organisation(
            user, organisation_asked(user, request.GET.get("organisation", ""))
        )
    except Organisation.DoesNotExist:
        raise Http404("You do not work for an organisation") from None
    query = {"year": period.key, **({"organisation": organisation.short_name} if organisation else {})}
    return period, organisation, urlencode(query)


@staff_view(Capability.PREPARE_REPORTS)
def annual_page(request: HttpRequest) -> HttpResponse:
    period, organisation, query = _scope(request)
    if request.method == "POST":
        user = staff_user(request)
        document = make_annual_report(user=user, period=period, organisation=organisation, actor=user)
        messages.success(request, f"Made “{document.title}”.")
        return redirect(reverse("web:report-documents"))
    kept = _documents(staff_user(request)).filter(kind=DocumentKind.ANNUAL, period_key=period.key)
    context = {
        "period": period,
        "organisation": organisation,
        "query": query,
        "years": years_offered(period),
        "kept": list(kept.filter(organisation=organisation)[:10]),
        "written": sum(1 for text in evidence_texts(period.start.year, organisation).values() if text),
        "provisions": len(provisions_of_the_code()),
    }
    return render(request, "web/reports/annual.html", context)


@staff_view(Capability.PREPARE_REPORTS)
def evidence_page(request: HttpRequest) -> HttpResponse:
    period, organisation, query = _scope(request)
    year = period.start.year
    provisions = provisions_of_the_code()
    form = AnnualTextsForm(
        request.POST or None,
        provisions=provisions,
        texts=evidence_texts(year, organisation),
        response=governing_body_response(year, organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            save_annual_texts(
                year=year,
                organisation=organisation,
                evidence=form.evidence(),
                governing_body_response=form.cleaned_data[RESPONSE_FIELD],
                known_provisions={p.key for p in provisions},
                actor=staff_user(request),
            )
        except InvalidInput as refused:
            form.refuse(refused)
        else:
            messages.success(request, "The evidence and the governing body's response are saved.")
            return redirect(f"{reverse('web:annual-report')}?{query}")
    context = {"period": period, "organisation": organisation, "form": form, "query": query}
    return render(request, "web/reports/evidence.html", context)


def _documents(user: User) -> QuerySet[ReportDocument]:
    """The documents of the organisations the user sees; a group's only for those who see every one."""
    found = ReportDocument.objects.select_related("organisation", "made_by").defer("pdf")
    visible = visible_organisation_ids(user)
    if visible is not None:
        found = found.filter(Q(organisation_id__in=visible))
    return found.order_by("-made_at")


@staff_view(Capability.VIEW_REPORTS)
def documents_page(request: HttpRequest) -> HttpResponse:
    page = Paginator(_documents(staff_user(request)), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/reports/documents.html", {"page": page})


@staff_view(Capability.VIEW_REPORTS)
def document_pdf(request: HttpRequest, document_id: int) -> HttpResponse:
    document = _documents(staff_user(request)).defer(None).filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document that you can see")
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("reports/annual/", annual_page, name="annual-report"),
    path("reports/annual/evidence/", evidence_page, name="annual-evidence"),
    path("reports/documents/", documents_page, name="report-documents"),
    path("reports/documents/<int:document_id>/pdf", document_pdf, name="report-document-pdf"),
]
