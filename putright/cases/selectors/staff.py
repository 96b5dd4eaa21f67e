"""Colleagues a member of staff may name: active staff of the organisations they can see."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.accounts.models import User
from putright.accounts.permissions import visible_organisation_ids


def staff_for(user: User) -> QuerySet[User]:
    visible = visible_organisation_ids(user)
    staff = User.objects.filter(is_active=True)
    if visible is not None:
        staff = staff.filter(organisations__in=visible).distinct()
    return staff


def staff_choices(user: User) -> list[tuple[str, str]]:
    """(username, name) of each of ``staff_for``, by surname, the name as ``str(user)`` gives it.

    issue 16, overhead: read as three columns, not as users (each with its password hash and a
    dozen other fields): building some 470 users cost the complaint list 2 ms of its filters.
    """
    named = staff_for(user).order_by("last_name", "first_name", "username")
    return [
        (username, f"{first} {last}".strip() or username)  # User.get_full_name(), else the username
        for username, first, last in named.values_list("username", "first_name", "last_name")
    ]
