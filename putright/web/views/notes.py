"""Internal notes on a case: written from the case page, shown only in the workspace."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from putright.accounts.models import User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaint_for_user
from putright.cases.services import notes
from putright.web.access import staff_user, staff_view
from putright.web.forms.notes import NoteForm


@staff_view(capability=Capability.WRITE_NOTES)
def add_note(request: HttpRequest, reference: str) -> HttpResponse:
    """The note form (also on the case page); a valid note is kept and its colleagues told."""
    user = staff_user(request)
    complaint = _complaint(user, reference)
    if request.method != "POST":
        form = NoteForm(complaint=complaint, user=user)
        return render(request, "web/cases/note.html", {"complaint": complaint, "form": form})
    form = NoteForm(request.POST, complaint=complaint, user=user)
    if form.is_valid():
        try:
            note = notes.add_note(complaint, text=form.cleaned_data["text"], tell=form.told(), actor=user)
        except InvalidInput as refused:
            form.refuse(refused)
        else:
            told = ", ".join(str(u) for u in note.mentioned.all())
            messages.success(request, f"Note added{f': {told} emailed' if told else ''}.")
            return redirect(reverse("web:case", kwargs={"reference": complaint.reference}) + "#notes")
    return render(request, "web/cases/note.html", {"complaint": complaint, "form": form}, status=400)


def _complaint(user: User, reference: str) -> Complaint:
    try:
        return complaint_for_user(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing


urlpatterns = [path("complaints/<str:reference>/notes/", add_note, name="case-note")]
