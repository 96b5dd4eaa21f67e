"""Letterheads, for administrators: each organisation's contact details and logo, as letters print them.

A blank detail is not a gap in a letter: it is taken from the organisation's
group (``accounts.contact``), and the page says so beside the field. A letter
that would still print a blank is refused when it is sent, with a link here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from putright.accounts.contact import DETAILS, LogoRefused, contact_details, update_contact_details
from putright.accounts.models import Organisation
from putright.accounts.permissions import Capability
from putright.web.access import staff_view
from putright.web.forms.organisations import LetterheadForm


def _organisations() -> list[Organisation]:
    return list(Organisation.objects.select_related("parent").order_by("name"))


@staff_view(Capability.EDIT_TEMPLATES)
def organisation_list(request: HttpRequest) -> HttpResponse:
    """Every organisation with what its letters print, and the details it still lacks."""
    rows = []
    for organisation in _organisations():
        details = contact_details(organisation)
        missing = [words for name, words in DETAILS.items() if not getattr(details, name)]
        rows.append((organisation, details, missing))
    return render(request, "web/organisations/list.html", {"rows": rows})


@staff_view(Capability.EDIT_TEMPLATES)
def edit(request: HttpRequest, short_name: str) -> HttpResponse:
    """The organisation's own details and logo; each blank one shows what its group gives instead."""
    organisation = Organisation.objects.select_related("parent").filter(short_name=short_name).first()
    if organisation is None:
        raise Http404(f"No organisation {short_name!r}.")
    if request.method != "POST":
        initial = {name: getattr(organisation, name) for name in DETAILS}
        return _page(request, organisation, LetterheadForm(initial=initial))
    form = LetterheadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            update_contact_details(
                organisation,
                address=data["address"],
                phone=data["phone"],
                email=data["email"],
                website=data["website"],
                logo=form.logo_upload(),
                remove_logo=data["remove_logo"],
            )
        except LogoRefused as refused:
            form.add_error("logo", str(refused))
        else:
            saved = f"{organisation.name}'s letterhead is saved. Letters print it from now on."
            messages.success(request, saved)
            return redirect("web:organisation-edit", short_name=organisation.short_name)
    return _page(request, organisation, form)


def _page(request: HttpRequest, organisation: Organisation, form: LetterheadForm) -> HttpResponse:
    parent = contact_details(organisation.parent) if organisation.parent else None
    for name in DETAILS:
        theirs = getattr(parent, name, "") if parent else ""
        form.fields[name].help_text = (
            f"Leave it blank to print {parent.name}'s: {' '.join(theirs.split())}"
            if parent and theirs
            else "Letters cannot be sent while this is blank and the group has none either"
        )
    context = {
        "organisation": organisation,
        "form": form,
        "group": parent,
        "details": contact_details(organisation),
    }
    return render(request, "web/organisations/edit.html", context, status=400 if form.errors else 200)


urlpatterns = [
    path("organisations/", organisation_list, name="organisations"),
    path("organisations/<str:short_name>/", edit, name="organisation-edit"),
]
