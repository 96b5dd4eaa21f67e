"""The staff to filter by are named as everywhere else (``str(user)``), read without building users."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role, User
from putright.cases.selectors.assignees import assignable_names, assignable_staff
from putright.cases.selectors.staff import staff_choices, staff_for

pytestmark = pytest.mark.django_db


def test_each_colleague_is_named_as_str_names_them_by_surname(org, officer):
    for username, first, last in [
        ("zed", "", ""),
        ("amy", "Amy", ""),
        ("bo", "", "Brown"),
        ("cy", "Cy", "Adams"),
    ]:
        user = User.objects.create_user(
            username=username, first_name=first, last_name=last, role=Role.MANAGER
        )
        user.organisations.add(org)
    User.objects.create_user(username="gone", first_name="Gone", is_active=False).organisations.add(org)

    expected = [
        (u.username, str(u)) for u in staff_for(officer).order_by("last_name", "first_name", "username")
    ]
    assert staff_choices(officer) == expected
    assert ("cy", "Cy Adams") in expected and ("zed", "zed") in expected and ("bo", "Brown") in expected
    assert "gone" not in dict(expected)


def test_the_note_forms_colleagues_are_those_assignable_named_as_str_names_them(log, org, officer):
    """``assignable_names`` reads the same people as ``assignable_staff``, in its order, without users."""
    for username, first, last in [
        ("zed", "", ""),
        ("amy", "Amy", ""),
        ("bo", "", "Brown"),
        ("cy", "Cy", "Adams"),
    ]:
        User.objects.create_user(
            username=username, first_name=first, last_name=last, role=Role.MANAGER
        ).organisations.add(org)
    User.objects.create_user(username="gone", first_name="Gone", is_active=False).organisations.add(org)
    complaint = log("2026-03-02 10:00")

    expected = [
        (u.pk, str(u), u.username) for u in assignable_staff(officer, complaint, excluding=officer.pk)
    ]
    assert assignable_names(officer, complaint, excluding=officer.pk) == expected
    assert {"zed", "amy", "bo", "cy"} <= {username for _, _, username in expected}
    assert not {"gone", officer.username} & {username for _, _, username in expected}
