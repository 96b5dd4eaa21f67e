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
