"""Signing in and out, lockout, passwords (changed, and reset by email over real SMTP),
the second factor, and the administration site's demand for it."""

from __future__ import annotations

import base64
import datetime as dt
import re
from email.message import Message

import pytest
import time_machine
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from tests.conftest import london, sign_in_with_code

PASSWORD = "correct-horse-battery"
NEW_PASSWORD = "plum-lantern-orchard-42"


# Helpers ---------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str | None = None):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("web:sign-in"), data)


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for this device's secret."""
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def add_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def administrator(org, team):
    user = User.objects.create_user(
        username="ada",
        password=PASSWORD,
        first_name="Ada",
        last_name="Admin",
        email="ada.admin@example.org",
        role=Role.ADMINISTRATOR,
        is_staff=True,
        is_superuser=True,
    )
    user.organisations.add(org)
    return user


# Signing in and out ----------------------------------------------------------


SIGNED_IN_PAGES = ["web:account", "web:password-change", "web:two-factor", "web:two-factor-off"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_every_account_page_sends_a_stranger_to_sign_in(client, name):
    url = reverse(name)
    for response in (client.get(url), client.post(url, {"code": "123456"})):
        assert response.status_code == 302
        assert response.url == f"{reverse('web:sign-in')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["web:sign-in", "web:password-reset", "web:password-reset-sent"])
def test_signing_in_and_asking_for_a_new_password_are_open_to_everyone(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.django_db
def test_the_right_password_signs_in_and_goes_to_the_page_asked_for(client, officer):
    response = sign_in(client, "olivia", next_url=reverse("web:account"))
    assert response.status_code == 302 and response.url == reverse("web:account")
    account = client.get(reverse("web:account"))
    assert "Olivia Staff" in page(account) and "Resolution Officer" in page(account)


@pytest.mark.django_db
def test_a_next_page_elsewhere_is_ignored(client, officer):
    response = sign_in(client, "olivia", next_url="https://evil.example/steal")
    assert response.url == reverse("web:home")


@pytest.mark.django_db
def test_a_wrong_password_is_refused_with_the_error_summary(client, officer):
    response = sign_in(client, "olivia", "not-my-password")
    assert response.status_code == 200
    html = page(response)
    assert "There is a problem" in html and 'class="govuk-error-summary"' in html
    assert "Enter a correct username and password" in html
    assert 'href="#id_password"' in html  # the summary links to the box to retype
    assert "<title>Error: Sign in" in html
    assert client.get(reverse("web:account")).status_code == 302


@pytest.mark.django_db
def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client, officer):
    for username in ("olivia", "nobody"):
        response = sign_in(client, username, "not-my-password")
        assert response.status_code == 200
        assert "Enter a correct username and password" in page(response)


@pytest.mark.django_db
def test_a_closed_account_cannot_sign_in(client, officer):
    officer.is_active = False
    officer.save()
    assert sign_in(client, "olivia").status_code == 200
    assert client.get(reverse("web:account")).status_code == 302


@pytest.mark.django_db
def test_signing_out_is_a_post_and_ends_the_session(client, officer):
    sign_in(client, "olivia")
    assert client.get(reverse("web:sign-out")).status_code == 405
    response = client.post(reverse("web:sign-out"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:sign-in")
    assert "You have signed out." in page(response)
    assert client.get(reverse("web:account")).status_code == 302


# Lockout ----------------------------------------------------------------------


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_until_the_cool_off_ends(client, officer, frontline):
    with time_machine.travel(london("2026-03-03 10:00:30"), tick=False) as traveller:
        for _ in range(4):
            assert sign_in(client, "olivia", "guess").status_code == 200
        fifth = sign_in(client, "olivia", "guess")
        assert fifth.status_code == 429
        assert "Your account is locked for now" in page(fifth)

        traveller.move_to(london("2026-03-03 10:20"))
        refused = sign_in(client, "olivia")
        assert refused.status_code == 429
        html = page(refused)
        # 30 minutes from the last wrong password, rounded up to the minute; the refused
        # right password did not move it on.
        assert "You can try again from <strong>Tuesday 3 March 2026 at 10:31</strong>" in html
        assert "ask an administrator" in html
        assert client.get(reverse("web:account")).status_code == 302

        # Only that account: a colleague at the same desk still signs in.
        assert sign_in(Client(), "fran").status_code == 302

        traveller.move_to(london("2026-03-03 10:31"))
        assert sign_in(client, "olivia").status_code == 302
        assert client.get(reverse("web:account")).status_code == 200


@pytest.mark.django_db
def test_guesses_from_elsewhere_do_not_lock_the_caseworker_out_at_their_desk(officer):
    stranger = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        sign_in(stranger, "olivia", "guess")
    assert sign_in(stranger, "olivia").status_code == 429
    # Olivia, in the office, signs in as usual.
    assert sign_in(Client(REMOTE_ADDR="192.0.2.20"), "olivia").status_code == 302


@pytest.mark.django_db
def test_a_right_password_before_the_limit_clears_the_count(client, officer):
    for _ in range(4):
        sign_in(client, "olivia", "guess")
    assert sign_in(client, "olivia").status_code == 302
    client.post(reverse("web:sign-out"))
    for _ in range(4):
        assert sign_in(client, "olivia", "guess").status_code == 200
    assert sign_in(client, "olivia").status_code == 302


# Password reset by email, over a real SMTP server ----------------------------


@pytest.fixture
def mailbox(delivered_mail):
    """What arrives at a real SMTP server on loopback, through the outbox and the worker's delivery."""
    return delivered_mail


def _ask_for_reset(client: Client, address: str, **kwargs):
    """Ask for a reset link: the email goes to the outbox, and is delivered once the request commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("web:password-reset"), {"email": address}, **kwargs)


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_by_a_link_sent_by_email(client, officer, mailbox):
    officer.email = "olivia@example.org"
    officer.save()
    response = _ask_for_reset(client, "Olivia@Example.org", follow=True)
    assert "Check your email" in page(response)

    (message,) = mailbox
    assert message["To"] == "olivia@example.org"
    assert message["Subject"].startswith("Reset your password")
    body = _body(message)
    assert "username: olivia" in body
    link = re.search(r"http://testserver(/password-reset/\S+/)", body)
    assert link, body

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in page(form)
    set_password_url = form.redirect_chain[-1][0]
    mismatch = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    assert "The two new passwords do not match" in page(mismatch)
    done = client.post(
        set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password has been reset" in page(done)

    assert sign_in(Client(), "olivia", PASSWORD).status_code == 200  # the old one no longer works
    assert sign_in(Client(), "olivia", NEW_PASSWORD).status_code == 302

    again = Client().get(link.group(1), follow=True)
    assert "This link does not work" in page(again)


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_page_and_no_email(client, officer, mailbox):
    response = _ask_for_reset(client, "stranger@example.org", follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:password-reset-sent")
    assert "Check your email" in page(response)
    assert mailbox == []


@pytest.mark.django_db
def test_a_badly_typed_address_is_explained(client):
    response = client.post(reverse("web:password-reset"), {"email": "not an address"})
    assert "Enter an email address in the correct format" in page(response)


@pytest.mark.django_db
def test_a_new_password_from_the_email_ends_a_lockout(client, officer, mailbox):
    officer.email = "olivia@example.org"
    officer.save()
    for _ in range(5):
        sign_in(client, "olivia", "guess")
    assert sign_in(client, "olivia").status_code == 429
    _ask_for_reset(client, "olivia@example.org")
    link = re.search(r"http://testserver(/password-reset/\S+/)", _body(mailbox[0]))
    assert link
    form = client.get(link.group(1), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert sign_in(client, "olivia", NEW_PASSWORD).status_code == 302


# Changing the password -------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_in_member_of_staff_changes_their_password(client, officer):
    sign_in(client, "olivia")
    assert 'href="/account/password/"' in page(client.get(reverse("web:account")))
    url = reverse("web:password-change")
    wrong = client.post(
        url, {"old_password": "guess", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "Your current password is not correct" in page(wrong)
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert "This password is too short" in page(weak)
    done = client.post(
        url,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("web:account")
    assert "Your password has been changed." in page(done)
    assert client.get(reverse("web:account")).status_code == 200  # still signed in here
    assert sign_in(Client(), "olivia", NEW_PASSWORD).status_code == 302


# The second factor -----------------------------------------------------------


@pytest.mark.django_db
def test_staff_without_an_app_are_not_asked_for_a_code(client, officer):
    response = sign_in(client, "olivia")
    assert response.url == reverse("web:home")
    account = page(client.get(reverse("web:account")))
    assert "Off: you sign in with your password only" in account
    assert f'href="{reverse("web:two-factor")}?next=/account/"' in account


@pytest.mark.django_db
def test_an_administrator_must_set_up_an_app_before_anything_else(client, administrator):
    response = sign_in(client, "ada", next_url=reverse("web:account"))
    assert response.url == f"{reverse('web:two-factor')}?next=%2Faccount%2F"
    # Any other page sends them to the code page too, and back to that page afterwards.
    assert client.get(reverse("web:account")).url == f"{reverse('web:two-factor')}?next=%2Faccount%2F"

    setup = client.get(response.url)
    html = page(setup)
    assert "Set up two-factor authentication" in html
    assert "Administrators must give a code" in html
    assert 'src="data:image/svg+xml' in html
    device = TOTPDevice.objects.get(user=administrator)
    assert not device.confirmed
    secret = base64.b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert client.get(response.url).status_code == 200
    assert TOTPDevice.objects.filter(user=administrator).count() == 1  # the same secret on a second look

    wrong = client.post(reverse("web:two-factor"), {"code": wrong_code_for(device), "next": "/account/"})
    assert "The code is not correct" in page(wrong)
    with time_machine.travel(dt.timedelta(seconds=2)):  # past the wait after a wrong code
        done = client.post(
            reverse("web:two-factor"), {"code": code_for(device), "next": "/account/"}, follow=True
        )
    assert done.redirect_chain[-1][0] == "/account/"
    assert "Two-factor authentication is on" in page(done)
    device.refresh_from_db()
    assert device.confirmed
    assert "Administrators must use it." in page(done)
    assert reverse("web:two-factor-off") not in page(done)


@pytest.mark.django_db
def test_a_code_is_asked_for_at_every_sign_in_and_checked(client, officer):
    device = add_device(officer)
    response = sign_in(client, "olivia", next_url=reverse("web:account"))
    assert response.url == f"{reverse('web:two-factor')}?next=%2Faccount%2F"
    assert client.get(reverse("web:account")).status_code == 302

    asked = page(client.get(response.url))
    assert "Enter the code from your authenticator app" in asked and "data:image" not in asked
    not_digits = client.post(reverse("web:two-factor"), {"code": "abc", "next": "/account/"})
    assert "Enter the 6-digit code from your authenticator app, using numbers only" in page(not_digits)
    wrong = client.post(reverse("web:two-factor"), {"code": wrong_code_for(device), "next": "/account/"})
    assert "The code is not correct" in page(wrong)
    hurried = client.post(reverse("web:two-factor"), {"code": code_for(device), "next": "/account/"})
    assert "Too many wrong codes. Wait 1 second, then enter the code your app shows." in page(hurried)
    assert client.get(reverse("web:account")).status_code == 302

    with time_machine.travel(dt.timedelta(seconds=5)):
        done = client.post(reverse("web:two-factor"), {"code": code_for(device), "next": "/account/"})
    assert done.url == "/account/"
    assert client.get(reverse("web:account")).status_code == 200
    # Once verified, the code page sends them on.
    assert client.get(reverse("web:two-factor")).url == reverse("web:home")


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client, officer):
    device = add_device(officer)
    code = code_for(device)
    sign_in(client, "olivia")
    assert client.post(reverse("web:two-factor"), {"code": code}).status_code == 302
    other = Client()
    sign_in(other, "olivia")
    replay = other.post(reverse("web:two-factor"), {"code": code})
    assert replay.status_code == 200 and "The code is not correct" in page(replay)


@pytest.mark.django_db
def test_staff_may_set_up_an_app_and_turn_it_off_again(client, officer):
    sign_in(client, "olivia")
    setup = client.get(f"{reverse('web:two-factor')}?next=/account/")
    assert "Cancel and go back to your account" in page(setup)
    device = TOTPDevice.objects.get(user=officer)
    done = client.post(
        reverse("web:two-factor"), {"code": code_for(device), "next": "/account/"}, follow=True
    )
    assert "On: you give a code" in page(done)
    assert reverse("web:two-factor-off") in page(done)

    confirm = client.get(reverse("web:two-factor-off"))
    assert "Turn off two-factor authentication?" in page(confirm)
    off = client.post(reverse("web:two-factor-off"), follow=True)
    assert "Two-factor authentication is off" in page(off)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    client.post(reverse("web:sign-out"))
    assert sign_in(client, "olivia").url == reverse("web:home")


@pytest.mark.django_db
def test_administrators_cannot_turn_the_second_factor_off(client, administrator):
    sign_in_with_code(client, administrator)
    assert client.get(reverse("web:two-factor-off")).status_code == 403
    assert client.post(reverse("web:two-factor-off")).status_code == 403
    assert TOTPDevice.objects.filter(user=administrator).exists()


@pytest.mark.django_db
def test_turning_off_needs_the_code_first(client, officer):
    add_device(officer)
    sign_in(client, "olivia")
    response = client.post(reverse("web:two-factor-off"))
    assert response.url.startswith(f"{reverse('web:two-factor')}?next=")
    assert TOTPDevice.objects.filter(user=officer).exists()


# The administration site -----------------------------------------------------


@pytest.mark.django_db
def test_the_admin_needs_a_code_even_after_the_password(client, administrator):
    device = add_device(administrator)
    sign_in(client, "ada")
    refused = client.get("/admin/", follow=True)
    chain = [url for url, _ in refused.redirect_chain]
    assert chain == ["/admin/login/?next=/admin/", f"{reverse('web:two-factor')}?next=%2Fadmin%2F"]
    assert "Enter the code from your authenticator app" in page(refused)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302

    done = client.post(reverse("web:two-factor"), {"code": code_for(device), "next": "/admin/"})
    assert done.url == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_the_admin_sends_strangers_to_the_workspace_sign_in(client, administrator):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('web:sign-in')}?next=/admin/"
    signed_in = sign_in(client, "ada", next_url="/admin/")
    assert signed_in.url == f"{reverse('web:two-factor')}?next=%2Fadmin%2F"


@pytest.mark.django_db
def test_the_admin_refuses_staff_who_are_not_administrators(client, officer):
    sign_in_with_code(client, officer)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403


# Queries ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_account_page_uses_the_same_queries_however_many_organisations(client, officer):
    sign_in_with_code(client, officer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:account")).status_code == 200
        return len(queries)

    few = count()
    for number in range(5):
        officer.organisations.add(
            Organisation.objects.create(
                name=f"Landlord {number}", short_name=f"L{number}", kind=OrganisationKind.LANDLORD
            )
        )
    assert count() == few
    assert "Landlord 4" in page(client.get(reverse("web:account")))
