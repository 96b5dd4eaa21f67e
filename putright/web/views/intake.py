"""Logging a complaint taken by phone, letter, email or in person.

One page: find the customer (or add one), who acts for them, and the
complaint. The customer, their representative and the complaint are stored
in one transaction, so a complaint the service refuses leaves no customer
behind. Each showing of the form carries a one-time token kept in the
session: a second post of the same form (a double click, a refresh, the back
button) goes to the complaint already logged instead of logging it twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Customer, Representative
from putright.cases.policies import current_policy
from putright.cases.selectors.access import access_representative
from putright.cases.selectors.customers import (
    SEARCH_LIMIT,
    customer_to_log_for,
    find_customers,
    organisations_to_log_for,
)
from putright.cases.services.customers import add_representative, create_customer
from putright.cases.services.intake import log_complaint as log
from putright.cases.services.intake import logged_with
from putright.web.access import staff_user, staff_view
from putright.web.forms.intake import NEW_REPRESENTATIVE, NO_REPRESENTATIVE, LogComplaintForm

#: The session key of the form tokens: token -> reference logged with it ("" while unused).
TOKENS = "log-complaint-tokens"
#: Forms open at once in one session (several tabs) whose tokens are remembered.
KEEP_TOKENS = 20
EXPIRED = "This form was already sent or has expired. Check the details below and log the complaint again."


@staff_view(Capability.LOG_COMPLAINT)
def log_complaint(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    chosen = _chosen_customer(request, user)
    if request.method == "POST":
        return _post(request, user, chosen)
    form = _form(user, chosen, initial={"token": _issue_token(request)})
    return _page(request, form, chosen)


@staff_view(Capability.LOG_COMPLAINT)
def customer_results(request: HttpRequest) -> HttpResponse:
    """The search results alone, for htmx to show as the caseworker types."""
    query = request.GET.get("q", "").strip()
    results = find_customers(user=staff_user(request), text=query) if query else None
    context = {"query": query, "results": results, "limit": SEARCH_LIMIT}
    return render(request, "web/intake/customer_results.html", context)


def _post(request: HttpRequest, user: User, chosen: Customer | None) -> HttpResponse:
    token = request.POST.get("token", "")
    tokens: dict[str, str] = request.session.get(TOKENS, {})
    already = logged_with(token)
    if already is not None:
        return _logged_once(request, already)
    if token not in tokens:
        data = request.POST.copy()
        data["token"] = _issue_token(request)
        form = _form(user, chosen, data=data)
        form.is_valid()
        form.add_error(None, EXPIRED)
        return _page(request, form, chosen)
    form = _form(user, chosen, data=request.POST)
    try:
        complaint = _log(form, user, chosen, token) if form.is_valid() else None
    except IntegrityError:
        # Two posts of one form at once (a double click): the other one logged it.
        already = logged_with(token)
        if already is None:
            raise
        return _logged_once(request, already)
    if complaint is None:
        return _page(request, form, chosen)
    tokens[token] = complaint.reference
    request.session[TOKENS] = tokens
    messages.success(request, f"Complaint {complaint.reference} logged. It is waiting for triage.")
    return redirect("web:case", reference=complaint.reference)


def _logged_once(request: HttpRequest, complaint: Complaint) -> HttpResponse:
    messages.info(
        request, f"This complaint was already logged as {complaint.reference}: it was not logged twice."
    )
    return redirect("web:case", reference=complaint.reference)


def _log(form: LogComplaintForm, user: User, chosen: Customer | None, token: str) -> Complaint | None:
    """Store the customer, their representative and the complaint together, or nothing at all.

    The form's one-time token is stored on the complaint (unique), so a second
    post racing the first fails as a whole, new customer included.
    """
    data = form.cleaned_data
    organisation = next(o for o in form.organisations if o.pk == data["organisation"])
    try:
        with transaction.atomic():
            customer = chosen or _new_customer(form, organisation)
            return log(
                organisation=organisation,
                customer=customer,
                representative=_representative(form, customer),
                channel=data["channel"],
                received_at=data["received_at"],
                matter_date=data["matter_date"],
                became_aware_on=data["became_aware_on"],
                category=data["category"],
                summary=data["summary"],
                description=data["description"],
                points=form.point_lines(),
                desired_outcome=data["desired_outcome"],
                actor=user,
                submission_key=token,
            )
    except InvalidInput as refused:
        form.refuse_from_service(refused)
        return None


def _new_customer(form: LogComplaintForm, organisation: Organisation) -> Customer:
    data = form.cleaned_data
    return create_customer(
        organisation=organisation,
        title=data["title"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        email=data["email"],
        phone=data["phone"],
        address=data["address"],
        postcode=data["postcode"],
        tenure=data["tenure"],
        tenancy_reference=data["tenancy_reference"],
        preferred_contact=data["preferred_contact"],
        preferred_contact_time=data["preferred_contact_time"],
        adjustments=form.chosen_adjustments(),
    )


def _representative(form: LogComplaintForm, customer: Customer) -> Representative | None:
    data = form.cleaned_data
    choice = data["representative"]
    if choice == NO_REPRESENTATIVE:
        return None
    if choice != NEW_REPRESENTATIVE:
        return access_representative(customer=customer, representative_id=int(choice), field="representative")
    return add_representative(
        customer=customer,
        name=data["rep_name"],
        kind=data["rep_kind"],
        role=data["rep_role"],
        email=data["rep_email"] or "",
        phone=data["rep_phone"],
        consent_given_at=data["consent_given_at"],
        consent_how=data["consent_how"],
    )


def _chosen_customer(request: HttpRequest, user: User) -> Customer | None:
    """The existing customer picked from the search (in the address, then in the form)."""
    raw = request.POST.get("customer") if request.method == "POST" else request.GET.get("customer")
    if not raw:
        return None
    found = customer_to_log_for(user=user, customer_id=int(raw)) if raw.isdigit() else None
    if found is None:
        raise Http404("No such customer among those you can see.")
    return found


def _form(user: User, chosen: Customer | None, **kwargs: Any) -> LogComplaintForm:
    return LogComplaintForm(
        organisations=organisations_to_log_for(user),
        reasons=current_policy().policy.eligibility.reasons_to_complain,
        customer=chosen,
        **kwargs,
    )


def _issue_token(request: HttpRequest) -> str:
    token = uuid.uuid4().hex
    tokens: dict[str, str] = request.session.get(TOKENS, {})
    tokens[token] = ""
    request.session[TOKENS] = dict(list(tokens.items())[-KEEP_TOKENS:])
    return token


def _page(request: HttpRequest, form: LogComplaintForm, chosen: Customer | None) -> HttpResponse:
    query = request.GET.get("q", "").strip() if chosen is None else ""
    results = find_customers(user=staff_user(request), text=query) if query else None
    context = {"form": form, "chosen": chosen, "query": query, "results": results, "limit": SEARCH_LIMIT}
    return render(request, "web/intake/log.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("log/", log_complaint, name="log-complaint"),
    path("log/customers/", customer_results, name="log-complaint-customers"),
]
