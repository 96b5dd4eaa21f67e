"""The email that invites a new member of staff to choose a password.

It goes through the outbox like every other email (so the worker delivers
it, retries it, and a rolled-back setup sends nothing), with a link that
works once, for ``PUTRIGHT_INVITATION_DAYS`` days (accounts.invitations).
Administrators are told before they start that a code from an
authenticator app comes next: the sign-in will ask them to set one up.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from putright.accounts.invitations import invitation_tokens
from putright.accounts.models import Role, User
from putright.comms.email import outbox

PURPOSE = "invitation"


def invitation_link(user: User) -> str:
    """The address of the page where ``user`` chooses their first password."""
    path = reverse(
        "web:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
    return f"{settings.PUTRIGHT_BASE_URL}{path}"


def invite(user: User) -> None:
    """Queue ``user``'s invitation in the current transaction (delivered after it commits)."""
    context = {
        "user": user,
        "landlord_name": settings.PUTRIGHT_LANDLORD_NAME,
        "link": invitation_link(user),
        "days": settings.PUTRIGHT_INVITATION_DAYS,
        "administrator": user.is_superuser or user.role == Role.ADMINISTRATOR,
    }
    subject = f"Your account on {settings.PUTRIGHT_LANDLORD_NAME} complaints"
    body = render_to_string("operations/invitation_email.txt", context)
    outbox.queue(EmailMessage(subject=subject, body=body, to=[user.email]), purpose=PURPOSE)
