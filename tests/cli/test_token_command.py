"""``putright token``: an administrator makes and revokes API keys from the shell."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from putright.accounts.tokens import user_for_key


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
