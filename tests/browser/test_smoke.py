"""The workspace opens in a real browser, signed in, with no accessibility violation."""

from __future__ import annotations

import pytest

from tests.browser.conftest import check_accessibility, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_signing_in_opens_my_work(page, officer):
    page.goto("/work/")
    assert "/sign-in/" in page.url
    check_accessibility(page)
    sign_in(page, officer.username)
    assert page.get_by_role("heading", level=1).inner_text() == "My work"
    check_accessibility(page)
