"""The footer's privacy notice, accessibility statement and cookies page: real pages an administrator edits.

Each page ships with words written for this service, is linked from the
footer of every public page, shows plain text only (never HTML from the
database) and can be changed in the admin by an administrator and nobody else.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from putright.accounts.models import Role, User
from putright.portal.models import PageKind, PublicPage
from tests.conftest import sign_in_with_code

pytestmark = pytest.mark.django_db

PAGES = {"/privacy/": "Privacy notice", "/accessibility/": "Accessibility statement", "/cookies/": "Cookies"}


def words(html: str) -> str:
    main = html[html.index(">", html.index('id="main-content"')) + 1 : html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser(
        username="admin", password="correct-horse-battery", email="admin@example.org", role=Role.ADMINISTRATOR
    )


def change_url(kind: str) -> str:
    return reverse("admin:portal_publicpage_change", args=[PublicPage.objects.get(kind=kind).pk])


def test_each_page_ships_with_words_written_for_this_service(client):
    privacy = words(client.get("/privacy/").content.decode())
    assert privacy.startswith(
        "Privacy notice This notice explains what we do with the information you give us"
    )
    assert "A complaint you start on this website but do not send is deleted after 30 days." in privacy
    assert "Information Commissioner's Office" in privacy
    accessibility = words(client.get("/accessibility/").content.decode())
    assert "Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA" in accessibility
    assert "Reporting accessibility problems with this website" in accessibility
    assert "We will reply within 10 working days." in accessibility
    cookies = client.get("/cookies/").content.decode()
    assert '<h2 class="govuk-heading-m">The cookies we set</h2>' in cookies
    assert "<li>sessionid: remembers your answers" in cookies
    assert "<li>csrftoken: protects the forms" in cookies
    assert "We do not use cookies to collect information about how you use the website (analytics)" in words(
        cookies
    )


def test_the_cookies_page_names_every_cookie_the_public_pages_really_set(client, org):
    client.get("/")
    client.get("/complain/who/")
    client.post("/complain/who/", {"who": "tenant"})
    client.get("/your-complaint/")
    set_cookies = set(client.cookies)
    assert set_cookies == {"sessionid", "csrftoken"}
    listed = set(re.findall(r"<li>(\w+): ", client.get("/cookies/").content.decode()))
    assert listed == set_cookies


@pytest.mark.parametrize(
    "path", ["/", "/complain/who/", "/your-complaint/", "/complaints-policy/", "/cookies/"]
)
def test_every_public_page_links_to_the_three_pages_from_its_footer(client, path):
    html = client.get(path).content.decode()
    footer = html[html.index('<footer class="govuk-footer">') :]
    for href, label in (
        ("/privacy/", "Privacy"),
        ("/accessibility/", "Accessibility statement"),
        ("/cookies/", "Cookies"),
    ):
        assert f'<a class="govuk-footer__link" href="{href}">{label}</a>' in footer


def test_a_page_is_read_with_two_queries_the_page_and_the_landlord(client, org, django_assert_num_queries):
    for path in PAGES:
        with django_assert_num_queries(2):
            assert client.get(path).status_code == 200


def test_each_page_says_how_to_contact_the_landlord(client, org):
    org.phone, org.email = "0800 371 860", "complaints@victoryhousing.co.uk"
    org.save(update_fields=["phone", "email"])
    for path in PAGES:
        page = words(client.get(path).content.decode())
        assert "Contact us Phone: 0800 371 860 Email: complaints@victoryhousing.co.uk" in page


def test_the_default_words_show_even_before_the_pages_are_saved(client):
    PublicPage.objects.all().delete()
    for path, title in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200
        assert words(response.content.decode()).startswith(title)
        assert "Last updated" not in response.content.decode()


def test_an_administrator_edits_a_page_and_the_public_see_it_at_once(client, administrator):
    sign_in_with_code(client, administrator)
    body = "We keep your details safe.\n\n## Who to ask\n- our data protection officer\n- any member of staff"
    response = client.post(
        change_url(PageKind.PRIVACY), {"title": "How we use your information", "body": body}
    )
    assert response.status_code == 302
    client.logout()
    html = client.get("/privacy/").content.decode()
    assert "<title>How we use your information" in html
    assert '<p class="govuk-body">We keep your details safe.</p>' in html
    assert '<h2 class="govuk-heading-m">Who to ask</h2>' in html
    assert "<li>our data protection officer</li><li>any member of staff</li>" in html
    assert PublicPage.objects.get(kind=PageKind.PRIVACY).updated_by == administrator


def test_html_is_refused_when_saved_and_escaped_if_it_is_ever_stored(client, administrator):
    sign_in_with_code(client, administrator)
    before = PublicPage.objects.get(kind=PageKind.COOKIES).body
    response = client.post(
        change_url(PageKind.COOKIES), {"title": "Cookies", "body": 'Hi <script>alert("x")</script>'}
    )
    assert response.status_code == 200
    assert "Write plain text without HTML tags" in unescape(response.content.decode())
    assert PublicPage.objects.get(kind=PageKind.COOKIES).body == before
    PublicPage.objects.filter(kind=PageKind.COOKIES).update(body='<b onclick="x()">bold</b>')
    html = client.get("/cookies/").content.decode()
    assert "<b onclick" not in html
    assert "&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;" in html


def test_the_pages_cannot_be_added_or_deleted_only_edited(client, administrator):
    sign_in_with_code(client, administrator)
    assert client.get(reverse("admin:portal_publicpage_add")).status_code == 403
    page = PublicPage.objects.get(kind=PageKind.ACCESSIBILITY)
    assert (
        client.post(reverse("admin:portal_publicpage_delete", args=[page.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert PublicPage.objects.count() == 3


def test_staff_who_are_not_administrators_cannot_edit_the_pages(client, officer):
    url = change_url(PageKind.PRIVACY)
    form = {"title": "Changed", "body": "Changed"}
    assert "/admin/login/" in client.post(url, form).url  # nobody signed in
    client.force_login(officer)
    assert "/admin/login/" in client.post(url, form).url  # a caseworker
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    sign_in_with_code(client, officer)
    assert client.post(url, form).status_code == 403  # staff without the right to change them
    officer.user_permissions.add(Permission.objects.get(codename="view_publicpage"))
    assert client.post(url, form).status_code == 403  # may look, not change
    assert PublicPage.objects.get(kind=PageKind.PRIVACY).title == "Privacy notice"
