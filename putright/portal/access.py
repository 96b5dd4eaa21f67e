"""How a customer reaches their own case: a private emailed link, or reference, postcode and surname.

A link carries a random secret, signed with the site's key (so a tampered
link is refused before the database is asked) and stored only as its SHA-256
digest with an expiry. Following a valid link, or giving the right reference,
postcode and surname, puts the complaint in the visitor's visit, a signed
browser-session cookie apart from staff sessions: its list is the only thing
the case pages trust. Everything that does
not match answers the same as something that does not exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest, HttpResponseBase
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from putright.accounts.contact import contact_details
from putright.cases.models import Complaint
from putright.cases.references import normalise
from putright.cases.services.customers import normalise_postcode
from putright.comms.email import outbox
from putright.portal.drafts import promise_for
from putright.portal.models import CaseLink

_SALT = "putright.portal.case-link"


def link_days() -> int:
    """How long a private link works, in days (settings.PUTRIGHT_LINK_DAYS, 90 by default)."""
    return int(getattr(settings, "PUTRIGHT_LINK_DAYS", 90))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_link(complaint: Complaint, email: str) -> str:
    """A new signed link token for ``complaint``; only the secret's digest is kept."""
    secret = secrets.token_urlsafe(32)
    CaseLink.objects.create(
        complaint=complaint,
        email=email.strip().lower(),
        digest=_digest(secret),
        expires_at=timezone.now() + dt.timedelta(days=link_days()),
    )
    return signing.TimestampSigner(salt=_SALT).sign(secret)


def complaint_for_link(token: str) -> Complaint | None:
    """The complaint a link opens, or None when it is tampered, unknown, expired or revoked."""
    try:
        secret = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=dt.timedelta(days=link_days()))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    now = timezone.now()
    link = (
        CaseLink.objects.filter(digest=_digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .select_related("complaint")
        .first()
    )
    if link is None:
        return None
    CaseLink.objects.filter(pk=link.pk).update(last_used_at=now)
    return link.complaint


def revoke_links(complaint: Complaint) -> int:
    """Stop every link to ``complaint`` working; a new one can be asked for."""
    return CaseLink.objects.filter(complaint=complaint, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def send_link_email(request: HttpRequest, complaint: Complaint, email: str, *, asked: bool = False) -> None:
    """Create a private link to ``complaint`` and put the email with it in the outbox.

    ``asked``: someone asked for this link on the new-link page (it may not
    have been the customer, so the email says what to do if it was not them).
    The email sent with a new complaint is its confirmation instead: it
    repeats the reference, what the complaint is about and the dates stage 1's
    clocks give from receipt (the complaint is not yet accepted, so they are
    worded as what happens if it is), signed by the landlord the customer chose.

    The link and its email are written in one transaction (the caller's, when
    it has one), so a link that is rolled back is never sent and a link that
    is stored is never lost: the worker delivers it, retrying while the mail
    server is down, and a failure after the last try shows on the case.
    """
    with transaction.atomic():
        token = issue_link(complaint, email)
        context = {
            "complaint": complaint,
            "link": request.build_absolute_uri(reverse("portal:link", args=[token])),
            "new_link": request.build_absolute_uri(reverse("portal:new-link")),
            "asked": asked,
            "days": link_days(),
            # Signed by the landlord the customer chose, with its (or its group's) contact details.
            "landlord": contact_details(complaint.organisation),
            # A new complaint's email is also its confirmation: what it is about and the dates promised.
            "promise": None if asked else promise_for(complaint),
        }
        subject = "your private link" if asked else "we have received it"
        message = EmailMultiAlternatives(
            subject=f"Your complaint {complaint.reference}: {subject}",
            body=render_to_string("portal/email/link.txt", context),
            to=[email],
        )
        message.attach_alternative(render_to_string("portal/email/link.html", context), "text/html")
        outbox.queue(message, purpose="link", complaint=complaint)


# The customer's visit ------------------------------------------------------------------
#
# A visit is kept in its own signed cookie, not in the session staff sign in
# with: the session lasts a working day and outlives the browser, which suits
# a caseworker at their own desk but not a resident on a library computer.
# The visit cookie has no Max-Age or Expires (the browser drops it when it
# closes), is re-signed on every portal page so it ends after
# PUTRIGHT_VISIT_IDLE_MINUTES without one, and holds only the ids of the
# complaints let in with the moment of each grant, signed so that it cannot be
# forged or carried over from a planted session. Ending a visit (sign out, or
# stopping the links) deletes the cookie and touches no staff session; a staff
# member signing out does not end a customer's visit either.

#: The cookie holding this browser's visit.
VISIT_COOKIE = "putright_visit"
_VISIT_SALT = "putright.portal.visit"
_ENDED = "ended"


def visit_idle_minutes() -> int:
    """How long a visit lasts without a page (settings.PUTRIGHT_VISIT_IDLE_MINUTES, 30 by default)."""
    return int(getattr(settings, "PUTRIGHT_VISIT_IDLE_MINUTES", 30))


def signed_visit(grants: dict[int, str]) -> str:
    """The cookie value for a visit let into ``grants`` (complaint id to the moment of the grant)."""
    payload = json.dumps([[pk, at] for pk, at in grants.items()], separators=(",", ":"))
    return signing.get_cookie_signer(salt=VISIT_COOKIE + _VISIT_SALT).sign(payload)


def _read_visit(request: HttpRequest) -> dict[int, str]:
    raw = request.get_signed_cookie(
        VISIT_COOKIE, default=None, salt=_VISIT_SALT, max_age=dt.timedelta(minutes=visit_idle_minutes())
    )
    if not raw:
        return {}
    try:
        return {int(pk): str(at) for pk, at in json.loads(raw)}
    except (ValueError, TypeError):
        return {}


def _grants(request: HttpRequest) -> dict[int, str]:
    """This browser's grants: complaint id to the moment it was granted (read once a request)."""
    cached = getattr(request, "_portal_visit", None)
    if cached is None:
        cached = _read_visit(request)
        request._portal_visit = cached  # type: ignore[attr-defined]
    return cached


def grant(request: HttpRequest, complaint: Complaint) -> None:
    """Let this browser see ``complaint`` until it closes, it signs out, it is idle, or the links stop.

    The grant keeps its moment: stopping the links after that moment ends
    this access too (someone who was forwarded the link loses it).
    """
    allowed = {pk: at for pk, at in _grants(request).items() if pk != complaint.pk}
    allowed[complaint.pk] = timezone.now().isoformat()
    request._portal_visit = allowed  # type: ignore[attr-defined]
    request._portal_visit_ended = False  # type: ignore[attr-defined]


def end_visit(request: HttpRequest) -> None:
    """End this browser's visit to every case (the response deletes its cookie)."""
    request._portal_visit = {}  # type: ignore[attr-defined]
    request._portal_visit_ended = True  # type: ignore[attr-defined]


def keep_visit(request: HttpRequest, response: HttpResponseBase) -> None:
    """Write the visit to ``response``: re-signed (so the idle time starts again) or deleted.

    Called for every portal page; a browser with no visit gets no cookie.
    """
    if getattr(request, "_portal_visit_ended", False):
        response.delete_cookie(VISIT_COOKIE, path="/", samesite="Lax")
        return
    grants = _grants(request)
    if not grants:
        if VISIT_COOKIE in request.COOKIES:  # idle too long, or not ours: forget it
            response.delete_cookie(VISIT_COOKIE, path="/", samesite="Lax")
        return
    response.set_cookie(
        VISIT_COOKIE,
        signed_visit(grants),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def granted_ids(request: HttpRequest) -> list[int]:
    return list(_grants(request))


def granted_complaint_id(request: HttpRequest, reference: str) -> int | None:
    """The id of the complaint with ``reference`` if this visitor may see it, else None.

    None too when its links were stopped after this session was let in (one query).
    """
    clean = normalise(reference)
    grants = _grants(request)
    if clean is None or not grants:
        return None
    found = (
        Complaint.objects.filter(reference=clean, pk__in=grants)
        .annotate(last_revoked=Max("links__revoked_at"))
        .values_list("pk", "last_revoked")
        .first()
    )
    if found is None:
        return None
    pk, last_revoked = found
    if last_revoked is not None and not _granted_after(grants[pk], last_revoked):
        return None
    return int(pk)


def _granted_after(granted: str, revoked: dt.datetime) -> bool:
    try:
        return dt.datetime.fromisoformat(granted) >= revoked
    except ValueError:
        return False  # a grant of unknown time: any stopped link ends it


def _by_reference(reference: str) -> Complaint | None:
    """The complaint with this reference (as a customer may type it) and its customer, or None."""
    clean = normalise(reference)
    if clean is None:
        return None
    return Complaint.objects.select_related("customer").filter(reference=clean).first()


def find_complaint(reference: str, postcode: str, surname: str) -> Complaint | None:
    """The complaint matching all three details (case and postcode spacing ignored), else None."""
    found = _by_reference(reference)
    if found is None:
        return None
    customer = found.customer
    same_postcode = bool(customer.postcode) and _compact(customer.postcode) == _compact(postcode)
    same_surname = customer.last_name.strip().casefold() == surname.strip().casefold()
    return found if same_postcode and same_surname and surname.strip() else None


def complaint_for_email(reference: str, email: str) -> Complaint | None:
    """The complaint with ``reference`` whose customer has ``email`` on record, else None."""
    found = _by_reference(reference) if email.strip() else None
    if found is None or not found.customer.email:
        return None
    return found if found.customer.email.strip().lower() == email.strip().lower() else None


def _compact(postcode: str) -> str:
    return normalise_postcode(postcode).replace(" ", "")
