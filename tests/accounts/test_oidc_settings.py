"""The OpenID Connect settings refuse a half-made setup at start (issue 14, oidc)."""

from __future__ import annotations

import pytest

from tests.test_settings import run_putright


@pytest.mark.parametrize(
    ("env", "said"),
    [
        (
            {"PUTRIGHT_OIDC_ISSUER": "https://login.example/t/v2.0", "PUTRIGHT_OIDC_CLIENT_ID": "abc"},
            "also set PUTRIGHT_OIDC_CLIENT_SECRET and PUTRIGHT_OIDC_GROUPS",
        ),
        (
            {"PUTRIGHT_OIDC_PASSWORD_SIGN_IN": "nobody"},
            "PUTRIGHT_OIDC_PASSWORD_SIGN_IN must be 'administrators' or 'everyone'",
        ),
    ],
)
def test_a_half_made_oidc_setup_is_refused_by_name(tmp_path, env, said):
    result = run_putright("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert said in result.stderr
