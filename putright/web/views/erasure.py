"""The right to erasure (issue 15, anonymise): a customer's personal data removed, the figures kept.

GET ``/work/customers/ID/erase`` is the confirmation step: who the customer is, their complaints,
what would go, and (when erasure is refused) each open or held complaint named. The erasure itself
is a POST with the CSRF token, a reason and a ticked confirmation; it anonymises every complaint
of the customer and the customer through ``cases.services.anonymisation.erase_customer``. Reached
from the subject access page's list of customers. A customer of a landlord the user does not
work for is "not found", as on the subject access page.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from putright.accounts.permissions import Capability
from putright.cases.errors import CaseError
from putright.cases.services.anonymisation import ANONYMISED_FIRST_NAME, erase_customer, erasure_plan
from putright.reports.subject_access import CustomerNotFound, customer_for
from putright.web.access import staff_user, staff_view

LONGEST_REASON = 300


@staff_view(Capability.ERASE_PERSONAL_DATA)
def erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    user = staff_user(request)
    try:
        customer = customer_for(user, customer_id=customer_id)
    except CustomerNotFound as missing:
        raise Http404("No such customer") from missing
    errors: dict[str, str] = {}
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "").strip()
        if not reason:
            errors["reason"] = "Give the reason for the erasure, for example how the customer asked"
        elif len(reason) > LONGEST_REASON:
            errors["reason"] = f"Keep the reason to {LONGEST_REASON} characters"
        if request.POST.get("confirm") != "yes":
            errors["confirm"] = "Tick the box to confirm that the personal data is to be erased"
        if not errors:
            try:
                erase_customer(customer, actor=user, reason=reason)
            except CaseError as refused:
                errors["refused"] = refused.message
            else:
                messages.success(request, "The customer's personal data was erased; the figures are kept.")
                return redirect(reverse("web:customer-erase", kwargs={"customer_id": customer.pk}))
    plan = erasure_plan(customer)
    anonymised = (
        all(case.anonymised_at for case in plan.complaints) and customer.first_name == ANONYMISED_FIRST_NAME
    )
    context = {"customer": customer, "plan": plan, "errors": errors, "reason": reason, "done": anonymised}
    return render(request, "web/erase.html", context, status=400 if errors else 200)


urlpatterns = [path("customers/<int:customer_id>/erase", erase, name="customer-erase")]
