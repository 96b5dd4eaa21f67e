"""Letter templates, for administrators: the words of every letter, versioned, with a preview on a real case.

A template is never changed in place: saving makes a new version, with a note
of what changed and why, so every letter sent can name the words it came
from. An edit based on a version that is no longer the newest (someone saved
meanwhile) is refused, with the newest one's number, rather than quietly
overwriting their change. The preview renders the words on a complaint the
administrator chooses (the most recent one they can see, unless they say);
htmx swaps it in below the editor, and without JavaScript the whole page
comes back with it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers

from putright.accounts.models import User
from putright.accounts.permissions import Capability
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaint_detail, complaints_for
from putright.comms.letters.selectors import newest_templates
from putright.comms.letters.services import templates
from putright.comms.models import LetterKind, LetterTemplate
from putright.web.access import staff_user, staff_view
from putright.web.forms.letters import TemplateForm
from putright.web.views.letters import kind_slug


def _kind(slug: str) -> LetterKind:
    try:
        return LetterKind(slug.replace("-", "_"))
    except ValueError as unknown:
        raise Http404(f"No kind of letter called {slug!r}.") from unknown


def _versions(kind: LetterKind) -> list[LetterTemplate]:
    """Every version of the kind's template, newest first, with who saved it (one query)."""
    return list(LetterTemplate.objects.filter(kind=kind).select_related("created_by").order_by("-version"))


@staff_view(Capability.EDIT_TEMPLATES)
def template_list(request: HttpRequest) -> HttpResponse:
    """Each kind of letter with the version letters are made from now."""
    newest = newest_templates()
    rows = [(kind, kind_slug(kind), newest[kind]) for kind in LetterKind]
    return render(request, "web/templates_admin/list.html", {"rows": rows})


@staff_view(Capability.EDIT_TEMPLATES)
def edit(request: HttpRequest, template_kind: str) -> HttpResponse:
    """The newest words to edit, the placeholders beside them, a preview, and "Save as new version"."""
    user = staff_user(request)
    kind = _kind(template_kind)
    newest = templates.current(kind)
    if request.method != "POST":
        initial = {
            "subject": newest.subject,
            "body": newest.body,
            "based_on": newest.version,
            "reference": _default_reference(user),
        }
        return _page(request, kind, newest, TemplateForm(initial=initial))
    form = TemplateForm(request.POST)
    if form.is_valid() and form.saving:
        saved = _save(form, kind, user)
        if saved is not None:
            messages.success(
                request, f"Version {saved.version} saved. {kind.label} letters are made from it from now on."
            )
            return redirect("web:template-edit", template_kind=template_kind)
        return _page(request, kind, newest, form)
    preview = _preview(form, kind, user) if form.is_valid() else None
    if _wants_fragment(request):
        # htmx swaps the preview alone, refusals included (it does not swap a 400 answer).
        context = {"preview": preview, "form": form, "kind": kind, "fragment": True}
        response = render(request, "web/templates_admin/_preview.html", context)
        patch_vary_headers(response, ["HX-Request"])
        return response
    return _page(request, kind, newest, form, preview)


def _save(form: TemplateForm, kind: LetterKind, user: User) -> LetterTemplate | None:
    data = form.cleaned_data
    try:
        return templates.save_version(
            kind,
            subject=data["subject"],
            body=data["body"],
            note=data["note"],
            based_on=data["based_on"],
            actor=user,
        )
    except InvalidInput as refused:
        form.refuse(refused)
    except CaseError as refused:
        form.add_error(None, refused.message)
    return None


def _preview(form: TemplateForm, kind: LetterKind, user: User) -> dict[str, Any] | None:
    """The words rendered on the chosen complaint; a refusal goes onto the form."""
    data = form.cleaned_data
    reference = data["reference"].strip() or _default_reference(user)
    if not reference:
        form.add_error("reference", "There is no complaint you can see to preview the letter on")
        return None
    try:
        complaint = complaint_detail(user=user, reference=reference)
    except NotFound:
        form.add_error(
            "reference", f"There is no complaint {reference} that you can see: check the reference"
        )
        return None
    try:
        subject, body = templates.preview(
            kind, subject=data["subject"], body=data["body"], complaint=complaint
        )
    except InvalidInput as refused:
        form.refuse(refused)
        return None
    return {"complaint": complaint, "subject": subject, "paragraphs": _paragraphs(body)}


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _default_reference(user: User) -> str:
    """The most recent complaint the administrator can see: a real case to preview on."""
    latest: Complaint | None = complaints_for(user).order_by("-received_at", "-pk").only("reference").first()
    return latest.reference if latest else ""


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _page(
    request: HttpRequest,
    kind: LetterKind,
    newest: LetterTemplate,
    form: TemplateForm,
    preview: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "kind": kind,
        "slug": kind_slug(kind),
        "newest": newest,
        "form": form,
        "preview": preview,
        "placeholders": sorted(templates.placeholders(kind).items()),
        "versions": _versions(kind),
    }
    response = render(request, "web/templates_admin/edit.html", context, status=400 if form.errors else 200)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_view(Capability.EDIT_TEMPLATES)
def version(request: HttpRequest, template_kind: str, version: int) -> HttpResponse:
    """One version as it was saved: its words, who saved it, when and why."""
    kind = _kind(template_kind)
    found = next((v for v in _versions(kind) if v.version == version), None)
    if found is None:
        raise Http404(f"No version {version} of the {kind.label} template.")
    context = {
        "kind": kind,
        "slug": kind_slug(kind),
        "template": found,
        "paragraphs": _paragraphs(found.body),
        "edit_url": reverse("web:template-edit", kwargs={"template_kind": kind_slug(kind)}),
    }
    return render(request, "web/templates_admin/version.html", context)


urlpatterns = [
    path("templates/", template_list, name="templates"),
    path("templates/<str:template_kind>/", edit, name="template-edit"),
    path("templates/<str:template_kind>/versions/<int:version>/", version, name="template-version"),
]
