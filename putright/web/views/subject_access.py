"""The subject access page (issue 15, sar): find a customer, then make their export.

GET with ``q`` lists the customers the user may see whose name contains the words or whose
email, postcode or complaint reference they are; the button on each (a POST) downloads the zip
and records the export on each of their cases. A customer of a landlord the user does not work
for is "not found", as a case is.
"""

from __future__ import annotations

import tempfile
from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from putright.accounts.permissions import Capability, can
from putright.reports.subject_access import CustomerNotFound, customer_for, find_customers, make_export
from putright.web.access import staff_user, staff_view

#: Files up to this size are kept in memory while the zip is written; larger spill to disk.
IN_MEMORY = 8 * 1024 * 1024


@staff_view(Capability.SUBJECT_ACCESS)
def search(request: HttpRequest) -> HttpResponse:
    words = request.GET.get("q", "").strip()[:200]
    found = find_customers(staff_user(request), words) if words else None
    may_erase = can(staff_user(request), Capability.ERASE_PERSONAL_DATA)  # issue 15, anonymise
    return render(request, "web/subject_access.html", {"q": words, "found": found, "may_erase": may_erase})


@staff_view(Capability.SUBJECT_ACCESS)
def export(request: HttpRequest, customer_id: int) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "POST"})
    try:
        customer = customer_for(staff_user(request), customer_id=customer_id)
    except CustomerNotFound as missing:
        raise Http404("No such customer") from missing
    out = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115 (the response closes it)
    make_export(customer, out, actor=staff_user(request))
    out.seek(0)
    name = f"subject-access-{customer.pk}-{timezone.now():%Y-%m-%d}.zip"
    response = FileResponse(out, as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "no-store"
    # A streamed response: staff_view's type names HttpResponse, the base it shares.
    return cast(HttpResponse, response)


urlpatterns = [
    path("subject-access/", search, name="subject-access"),
    path("subject-access/<int:customer_id>/export", export, name="subject-access-export"),
]
