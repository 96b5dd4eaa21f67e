"""Who someone signed in by the provider is in putright, and what their groups let them do.

``sign_in`` is the one write: it finds the member of staff (by the provider's subject once
linked, by email address before), makes a new one only when a group of theirs says so, and sets
their role and organisations from their groups, every time, in one transaction. Someone the
rules do not cover is refused with a sentence they can take to an administrator.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.email_addresses import email_problem
from putright.accounts.models import OidcIdentity, Organisation, Role, User
from putright.accounts.oidc.groups import Access, GroupRule, access_for

log = logging.getLogger("putright.oidc")

NO_GROUP = (
    "Your organisation account is not in any group that may use the complaints workspace. "
    "Ask an administrator to add you to the right group."
)
NO_ACCOUNT = (
    "You do not have an account in the complaints workspace yet, and your group does not create "
    "one on first sign-in. Ask an administrator to set up your account."
)
NO_EMAIL = "Your organisation account did not give an email address, so it cannot be matched to staff."
CLOSED = (
    "Your account in the complaints workspace has been closed. Ask an administrator if you need it again."
)
TWO_MATCHES = (
    "Two accounts in the complaints workspace share your email address. Ask an administrator to fix it."
)
LINKED_ELSEWHERE = (
    "Your account in the complaints workspace is already linked to a different organisation account. "
    "Ask an administrator."
)


class Refused(Exception):
    """A sign-in the rules do not allow; the message is shown to the person."""


def email_of(claims: Mapping[str, Any]) -> str:
    """The email address claim, or Entra's sign-in name when it is one (``preferred_username``).

    Only one plain address counts (issue 15): a claim with a comma list or a newline in it is no address.
    """
    for key in ("email", "preferred_username", "upn"):
        value = str(claims.get(key) or "").strip()
        if value and email_problem(value) is None:
            return value
    return ""


def groups_of(claims: Mapping[str, Any], claim: str) -> list[str]:
    value = claims.get(claim) or []
    if isinstance(value, str):
        value = [value]
    return [str(group) for group in value]


def sign_in(
    *, issuer: str, claims: Mapping[str, Any], groups_claim: str, rules: tuple[GroupRule, ...]
) -> User:
    """The member of staff these claims are, with role and organisations set from their groups."""
    subject = str(claims.get("sub") or "")
    access = access_for(rules, groups_of(claims, groups_claim))
    if not subject or access is None:
        raise Refused(NO_GROUP)
    organisations = _organisations(access)
    with transaction.atomic():
        identity = (
            OidcIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=subject)
            .first()
        )
        user = identity.user if identity else _staff_by_email(claims, access)
        if not user.is_active:
            raise Refused(CLOSED)
        if identity is None:
            identity = _link(user, issuer=issuer, subject=subject)
        _sync(user, access, organisations, claims)
        identity.last_signed_in_at = timezone.now()
        identity.groups = list(access.groups)
        identity.save(update_fields=["last_signed_in_at", "groups"])
    return user


def _organisations(access: Access) -> list[Organisation]:
    """The organisations the groups name; a name putright lacks is a mistake in the rules."""
    found = list(Organisation.objects.filter(short_name__in=access.organisations))
    missing = set(access.organisations) - {o.short_name for o in found}
    if missing:
        log.error("OIDC group rules name organisations that do not exist: %s", ", ".join(sorted(missing)))
        raise Refused(
            f"Your group gives access to an organisation the complaints workspace does not have "
            f"({', '.join(sorted(missing))}). Ask an administrator to correct the group rules."
        )
    return found


def _staff_by_email(claims: Mapping[str, Any], access: Access) -> User:
    email = email_of(claims)
    if not email:
        raise Refused(NO_EMAIL)
    matches = list(User.objects.select_for_update().filter(email__iexact=email)[:2])
    if len(matches) > 1:
        raise Refused(TWO_MATCHES)
    if matches:
        return matches[0]
    if not access.create_staff:
        raise Refused(NO_ACCOUNT)
    return _new_staff(email, claims)


def _new_staff(email: str, claims: Mapping[str, Any]) -> User:
    """A new member of staff, named by the provider, with no password: they sign in there."""
    username = email.lower()
    if User.objects.filter(username__iexact=username).exists():
        raise Refused(TWO_MATCHES)
    user = User.objects.create_user(
        username=username,
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    log.info("OIDC: new member of staff %s created on first sign-in", username)
    return user


def _link(user: User, *, issuer: str, subject: str) -> OidcIdentity:
    if OidcIdentity.objects.filter(user=user).exists():
        raise Refused(LINKED_ELSEWHERE)
    log.info("OIDC: %s linked to the provider's subject %s", user.username, subject)
    return OidcIdentity.objects.create(user=user, issuer=issuer, subject=subject)


def _sync(user: User, access: Access, organisations: list[Organisation], claims: Mapping[str, Any]) -> None:
    """Role and organisations as the groups say now; the names as the provider has them."""
    before = (user.role, sorted(user.organisations.values_list("short_name", flat=True)))
    user.role = access.role
    user.is_staff = user.is_superuser or access.role == Role.ADMINISTRATOR
    user.first_name = str(claims.get("given_name") or user.first_name)[:150]
    user.last_name = str(claims.get("family_name") or user.last_name)[:150]
    user.save(update_fields=["role", "is_staff", "first_name", "last_name"])
    user.organisations.set(organisations)
    after = (user.role, sorted(o.short_name for o in organisations))
    if before != after:
        log.info(
            "OIDC: %s role and organisations %s -> %s from groups %s",
            user.username,
            before,
            after,
            access.groups,
        )
