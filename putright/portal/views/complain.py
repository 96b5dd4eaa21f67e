"""The start page and the complaint form: one question a page, check your answers, send, confirmation.

The session holds only the key of the visitor's draft; the answers are on the
server (``putright.portal.drafts``). A draft is made by the first answer saved,
so a visitor who only looks stores nothing. Sending is one transaction and is
idempotent: a double click, Back and Send again, or a resubmitted form all
reach the confirmation of the one complaint the draft made.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.policies import current_policy, rules_for
from putright.cases.references import new_reference
from putright.cases.services.evidence import allowed_types, read_limited
from putright.design.sizes import upload_limit_words
from putright.portal import drafts
from putright.portal.access import send_link_email
from putright.portal.forms.answers import Context, submission
from putright.portal.forms.complain import (
    BY_SLUG,
    QUESTIONS,
    EvidenceForm,
    QuestionForm,
    SendForm,
    asked,
    first_unanswered,
)
from putright.portal.limits import RateLimited, client_address
from putright.portal.models import Draft
from putright.portal.selectors import landlord_phone, ombudsman_details
from putright.procedure.calendar import LONDON
from putright.procedure.policy import ExclusionReason, Period
from putright.procedure.wording import moment_of

#: Session key: the key of the draft being written (and, once sent, of the complaint it made).
DRAFT = "portal-draft"
#: How each signposted exclusion sends a person to the right place.
SIGNPOSTS = {
    ExclusionReason.FIRST_REQUEST_FOR_SERVICE: (
        "To ask for a repair or another service for the first time, contact"
    ),
    ExclusionReason.NEIGHBOUR_OR_ASB: "To report a problem with a neighbour or another resident, contact the",
}
#: The parts of "Check your answers", by the first question of each.
SECTIONS = {"who": "About you", "about": "Your complaint", "evidence": "Files"}


# The start page


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """What can and cannot be complained about, where else to go, what happens next."""
    policy = current_policy().policy
    eligibility = policy.eligibility
    found = drafts.landlords()
    context = {
        "reasons": eligibility.reasons_to_complain,
        "exclusions": eligibility.exclusions,
        "signposts": [
            (SIGNPOSTS.get(e.reason, "Instead, contact"), e.signpost)
            for e in eligibility.exclusions
            if e.signpost
        ],
        # "24 working hours", without the anchor ("from receipt") the Clock's own words add.
        "contact_period": Period.describe(policy.stage1.contact),
        "response_period": Period.describe(policy.stage1.response),
        "landlord": found[0] if len(found) == 1 else None,
        "file_types": allowed_types(),
        "file_size": upload_limit_words(),
        "ombudsman": ombudsman_details(policy),
    }
    return render(request, "portal/start.html", context)


@require_GET
def begin(request: HttpRequest) -> HttpResponse:
    """ "Start now": carry on with the draft being written, or begin a new one after a sent one."""
    draft = _draft(request)
    if draft is not None and draft.complaint_id is not None:
        del request.session[DRAFT]
    return redirect("portal:question", slug=QUESTIONS[0].slug)


# The questions


@require_http_methods(["GET", "POST"])
def question(request: HttpRequest, slug: str) -> HttpResponse:
    """One question: shown with its saved answer; Continue saves it (only if valid) and moves on."""
    form_class = BY_SLUG.get(slug)
    if form_class is None:
        raise Http404("No such question.")
    draft = _draft(request)
    if draft is not None and draft.complaint_id is not None:
        return _to_confirmation()
    context = _context(draft)
    change = "change" in request.GET
    if not form_class.applies(context):
        return redirect(_after(context, slug, change))
    if request.method != "POST":
        form = form_class(initial=context.answers.get(slug, {}), context=context)
        return _page(request, form, draft, change)
    form = form_class(request.POST, request.FILES, context=context)
    if form.trapped:
        return redirect(_after(context, slug, change))  # As if saved; nothing is.
    if isinstance(form, EvidenceForm):
        return _evidence(request, form, draft, change)
    if not form.is_valid():
        return _page(request, form, draft, change, status=400)
    if draft is None:
        try:
            draft = _start(request, {slug: form.answers()})
        except RateLimited as limited:
            return _too_many(request, limited, context, doing="start a complaint", saved=False)
    else:
        drafts.save_page(draft, slug, form.answers())  # writes only what changed
    return redirect(_after(_with_answers(context, draft), slug, change))


def _evidence(request: HttpRequest, form: QuestionForm, draft: Draft | None, change: bool) -> HttpResponse:
    """Upload one file (and stay to add another), or carry on; a refused file keeps every answer."""
    form.is_valid()
    upload = request.FILES.get("file")
    uploading = request.POST.get("action") == "upload"
    if upload is None and uploading:
        form.add_error("file", "Select a file to upload")
        return _page(request, form, draft, change, status=400)
    try:
        draft = draft or _start(request)
        if upload is not None:
            content = read_limited(upload, settings.PUTRIGHT_MAX_UPLOAD_BYTES)
            kept = drafts.add_file(draft, upload.name or "", content, address=client_address(request))
    except RateLimited as limited:
        return _too_many(request, limited, form.context, doing="add a file", saved=draft is not None)
    except InvalidInput as refused:
        form.refuse(refused)
        return _page(request, form, draft, change, status=400)
    if upload is not None:
        messages.success(request, f"{kept.name} uploaded")
        if uploading:
            return redirect(_url(EvidenceForm.slug, change))
    drafts.save_page(draft, EvidenceForm.slug, {})
    return redirect(_after(_with_answers(form.context, draft), EvidenceForm.slug, change))


@require_POST
def remove_file(request: HttpRequest, file_id: int) -> HttpResponse:
    """Take one file off this session's draft (a file of another draft is never found)."""
    draft = _draft(request)
    removed = drafts.remove_file(draft, file_id) if draft is not None and draft.complaint_id is None else None
    if removed is not None:
        messages.success(request, f"{removed.name} removed")
    return redirect(_url(EvidenceForm.slug, request.POST.get("change") == "1"))


# Check your answers, and send


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Every answer with its Change link; Send stores the complaint once, however often it is pressed."""
    draft = _draft(request)
    if draft is None:
        return redirect("portal:question", slug=QUESTIONS[0].slug)
    if draft.complaint_id is not None:
        return _to_confirmation()
    context = _context(draft)
    missing = first_unanswered(context)
    if missing is not None:
        return redirect("portal:question", slug=missing.slug)
    if request.method != "POST":
        return _check_page(request, SendForm(context=context), draft, context)
    form = SendForm(request.POST, context=context)
    if form.trapped:
        return _pretend_sent(request, draft, context)
    return _send(request, form, draft, context)


def _send(request: HttpRequest, form: SendForm, draft: Draft, context: Context) -> HttpResponse:
    """Store the complaint (or find the one already stored), email its link, show the confirmation."""
    try:
        sent = submission(context)
        # One transaction: the complaint and the email with its private link are stored together.
        with transaction.atomic():
            complaint, made = drafts.submit(draft, sent, address=client_address(request))
            if made and sent.email:
                send_link_email(request, complaint, sent.email)
    except RateLimited as limited:
        return _too_many(request, limited, context)
    except InvalidInput as refused:
        form.refuse(refused)
        return _check_page(request, form, draft, context, status=400)
    return _to_confirmation()


def _to_confirmation() -> HttpResponse:
    """The confirmation of the complaint this session's draft made (found by the draft's key).

    Nothing is written to the session: the key it holds already leads to the
    complaint, and on SQLite a session write after the Send is one more wait
    for the database's one writer.
    """
    return redirect("portal:sent")


def _pretend_sent(request: HttpRequest, draft: Draft, context: Context) -> HttpResponse:
    """A filled honeypot: the same confirmation a person would see, and nothing kept."""
    organisation = context.landlords[0] if context.landlords else None
    drafts.discard(draft)
    request.session.pop(DRAFT, None)
    page = {"reference": new_reference(), "promise": drafts.promise_now(organisation), "email": ""}
    return render(request, "portal/complain/sent.html", {**page, **_next_steps()})


def _too_many(
    request: HttpRequest,
    limited: RateLimited,
    context: Context,
    *,
    doing: str = "send your complaint",
    saved: bool = True,
) -> HttpResponse:
    """Over a rate limit: when to try again and a phone number; a draft already begun is kept."""
    chosen = context.answer("landlord", "organisation")
    landlord = next((o for o in context.landlords if o.pk == chosen or len(context.landlords) == 1), None)
    page = {
        "retry_at": moment_of(limited.retry_at, LONDON),
        "phone": landlord_phone(landlord),
        "doing": doing,
        "saved": saved,
    }
    return render(request, "portal/complain/too_many.html", page, status=429)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """The confirmation, only for the session that sent the complaint."""
    key = request.session.get(DRAFT)
    complaint = (
        Complaint.objects.select_related("policy", "organisation", "customer", "representative")
        .filter(draft__key=key)
        .first()
        if key
        else None
    )
    if complaint is None:
        return redirect("portal:start")
    person = complaint.representative or complaint.customer
    page = {
        "reference": complaint.reference,
        "promise": drafts.promise_for(complaint),
        "email": person.email,
        # Someone acting for a tenant follows the complaint with the tenant's postcode and surname.
        "complained_for": complaint.customer.full_name if complaint.representative else "",
    }
    return render(request, "portal/complain/sent.html", {**page, **_next_steps(complaint)})


# Helpers


def _draft(request: HttpRequest) -> Draft | None:
    return drafts.find(request.session.get(DRAFT))


def _start(request: HttpRequest, answers: dict[str, dict[str, Any]] | None = None) -> Draft:
    """A new draft for this session, with its first answers (RateLimited if its address began too many)."""
    draft = drafts.start(address=client_address(request), answers=answers)
    request.session[DRAFT] = draft.key  # the last confirmation is no longer shown to whoever comes next
    return draft


def _context(draft: Draft | None) -> Context:
    eligibility = current_policy().policy.eligibility
    return Context(
        answers=draft.answers if draft is not None else {},
        landlords=drafts.landlords(),
        reasons=eligibility.reasons_to_complain,
        time_limit_months=eligibility.time_limit_months,
        today=timezone.localdate(),
    )


def _with_answers(context: Context, draft: Draft) -> Context:
    """The context with the draft's answers as just saved (the landlords and the policy as read already)."""
    return replace(context, answers=draft.answers)


def _url(slug: str, change: bool = False) -> str:
    url = reverse("portal:check") if slug == SendForm.slug else reverse("portal:question", args=[slug])
    return f"{url}?change=1" if change and slug != SendForm.slug else url


def _after(context: Context, slug: str, change: bool) -> str:
    """Where Continue leads: the next question, or, after a change, the first one still unanswered."""
    questions = asked(context)
    if change:
        missing = first_unanswered(context)
        return _url(missing.slug, True) if missing else _url(SendForm.slug)
    slugs = [q.slug for q in QUESTIONS]
    later = [q for q in questions if slugs.index(q.slug) > slugs.index(slug)]
    return _url(later[0].slug) if later else _url(SendForm.slug)


def _before(context: Context, slug: str, change: bool) -> str:
    """Where Back leads: the previous question asked, or the start page before the first."""
    if change:
        return _url(SendForm.slug)
    slugs = [q.slug for q in QUESTIONS]
    earlier = [q for q in asked(context) if slugs.index(q.slug) < slugs.index(slug)]
    return _url(earlier[-1].slug) if earlier else reverse("portal:start")


def _page(
    request: HttpRequest, form: QuestionForm, draft: Draft | None, change: bool, *, status: int = 200
) -> HttpResponse:
    page: dict[str, Any] = {
        "form": form,
        "single": len(form.questions()) == 1 and form.heading() == form.questions()[0].label,
        "back_url": _before(form.context, form.slug, change),
        "change": change,
    }
    if isinstance(form, EvidenceForm):
        page["files"] = list(draft.files.all()) if draft is not None else []
        page["max_size"] = upload_limit_words()
        page["file_types"] = allowed_types()
        page["max_files"] = drafts.MAX_FILES
    return render(request, form.template_name_page, page, status=status)


def _check_page(
    request: HttpRequest, form: SendForm, draft: Draft, context: Context, *, status: int = 200
) -> HttpResponse:
    sections: list[dict[str, Any]] = []
    for question_class in asked(context):
        if question_class.slug in SECTIONS:
            sections.append({"title": SECTIONS[question_class.slug], "rows": []})
        change = _url(question_class.slug, True)
        for key, value in question_class.rows(context.answers[question_class.slug], context):
            sections[-1]["rows"].append({"key": key, "value": value, "change": change})
    page = {
        "form": form,
        "sections": sections,
        "files": list(draft.files.all()),
        "evidence_url": _url(EvidenceForm.slug, True),
    }
    return render(request, "portal/complain/check.html", page, status=status)


def _next_steps(complaint: Complaint | None = None) -> dict[str, Any]:
    """How to reach the Ombudsman: under the complaint's own policy, or the one in force."""
    policy = rules_for(complaint).policy if complaint is not None else current_policy().policy
    return {"ombudsman": ombudsman_details(policy)}


urlpatterns = [
    path("", start, name="start"),
    path("complain/", begin, name="complain"),
    path("complain/check-your-answers/", check, name="check"),
    path("complain/sent/", sent, name="sent"),
    path("complain/evidence/remove/<int:file_id>/", remove_file, name="remove-file"),
    path("complain/<slug:slug>/", question, name="question"),
]
