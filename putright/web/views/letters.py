"""Letters on a case: write one from its template, send it, download it, mark it as posted.

The caseworker chooses the kind of letter (those the procedure calls for now
first, and only those their role sends: ``comms.rights``), reads and edits the
draft, sees who it goes to and how, and is shown the customer's adjustments
above the draft: large print is made for them, an easy read version or
another language is theirs to arrange. Sending is one service call.

Each showing of the letter form carries a one-time token, and the letter is
stored under it (``Letter.idempotency_key``): a double click, a refresh, the
back button or a form posted again days later finds the letter already sent
and sends nothing more, even when two posts arrive together. The form also
carries the case's version: a step taken while the page was open (an
extension: new dates) refuses the send and shows the new draft beside the
caseworker's words. A letter that cannot be written any more is refused on
the same page, the caseworker's words kept for them to copy.

An email that could not be delivered after every try is shown on the case
page with a "Try again" button, handled here too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import CaseError, InvalidInput, NotFound, StaleCase
from putright.cases.models import Complaint
from putright.cases.selectors.complaints import complaint_detail, complaint_for_user
from putright.comms.email.delivery import retry_failed
from putright.comms.email.selectors import failed_emails_for_case
from putright.comms.letters import rights
from putright.comms.letters.selectors import letter_on_case
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind, LetterStatus, OutboundEmail
from putright.downloads import private_file
from putright.procedure.wording import long_date
from putright.web.access import staff_user, staff_view
from putright.web.forms.letters import HIDDEN_ERRORS, LetterForm, new_token, sentence

#: Said when a form already used is sent again: the letter went once.
SENT_ONCE = "{name} was already sent from this page. It was sent once, not twice."
#: Said when a step changed the case while the letter was open.
STALE = (
    "The complaint changed while you were writing this letter (you saw version {seen}, it is now "
    "version {now}), so its dates may have changed. Nothing was sent. The new draft is below, beside "
    "the words you wrote: make your changes to the new draft, then send it"
)


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
    """The kinds of letter the user's role sends and the case's facts allow now, those the procedure
    calls for first; the others their role sends are listed with why they cannot be written yet."""
    user = staff_user(request)
    complaint = _case(user, reference)
    choices = letters.letter_choices(complaint, actor=user)
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

    A kind the user's role does not send is forbidden (403). Opened for a kind the
    case's facts do not allow now (``availability``), it goes back to the chooser
    with the reason; sent when a step has made it unavailable meanwhile, the page
    says why and keeps the caseworker's words, with nothing to send."""
    user = staff_user(request)
    complaint = _case(user, reference, detail=True)
    kind = _kind(letter_kind)
    if not letters.may_send(user, complaint, kind):
        raise PermissionDenied(sentence(rights.why_not_yours(kind, rights.needed(kind, complaint.stage))))
    if request.method == "POST":
        return _post(request, complaint, kind, user)
    reason = letters.unavailable_reason(complaint, kind)
    draft = None
    try:
        draft = None if reason else letters.draft(complaint, kind, actor=user)
    except InvalidInput as refused:
        if refused.field != "kind":
            raise
        reason = refused.detail
    if draft is None:
        return _not_now(request, complaint, kind, reason)
    return _page(request, complaint, kind, draft, LetterForm(initial=_fresh(draft, new_token())))


def _fresh(draft: letters.LetterDraft, token: str) -> dict[str, Any]:
    """The form's values for a draft just made."""
    return {
        "subject": draft.subject,
        "body": draft.body,
        "template_id": draft.template.pk,
        "token": token,
        "version": draft.version,
    }


def _post(request: HttpRequest, complaint: Complaint, kind: LetterKind, user: User) -> HttpResponse:
    earlier = letters.sent_with(request.POST.get("token", ""))
    if earlier is not None and earlier.complaint_id == complaint.pk:
        return _sent(request, complaint, earlier, repeat=True)
    reason = letters.unavailable_reason(complaint, kind)
    if reason:
        return _blocked(request, complaint, kind, reason)
    form = LetterForm(request.POST)
    if not form.is_valid():
        return _again(request, complaint, kind, user, form)
    data = form.cleaned_data
    try:
        letter = letters.send_letter(
            complaint.pk,
            kind,
            subject=data["subject"],
            body=data["body"],
            template_id=data["template_id"],
            actor=user,
            idempotency_key=data["token"],
            expected_version=data["version"],
        )
    except rights.NotYourLetter as refused:
        raise PermissionDenied(sentence(refused.message)) from refused
    except StaleCase as stale:
        return _stale(request, complaint, kind, user, form, stale)
    except InvalidInput as refused:
        if refused.field == "kind":  # no longer available: a step was taken meanwhile
            return _blocked(request, complaint, kind, refused.detail)
        form.refuse(refused)
    except CaseError as refused:
        form.add_error(None, refused.message)
    else:
        return _sent(request, complaint, letter, repeat=letters.is_repeat(letter))
    return _page(request, complaint, kind, letters.draft(complaint, kind, actor=user), form)


def _sent(request: HttpRequest, complaint: Complaint, letter: Letter, *, repeat: bool) -> HttpResponse:
    if repeat:
        messages.info(request, SENT_ONCE.format(name=letter.get_kind_display()))
    else:
        messages.success(request, sent_message(letter))
    return redirect(_letters_url(complaint))


def _again(
    request: HttpRequest, complaint: Complaint, kind: LetterKind, user: User, form: LetterForm
) -> HttpResponse:
    """The form shown again with its errors. A hidden field that was missing or spoilt is given a
    good value (a new token, the draft's template and version), so that sending it again can work."""
    draft = letters.draft(complaint, kind, actor=user)
    spoilt = [name for name in HIDDEN_ERRORS if name not in form.cleaned_data]
    if spoilt:
        data = request.POST.copy()
        fresh = _fresh(draft, new_token())
        for name in spoilt:
            data[name] = str(fresh[name])
        form.data = data  # the page shows these; its errors stay those of what was sent
    return _page(request, complaint, kind, draft, form)


def _stale(
    request: HttpRequest,
    complaint: Complaint,
    kind: LetterKind,
    user: User,
    form: LetterForm,
    stale: StaleCase,
) -> HttpResponse:
    """A step was taken while the page was open: nothing sent; the new draft, and the caseworker's
    words beside it to redo their changes from."""
    try:
        draft = letters.draft(complaint, kind, actor=user)
    except InvalidInput as refused:
        if refused.field != "kind":
            raise
        return _blocked(request, complaint, kind, refused.detail)
    fresh = LetterForm(_fresh(draft, form.cleaned_data["token"]))
    fresh.is_valid()
    fresh.add_error(None, STALE.format(seen=stale.expected, now=stale.actual))
    words = {"subject": form.cleaned_data["subject"], "body": form.cleaned_data["body"]}
    return _page(request, complaint, kind, draft, fresh, words=words, status=409)


def _blocked(request: HttpRequest, complaint: Complaint, kind: LetterKind, reason: str) -> HttpResponse:
    """The letter cannot be written any more: nothing sent; why, and the caseworker's words to copy."""
    form = LetterForm(request.POST)
    form.full_clean()
    form.errors.clear()  # what matters is why it cannot be sent, not what else is amiss
    form.add_error(None, f"{kind.label} cannot be sent now. {sentence(reason)}. Nothing was sent")
    words = {"subject": request.POST.get("subject", ""), "body": request.POST.get("body", "")}
    return _page(request, complaint, kind, None, form, words=words, status=409)


def sent_message(letter: Letter) -> str:
    name = letter.get_kind_display()
    if letter.status == LetterStatus.EMAILED:
        return f"{name} sent by email to {letter.email}."
    return f"{name} made. It is waiting to be posted: print it, post it, then mark it as posted."


def _page(
    request: HttpRequest,
    complaint: Complaint,
    kind: LetterKind,
    draft: letters.LetterDraft | None,
    form: LetterForm,
    *,
    words: dict[str, str] | None = None,
    status: int | None = None,
) -> HttpResponse:
    """The write page: with a draft, the form to send; without one (``blocked``), the caseworker's
    ``words`` only, read-only; with both, the new draft beside the words they had written."""
    context = {"complaint": complaint, "draft": draft, "form": form, "kind": kind, "words": words}
    if status is None:
        status = 400 if form.errors else 200
    return render(request, "web/letters/write.html", context, status=status)


# A letter sent ----------------------------------------------------------------


def _letter(complaint: Complaint, letter_id: int) -> Letter:
    """One of the complaint's letters (a letter of another case is "not found", as that case is)."""
    found = letter_on_case(complaint.pk, letter_id)
    if found is None:
        raise Http404(f"No letter {letter_id} on complaint {complaint.reference}.")
    return found


@staff_view()
def pdf(request: HttpRequest, reference: str, letter_id: int) -> HttpResponse:
    """The letter as sent, to anyone who may see the case (as its evidence files are)."""
    complaint = _case(staff_user(request), reference, sending=False)
    letter = _letter(complaint, letter_id)
    try:
        name = letters.letter_filename(letter)
        return private_file(letter.pdf, filename=name, content_type="application/pdf")
    except FileNotFoundError as missing:  # the file is gone (restored elsewhere, removed by hand)
        raise Http404(f"The PDF of letter {letter_id} on {complaint.reference} is missing.") from missing


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
    found = failed_emails_for_case(complaint).filter(pk=email_id).first()
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
