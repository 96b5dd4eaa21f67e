"""The public pages that are read, not filled in: the complaints policy (with its PDF), and the
footer's privacy notice, accessibility statement and cookies page.

The policy page is written from the policy in force (``procedure.published``),
so publishing a new policy version needs no edit here; the PDF is the same
words on A4, for the leaflet's "Our full Complaints Policy can be downloaded
from our website".
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from putright.cases.policies import current_policy
from putright.comms.letters.pdf import pdf_from_html
from putright.design.plain import blocks
from putright.portal.drafts import landlords
from putright.portal.models import PageKind
from putright.portal.page_words import page_for
from putright.procedure.published import publish


@require_GET
def policy(request: HttpRequest) -> HttpResponse:
    """The complaints policy in force, in plain words, with a link to its PDF."""
    return render(request, "portal/policy/page.html", {"policy": publish(current_policy().policy)})


@require_GET
def policy_pdf(request: HttpRequest) -> HttpResponse:
    """The same words as an A4 PDF, named for the policy and its version."""
    loaded = current_policy().policy
    html = render_to_string(
        "portal/policy/pdf.html",
        {
            "policy": publish(loaded),
            "landlord_name": settings.PUTRIGHT_LANDLORD_NAME,
            "brand_colour": settings.PUTRIGHT_BRAND_COLOUR,
        },
    )
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    name = f"{slugify(loaded.name)}-version-{loaded.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def footer_page(request: HttpRequest, kind: str) -> HttpResponse:
    """A page the landlord wrote, its plain text shown as headings, paragraphs and lists."""
    if kind not in PageKind.values:
        raise Http404("No such page.")
    page = page_for(kind)
    found = landlords()
    context = {"page": page, "blocks": blocks(page.body), "landlord": found[0] if len(found) == 1 else None}
    return render(request, "portal/footer_page.html", context)


urlpatterns = [
    path("privacy/", footer_page, {"kind": PageKind.PRIVACY}, name="privacy"),
    path("accessibility/", footer_page, {"kind": PageKind.ACCESSIBILITY}, name="accessibility"),
    path("cookies/", footer_page, {"kind": PageKind.COOKIES}, name="cookies"),
    path("complaints-policy/", policy, name="policy"),
    path("complaints-policy/pdf/", policy_pdf, name="policy-pdf"),
]
