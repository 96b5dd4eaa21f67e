"""``putright token``: an administrator makes and revokes API keys from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from putright.accounts.tokens import user_for_key
from tests.conftest import sign_in_with_code


@pytest.mark.django_db
def test_a_created_key_works_once_printed_and_stops_working_when_revoked(officer):
    out = io.StringIO()
    call_command("token", "create", officer.username, "Housing management system", stdout=out)
    key = out.getvalue().splitlines()[1]
    assert key.startswith("pr_")
    assert user_for_key(key) == officer

    call_command("token", "revoke", key[:10], stdout=io.StringIO())
    assert user_for_key(key) is None


@pytest.mark.django_db
def test_an_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="No active user 'nobody'"):
        call_command("token", "create", "nobody", "CRM", stdout=io.StringIO())


@pytest.mark.django_db
def test_no_token_is_made_for_a_superuser(db):
    from putright.accounts.models import User
    from putright.accounts.tokens import create_token

    root = User.objects.create_superuser(username="root", password="x" * 16, email="r@example.org")
    with pytest.raises(ValueError, match="not a superuser"):
        create_token(user=root, name="CRM", created_by=None)


@pytest.mark.django_db
def test_only_a_superuser_sees_api_tokens_in_the_admin(client, officer):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from putright.accounts.models import User

    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(*Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"]))
    sign_in_with_code(client, officer)  # the admin asks for a code too
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    root = User.objects.create_superuser(username="root", password="x" * 16, email="r@example.org")
    sign_in_with_code(client, root)
    page = client.get(reverse("admin:accounts_apitoken_add")).content.decode()
    assert "Olivia Staff" in page
    assert f'<option value="{root.pk}">' not in page  # a superuser cannot be chosen
    assert f'<option value="{officer.pk}">' in page


@pytest.mark.django_db
def test_a_key_marks_its_use_at_most_every_five_minutes(officer):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from putright.accounts.tokens import create_token

    token, key = create_token(user=officer, name="CRM", created_by=None)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        user_for_key(key)
    with time_machine.travel(start + dt.timedelta(minutes=3), tick=False):
        user_for_key(key)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        user_for_key(key)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(minutes=6)
