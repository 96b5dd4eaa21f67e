"""Letter templates in the workspace: administrators edit the words, preview them on a real case and
save a new version; an edit based on a version that is no longer the newest is refused."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role
from putright.comms.letters.services import letters, templates
from putright.comms.models import LetterKind, LetterTemplate
from tests.cases.helpers import at
from tests.conftest import sign_in_with_code
from tests.web.helpers import make_user, text
from tests.web.test_case_page import stage1_case

WHEN = "Tue 2026-03-17 09:00"
KIND = LetterKind.ACKNOWLEDGEMENT
EDIT = reverse("web:template-edit", kwargs={"template_kind": "acknowledgement"})


@pytest.fixture
def admin(org):
    return make_user("adele", Role.ADMINISTRATOR, org)


@pytest.fixture
def signed_in(client, admin):
    with at(WHEN):
        sign_in_with_code(client, admin)
    return client


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


def get(client, url: str, **kwargs):
    with at(WHEN):
        return client.get(url, **kwargs)


def post(client, data, **kwargs):
    with at(WHEN):
        return client.post(EDIT, data, **kwargs)


def edit_form(client) -> dict[str, str]:
    form = get(client, EDIT).context["form"]
    return {name: str(form[name].value() or "") for name in ("subject", "body", "reference", "based_on")}


def test_the_list_shows_each_kind_of_letter_with_its_version_in_use(signed_in):
    response = get(signed_in, reverse("web:templates"))
    assert response.status_code == 200
    words = text(response, main_only=True)
    for kind in LetterKind:
        assert kind.label in words
        assert reverse("web:template-edit", kwargs={"template_kind": kind.value.replace("_", "-")}) in (
            response.content.decode()
        )
    assert "Letter templates" in text(response)  # the administrator's navigation


def test_the_list_shows_the_newest_version_of_each_in_a_fixed_number_of_queries(signed_in, admin):
    url = reverse("web:templates")
    with CaptureQueriesContext(connection) as few:
        get(signed_in, url)
    for version in (2, 3):
        newest = templates.current(KIND)
        words = {"subject": newest.subject, "body": newest.body}
        templates.save_version(KIND, **words, note=f"v{version}", based_on=newest.version, actor=admin)
    with CaptureQueriesContext(connection) as more:
        page = get(signed_in, url)
    assert len(more) == len(few)
    html = page.content.decode()
    row = html[html.index(f">{KIND.label}<") :]
    assert row[: row.index("</tr>")].count("Version 3") == 1


def test_only_administrators_have_the_templates_in_their_navigation_or_may_open_them(client, officer, senior):
    for user in (officer, senior):
        client.force_login(user)
        with at(WHEN):
            assert "Letter templates" not in text(client.get(reverse("web:home")))
            assert client.get(reverse("web:templates")).status_code == 403
            assert client.get(EDIT).status_code == 403


def test_the_editor_shows_the_words_the_placeholders_and_the_newest_case_to_preview_on(
    signed_in, log, officer
):
    older = stage1_case(log, officer, received="Mon 2026-03-09 10:00", accepted="Mon 2026-03-09 11:00")
    newest = stage1_case(log, officer)
    response = get(signed_in, EDIT)
    assert response.status_code == 200
    form = edit_form(signed_in)
    current = templates.current(KIND)
    assert (form["subject"], form["based_on"]) == (current.subject, str(current.version))
    assert form["reference"] == newest.reference != older.reference
    words = text(response, main_only=True)
    for name in templates.placeholders(KIND):
        assert "{{ " + name + " }}" in words
    assert "Version 1" in words and "In use" in words


def test_a_preview_renders_the_words_on_the_chosen_case_with_its_dates_and_saves_nothing(signed_in, case):
    data = edit_form(signed_in) | {"reference": case.reference, "action": "preview"}
    data["body"] = (
        "Complaint {{ reference }} reached us on {{ received_on }}.\n\nWe reply by {{ response_by }}."
    )
    response = post(signed_in, data)
    assert response.status_code == 200
    preview = text(response.content.decode().split('id="preview"', 1)[1])
    assert f"Preview on {case.reference}" in preview
    assert f"Complaint {case.reference} reached us on Monday 16 March 2026." in preview
    assert "We reply by Monday 30 March 2026" in preview
    assert LetterTemplate.objects.filter(kind=KIND).count() == 1


def test_htmx_gets_the_preview_alone(signed_in, case):
    data = edit_form(signed_in) | {"reference": case.reference}
    response = post(signed_in, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div id="preview"' in html and "<html" not in html
    assert f"Preview on {case.reference}" in text(html)
    # ... and tells a screen reader, through the page's status line, that it changed.
    assert (
        '<p id="preview-status" class="govuk-visually-hidden" role="status" hx-swap-oob="true">'
        f"Preview updated on {case.reference}.</p>"
    ) in html
    # A refusal is swapped in too: htmx does not swap a 400.
    bad = post(signed_in, data | {"body": "{% if %}"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200 and "The preview could not be made" in text(bad)


@pytest.mark.parametrize(
    ("change", "field_error"),
    [
        ({"body": "Dear {{ nobody_knows }},"}, "body"),
        ({"body": "{% if reference %}unclosed"}, "body"),
        ({"reference": "PR-NOWHERE"}, "reference"),
        ({"subject": ""}, "subject"),
    ],
)
def test_a_preview_that_cannot_be_made_says_why_beside_the_field(signed_in, case, change, field_error):
    data = edit_form(signed_in) | {"reference": case.reference, "action": "preview"} | change
    response = post(signed_in, data)
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert response.context["form"].errors.get(field_error)
    assert LetterTemplate.objects.filter(kind=KIND).count() == 1


def test_saving_makes_a_new_version_that_new_drafts_use(signed_in, admin, case):
    data = edit_form(signed_in) | {"action": "save", "note": "Warmer opening, as residents asked"}
    data["body"] = data["body"].replace("Thank you for telling us", "Thank you so much for telling us")
    response = post(signed_in, data)
    assert response.status_code == 302 and response["Location"] == EDIT
    saved = templates.current(KIND)
    assert (saved.version, saved.note, saved.created_by) == (2, "Warmer opening, as residents asked", admin)
    page = get(signed_in, EDIT)
    words = text(page, main_only=True)
    assert "Version 2 saved." in words and "Letter template, version 2 in use" in words
    assert "Warmer opening, as residents asked" in words and "Adele Staff" in words
    with at(WHEN):
        assert "Thank you so much for telling us" in letters.draft(case, KIND).body
    listed = text(get(signed_in, reverse("web:templates")), main_only=True)
    assert "Acknowledgement Version 2" in listed


def test_a_new_version_needs_a_note(signed_in):
    data = edit_form(signed_in) | {"action": "save", "note": "  "}
    response = post(signed_in, data)
    assert response.status_code == 400
    assert "Say what changed in this version, and why" in text(response)
    assert LetterTemplate.objects.filter(kind=KIND).count() == 1


def test_an_edit_of_a_version_no_longer_the_newest_is_refused_and_changes_nothing(signed_in, org):
    mine = edit_form(signed_in)  # opened at version 1
    colleague = make_user("alex", Role.ADMINISTRATOR, org)
    current = templates.current(KIND)
    templates.save_version(
        KIND,
        subject=current.subject,
        body=current.body + "\nP.S.",
        note="Theirs",
        based_on=1,
        actor=colleague,
    )
    response = post(signed_in, mine | {"action": "save", "note": "Mine"})
    assert response.status_code == 400
    assert "Someone has saved version 2 of this template since you opened version 1" in text(response)
    assert list(LetterTemplate.objects.filter(kind=KIND).values_list("version", "note")) == [
        (2, "Theirs"),
        (1, current.note),
    ]


def test_each_version_can_be_read_as_it_was_saved(signed_in):
    first = templates.current(KIND)
    data = edit_form(signed_in) | {"action": "save", "note": "Shorter", "body": "Dear {{ recipient_name }},"}
    assert post(signed_in, data).status_code == 302
    url = reverse("web:template-version", kwargs={"template_kind": "acknowledgement", "version": 1})
    words = text(get(signed_in, url), main_only=True)
    assert "Version 1" in words and first.subject in words
    assert "Thank you for telling us" in words
    second = text(get(signed_in, url.replace("/1/", "/2/")), main_only=True)
    assert "Dear {{ recipient_name }}," in second and "Shorter" in second
    assert get(signed_in, url.replace("/1/", "/9/")).status_code == 404
    assert get(signed_in, reverse("web:template-edit", kwargs={"template_kind": "sonnet"})).status_code == 404
