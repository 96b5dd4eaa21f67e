"""Signing in with the organisation's account, in Chromium, against a real OpenID Connect provider.

The provider is panva's oidc-provider run by node on loopback (tests/oidc): the browser goes to
its login page and back, putright exchanges the code (with PKCE) and checks the ID token, as it
would with Microsoft Entra ID. Its groups claim carries the groups of tests/oidc's accounts; the
rules below map two of them.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axes.models import AccessAttempt
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from putright.accounts.models import OidcIdentity, Organisation, OrganisationKind, Role, User
from putright.accounts.oidc import services
from putright.accounts.oidc.provider import forget_discovery
from tests.browser.conftest import PASSWORD, check_accessibility, screenshot
from tests.browser.test_auth import code_for
from tests.oidc.provider import OidcProvider

pytestmark = pytest.mark.django_db(transaction=True)

CALLBACK = "/sign-in/organisation/callback/"
#: The provider's people: subject -> claims (Entra sends the groups' Object IDs; these are names).
ACCOUNTS: dict[str, dict[str, object]] = {
    "sub-olivia": {
        "email": "Olivia.Officer@Example.org",
        "given_name": "Olivia",
        "family_name": "Officer",
        "groups": ["canteen-rota", "complaints-officers", "complaints-panel"],
    },
    "sub-nadia": {
        "email": "nadia.new@example.org",
        "given_name": "Nadia",
        "family_name": "New",
        "groups": ["complaints-officers"],
    },
    "sub-pat": {
        "email": "pat.panel@example.org",
        "given_name": "Pat",
        "family_name": "Panel",
        "groups": ["complaints-panel"],
    },
    "sub-nobody": {
        "email": "nobody@example.org",
        "given_name": "Noah",
        "family_name": "Body",
        "groups": ["canteen-rota"],
    },
}
GROUPS = """
# The first group of someone's in this file gives their role; their organisations are joined.
[[group]]
id = "complaints-officers"
name = "Complaints: Resolution Officers"
role = "resolution_officer"
organisations = ["VHT"]
create_staff = true

[[group]]
id = "complaints-panel"
role = "panel_member"
organisations = ["FHL"]
create_staff = false
"""
#: Chromium logs a refusal (403) and an unreachable provider (503) as failed resources.
EXPECTED = ("status of 403", "status of 503", "status of 400", "status of 429")


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory) -> Iterator[OidcProvider]:
    started = OidcProvider(
        redirect_uri=live_server.url + CALLBACK,
        accounts=ACCOUNTS,
        workdir=tmp_path_factory.mktemp("oidc"),
    )
    yield started
    started.stop()


@pytest.fixture
def groups_file(tmp_path):
    path = tmp_path / "groups.toml"
    path.write_text(GROUPS)
    return path


@pytest.fixture
def oidc_on(settings, provider, groups_file, org) -> Iterator[OidcProvider]:
    Organisation.objects.create(
        name="Flagship Homes", short_name="FHL", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    provider.settings(settings, groups_file)
    yield provider
    forget_discovery()


@pytest.fixture
def oidc_page(browser, live_server) -> Iterator[object]:
    """The browser page of tests/browser/conftest.py, with refusals' statuses expected."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    errors: list[str] = []
    # The test provider's own login page (fonts from the internet, no favicon) is not ours to check.
    opened.on(
        "console",
        lambda message: (
            message.type == "error"
            and not opened.url.startswith("http://127.0.0.1:")
            and errors.append(message.text)
        ),
    )
    yield opened
    context.close()
    errors = [e for e in errors if not any(status in e for status in EXPECTED)]
    assert not errors, f"the browser reported errors: {errors}"


def sign_in_at_provider(page, subject: str, start: str = "/work/") -> None:
    """From a workspace page, through putright's sign-in page, to the provider's login and back."""
    page.goto(start)
    page.get_by_role("button", name="Sign in with Microsoft", exact=True).click()
    page.locator("input[name=login]").fill(subject)
    page.locator("input[name=password]").fill("any password: the test provider does not check it")
    page.get_by_role("button", name="Sign-in").click()
    # Back at putright (the provider is at 127.0.0.1, the live server at localhost).
    page.wait_for_url(lambda url: not url.startswith("http://127.0.0.1:"))
    page.wait_for_load_state()


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def test_the_sign_in_page_offers_the_organisation_account_first(oidc_on, oidc_page):
    page = oidc_page
    page.goto("/sign-in/")
    button = page.get_by_role("button", name="Sign in with Microsoft", exact=True)
    password_button = page.get_by_role("button", name="Sign in with a password", exact=True)
    expect(button).to_be_visible()
    expect(password_button).to_be_visible()
    # The provider's button comes first, as the primary way in.
    first = page.locator(".govuk-button").first
    assert first.inner_text().strip() == "Sign in with Microsoft"
    assert "Administrators: sign in with a password" in page.content()
    check_accessibility(page)
    screenshot(page, "sign-in-organisation-account")


def test_existing_staff_land_in_the_workspace_with_the_role_and_organisations_of_their_groups(
    oidc_on, oidc_page, org
):
    page = oidc_page
    olivia = User.objects.create_user(
        username="olivia", email="olivia.officer@example.org", role=Role.CUSTOMER_SERVICES
    )
    sign_in_at_provider(page, "sub-olivia", start="/work/complaints/")
    assert page.url.endswith("/work/complaints/"), page.url
    olivia.refresh_from_db()
    # Matched by email whatever its case; the first mapped group gives the role; organisations joined.
    assert olivia.role == Role.RESOLUTION_OFFICER
    assert sorted(olivia.organisations.values_list("short_name", flat=True)) == ["FHL", "VHT"]
    identity = OidcIdentity.objects.get(user=olivia)
    assert (identity.issuer, identity.subject) == (oidc_on.issuer, "sub-olivia")
    assert identity.groups == ["complaints-officers", "complaints-panel"]
    page.goto("/account/")
    account = page.locator("main").inner_text()
    assert "Victory Housing Trust" in account and "Flagship Homes" in account
    check_accessibility(page)


def test_a_new_person_in_a_creating_group_gets_an_account(oidc_on, oidc_page):
    page = oidc_page
    sign_in_at_provider(page, "sub-nadia")
    assert heading(page) == "My work"
    nadia = User.objects.get(email="nadia.new@example.org")
    assert (nadia.first_name, nadia.last_name, nadia.role) == ("Nadia", "New", Role.RESOLUTION_OFFICER)
    assert list(nadia.organisations.values_list("short_name", flat=True)) == ["VHT"]
    assert not nadia.has_usable_password()
    assert OidcIdentity.objects.get(user=nadia).subject == "sub-nadia"


def test_a_person_in_a_group_that_does_not_create_staff_is_refused_without_an_account(oidc_on, oidc_page):
    page = oidc_page
    sign_in_at_provider(page, "sub-pat")
    assert heading(page) == "You cannot sign in"
    assert services.NO_ACCOUNT in page.locator("main").inner_text()
    check_accessibility(page)
    screenshot(page, "sign-in-refused")
    assert not User.objects.filter(email__iexact="pat.panel@example.org").exists()
    assert page.goto("/work/").url.endswith("/sign-in/?next=/work/")


def test_a_person_in_no_mapped_group_is_refused(oidc_on, oidc_page):
    page = oidc_page
    User.objects.create_user(username="noah", email="nobody@example.org", role=Role.MANAGER)
    sign_in_at_provider(page, "sub-nobody")
    assert heading(page) == "You cannot sign in"
    assert services.NO_GROUP in page.locator("main").inner_text()
    assert not OidcIdentity.objects.exists()
    assert User.objects.get(username="noah").role == Role.MANAGER
    # Not a password guess: the lockout (django-axes) counts nothing against the office's address.
    assert not AccessAttempt.objects.exists()


def test_staff_passwords_are_refused_while_the_organisation_account_is_on(oidc_on, oidc_page, officer):
    page = oidc_page
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in with a password", exact=True).click()
    assert "Sign in with Microsoft instead" in page.locator(".govuk-error-summary").inner_text()
    assert heading(page) == "Sign in"


def test_the_local_administrator_signs_in_with_a_password_while_the_provider_is_down(
    settings, live_server, tmp_path, groups_file, org, oidc_page
):
    page = oidc_page
    administrator = User.objects.create_user(
        username="ada", password=PASSWORD, role=Role.ADMINISTRATOR, is_staff=True, first_name="Ada"
    )
    administrator.organisations.add(org)
    device = TOTPDevice.objects.create(user=administrator, name="Authenticator app", confirmed=True)
    down = OidcProvider(redirect_uri=live_server.url + CALLBACK, accounts=ACCOUNTS, workdir=tmp_path)
    down.settings(settings, groups_file)
    down.stop()
    try:
        page.goto("/sign-in/")
        page.get_by_role("button", name="Sign in with Microsoft", exact=True).click()
        assert heading(page) == "You cannot sign in"
        assert "Microsoft could not be reached" in page.locator("main").inner_text()
        page.goto("/sign-in/")
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in with a password", exact=True).click()
        assert heading(page) == "Enter the code from your authenticator app"
        page.get_by_label("Code from your authenticator app").fill(code_for(device))
        page.get_by_role("button", name="Continue").click()
        assert heading(page) == "My work"
    finally:
        forget_discovery()
