"""Email settings on the account: a member of staff turns their daily digest off and on."""

from __future__ import annotations

from django.urls import reverse

from putright.accounts.models import User
from tests.web.helpers import text

URL = reverse("web:email-settings")


def test_the_digest_is_on_until_turned_off_and_the_choice_is_saved(client, officer):
    client.force_login(officer)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["form"]["receives_daily_digest"].value() == "yes"
    assert "Send me a daily digest of my work" in text(page)

    response = client.post(URL, {"receives_daily_digest": "no"}, follow=True)
    assert response.redirect_chain == [(reverse("web:account"), 302)]
    assert "You will not get a daily digest of your work" in text(response)
    assert "Daily digest of your work Off" in text(response, main_only=True)
    assert User.objects.get(pk=officer.pk).receives_daily_digest is False

    assert client.get(URL).context["form"]["receives_daily_digest"].value() == "no"
    client.post(URL, {"receives_daily_digest": "yes"})
    assert User.objects.get(pk=officer.pk).receives_daily_digest is True


def test_the_account_page_shows_the_digest_setting_and_links_to_change_it(client, officer):
    import re

    client.force_login(officer)
    page = client.get(reverse("web:account")).content.decode()
    assert URL in page
    assert "On: an email each working morning" in page
    # The page's title is its name alone (it once carried the whole Emails section).
    [title] = re.findall(r"<title>(.*?)</title>", page, re.S)
    assert title.strip().startswith("Your account –")
    assert "<" not in title


def test_no_choice_is_refused_and_changes_nothing(client, officer):
    client.force_login(officer)
    response = client.post(URL, {})
    assert response.status_code == 400
    assert "Select yes if you want a daily digest of your work" in text(response)
    assert User.objects.get(pk=officer.pk).receives_daily_digest is True


def test_only_the_users_own_setting_is_changed(client, officer, senior):
    client.force_login(officer)
    client.post(URL, {"receives_daily_digest": "no", "username": "hacked", "role": "administrator"})
    officer.refresh_from_db()
    senior.refresh_from_db()
    assert (officer.username, officer.role, officer.receives_daily_digest) == (
        "olivia",
        "resolution_officer",
        False,
    )
    assert senior.receives_daily_digest is True


def test_a_stranger_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:sign-in"))
