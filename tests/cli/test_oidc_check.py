"""``putright oidc check`` against a real provider on loopback (issue 14, oidc)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from putright.accounts.oidc.provider import forget_discovery
from tests.oidc.provider import OidcProvider

pytestmark = pytest.mark.django_db

GROUPS = (
    '[[group]]\nid = "officers"\nrole = "resolution_officer"\norganisations = ["VHT"]\ncreate_staff = true\n'
)


@pytest.fixture
def provider(tmp_path):
    started = OidcProvider(
        redirect_uri="http://127.0.0.1:8000/sign-in/organisation/callback/", accounts={}, workdir=tmp_path
    )
    yield started
    started.stop()
    forget_discovery()


def check() -> str:
    out = StringIO()
    call_command("oidc", "check", stdout=out)
    return out.getvalue()


def test_the_check_shows_the_provider_the_rules_and_the_redirect_uri(settings, tmp_path, provider, org):
    (tmp_path / "groups.toml").write_text(GROUPS)
    provider.settings(settings, tmp_path / "groups.toml")
    out = check()
    assert (
        "Redirect URI to register at the provider: http://127.0.0.1:8000/sign-in/organisation/callback/"
        in out
    )
    assert f"sign-in page: {provider.issuer}/auth" in out
    assert "officers: resolution_officer, VHT; creates new staff" in out
    assert "Passwords: administrators only" in out
    assert out.endswith("OK\n")


def test_the_check_names_an_organisation_that_does_not_exist(settings, tmp_path, provider, org):
    (tmp_path / "groups.toml").write_text(GROUPS.replace('"VHT"', '"VHX"'))
    provider.settings(settings, tmp_path / "groups.toml")
    with pytest.raises(CommandError, match="organisations putright does not have: VHX"):
        check()


def test_the_check_says_when_the_provider_does_not_answer(settings, tmp_path, provider, org):
    (tmp_path / "groups.toml").write_text(GROUPS)
    provider.settings(settings, tmp_path / "groups.toml")
    provider.stop()
    with pytest.raises(CommandError, match="did not give its endpoints"):
        check()


def test_the_check_says_when_sign_in_is_off():
    with pytest.raises(CommandError, match="OpenID Connect sign-in is off"):
        check()
