"""Letters on a case: write one from its template, send it, download it, mark it as posted.

The caseworker chooses the kind of letter (those the procedure calls for now
first), reads and edits the draft, sees who it goes to and how, and is shown
the customer's adjustments before the send button: large print is made for
them, an easy read version or another language is theirs to arrange. Sending
is one service call. Each showing of the letter form carries a one-time token
kept in the session (as logging a complaint does), so a double click, a
refresh or the back button never sends a letter twice.

An email that could not be delivered after every try is shown on the case
page with a "Try again" button, handled here too.
"""

from __future__ import annotations

import uuid
from typing import cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import CaseError, InvalidInput, NotFound
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaint_detail, complaint_for_user
from putright.comms.delivery import retry_failed
from putright.comms.email_selectors import failed_emails_for_case
from putright.comms.models import Letter, LetterKind, LetterStatus, OutboundEmail
from putright.comms.selectors import letters_for_case
from putright.comms.services import letters
from putright.procedure.wording import long_date
from putright.web.access import staff_user, staff_view
from putright.web.forms.letters import LetterForm, sentence

#: The session key of the letter forms' tokens: token -> id of the letter sent with it ("" while unused).
TOKENS = "letter-tokens"
#: Letter forms open at once in one session (several tabs) whose tokens are remembered.
KEEP_TOKENS = 20
EXPIRED = "This letter was already sent or the page has expired. Check the letter below and send it again."


def kind_slug(kind: LetterKind) -> str:
    """The kind as it reads in an address: stage1-response."""
    return kind.value.replace("_", "-")


def _kind(slug: str) -> LetterKind:
    try:
        return LetterKind(slug.replace("-", "_"))
    except ValueError as unknown:
        raise Http404(f"No kind of letter called {slug!r}.") from unknown


def _case(user: User, reference: str, *, detail: bool = False, sending: bool = True) -> Complaint:
    """The complaint, if the user may see it (else 404, whatever their role, as for the case page);
    then, for ``sending``, whether their role may send letters (else 403)."""
    try:
        complaint = (complaint_detail if detail else complaint_for_user)(user=user, reference=reference)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    if sending and not can(user, Capability.SEND_LETTERS):
        raise PermissionDenied("Your role does not allow sending letters.")
    return complaint


def _letters_url(complaint: Complaint) -> str:
    return reverse("web:case", kwargs={"reference": complaint.reference}) + "#letters"


# Choosing and writing a letter ----------------------------------------------


@staff_view()
def choose(request: HttpRequest, reference: str) -> HttpResponse:
    """The kinds of letter the case's facts allow now, those the procedure calls for first; the
    others are listed with why they cannot be written yet."""
    complaint = _case(staff_user(request), reference)
    choices = letters.letter_choices(complaint)
    context = {
        "complaint": complaint,
        "suggested": [(kind, kind_slug(kind)) for kind in choices.suggested],
        "others": [(kind, kind_slug(kind)) for kind in choices.others],
        "unavailable": [(kind, sentence(reason)) for kind, reason in choices.unavailable.items()],
    }
    return render(request, "web/letters/choose.html", context)


def _not_now(request: HttpRequest, complaint: Complaint, kind: LetterKind, reason: str) -> HttpResponse:
    """Back to the chooser, saying why this letter cannot be written now (nothing was sent)."""
    messages.error(request, f"{kind.label} cannot be written now. {sentence(reason)}.")
    return redirect("web:letter-new", reference=complaint.reference)


@staff_view()
def write(request: HttpRequest, reference: str, letter_kind: str) -> HttpResponse:
    """The draft to read and edit, who it goes to and how, what to honour; then send it, once.

    A kind the case's facts do not allow now (``availability``) goes back to the chooser
    with the reason, whether asked for by address or made unavailable by a step taken
    while the page was open."""
    user = staff_user(request)
    complaint = _case(user, reference, detail=True)
    kind = _kind(letter_kind)
    reason = letters.unavailable_reason(complaint, kind)
    if reason:
        return _not_now(request, complaint, kind, reason)
    try:
        return _write(request, complaint, kind, user)
    except InvalidInput as refused:
        if refused.field != "kind":
            raise
        return _not_now(request, complaint, kind, refused.detail)


def _write(request: HttpRequest, complaint: Complaint, kind: LetterKind, user: User) -> HttpResponse:
    if request.method != "POST":
        draft = letters.draft(complaint, kind)
        initial = {
            "subject": draft.subject,
            "body": draft.body,
            "template_id": draft.template.pk,
            "token": _issue_token(request),
        }
        return _page(request, complaint, draft, LetterForm(initial=initial))
    token = request.POST.get("token", "")
    tokens: dict[str, str] = request.session.get(TOKENS, {})
    if tokens.get(token):
        messages.info(request, "This letter was already sent: it was not sent twice.")
        return redirect(_letters_url(complaint))
    if token not in tokens:
        data = request.POST.copy()
        data["token"] = _issue_token(request)
        form = LetterForm(data)
        form.is_valid()
        form.add_error(None, EXPIRED)
        return _page(request, complaint, letters.draft(complaint, kind), form)
    form = LetterForm(request.POST)
    letter = _send(form, complaint, kind, user) if form.is_valid() else None
    if letter is None:
        return _page(request, complaint, letters.draft(complaint, kind), form)
    tokens[token] = str(letter.pk)
    request.session[TOKENS] = tokens
    messages.success(request, sent_message(letter))
    return redirect(_letters_url(complaint))


def _send(form: LetterForm, complaint: Complaint, kind: LetterKind, user: User) -> Letter | None:
    """Send the letter as edited; a refusal goes onto the form and nothing is sent."""
    data = form.cleaned_data
    try:
        return letters.send_letter(
            complaint.pk,
            kind,
            subject=data["subject"],
            body=data["body"],
            template_id=data["template_id"],
            actor=user,
        )
    except InvalidInput as refused:
        if refused.field == "kind":
            raise  # no longer available: ``write`` goes back to the chooser with why
        form.refuse(refused)
    except CaseError as refused:
        form.add_error(None, refused.message)
    return None


def sent_message(letter: Letter) -> str:
    name = letter.get_kind_display()
    if letter.status == LetterStatus.EMAILED:
        return f"{name} sent by email to {letter.email}."
    return f"{name} made. It is waiting to be posted: print it, post it, then mark it as posted."


def _issue_token(request: HttpRequest) -> str:
    token = uuid.uuid4().hex
    tokens: dict[str, str] = request.session.get(TOKENS, {})
    tokens[token] = ""
    request.session[TOKENS] = dict(list(tokens.items())[-KEEP_TOKENS:])
    return token


def _page(
    request: HttpRequest, complaint: Complaint, draft: letters.LetterDraft, form: LetterForm
) -> HttpResponse:
    context = {"complaint": complaint, "draft": draft, "form": form, "kind": draft.kind}
    return render(request, "web/letters/write.html", context, status=400 if form.errors else 200)


# A letter sent ----------------------------------------------------------------


def _letter(complaint: Complaint, letter_id: int) -> Letter:
    """One of the complaint's letters (a letter of another case is "not found", as that case is)."""
    found = next((letter for letter in letters_for_case(complaint) if letter.pk == letter_id), None)
    if found is None:
        raise Http404(f"No letter {letter_id} on complaint {complaint.reference}.")
    return found


@staff_view()
def pdf(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """The letter as sent, to anyone who may see the case (as its evidence files are)."""
    complaint = _case(staff_user(request), reference, sending=False)
    letter = _letter(complaint, letter_id)
    filename = f"{complaint.reference}-{kind_slug(LetterKind(letter.kind))}-{letter.sent_at:%Y-%m-%d}.pdf"
    response = FileResponse(
        letter.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    # A letter holds the customer's name and address: no copy is kept on the way.
    patch_cache_control(response, no_store=True, private=True)
    return cast(HttpResponse, response)


@staff_view()
def mark_posted(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """Record that a letter waiting to be posted has gone (a button on the case page)."""
    user = staff_user(request)
    complaint = _case(user, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    letter = _letter(complaint, letter_id)
    try:
        posted = letters.mark_posted(letter.pk, actor=user)
    except InvalidInput as refused:
        messages.info(request, sentence(refused.detail) + ".")
    except CaseError as refused:
        messages.error(request, refused.message)
    else:
        when = long_date(timezone.localdate(posted.posted_at or timezone.now()))
        messages.success(request, f"{posted.get_kind_display()} marked as posted on {when}.")
    return redirect(_letters_url(complaint))


# An email that could not be delivered ---------------------------------------


def _failed_email(complaint: Complaint, email_id: int) -> OutboundEmail:
    found = next((email for email in failed_emails_for_case(complaint) if email.pk == email_id), None)
    if found is None:
        raise Http404(f"No undelivered email {email_id} on complaint {complaint.reference}.")
    return found


@staff_view()
def retry_email(request: HttpRequest, reference: str, email_id: int) -> HttpResponse:
    """Put an email that failed after every try back in the outbox (the "Try again" button)."""
    user = staff_user(request)
    complaint = _case(user, reference)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        email = _failed_email(complaint, email_id)
    except Http404:
        # Already retried (a second click): say so rather than "not found".
        messages.info(request, "That email is no longer waiting to be tried again.")
        return redirect("web:case", reference=complaint.reference)
    try:
        retry_failed(email_id=email.pk, actor=user)
    except CaseError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"The email to {', '.join(email.to)} will be tried again in a moment.")
    return redirect("web:case", reference=complaint.reference)


urlpatterns = [
    path("complaints/<str:reference>/letters/new/", choose, name="letter-new"),
    path("complaints/<str:reference>/letters/new/<str:letter_kind>/", write, name="letter-write"),
    path("complaints/<str:reference>/letters/<int:letter_id>/pdf/", pdf, name="letter-pdf"),
    path("complaints/<str:reference>/letters/<int:letter_id>/posted/", mark_posted, name="letter-posted"),
    path("complaints/<str:reference>/emails/<int:email_id>/retry/", retry_email, name="email-retry"),
]
