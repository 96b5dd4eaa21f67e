"""What the review of the public pages asked for: limits on drafts and files, forgetting personal data.

"Now" is Thu 24 December 2026 at 15:00 where a test fixes it (see test_complain's
dates); a limit counted at 14:30 lifts an hour later, at 15:30.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from putright.accounts.models import Organisation
from putright.cases.models import Attachment, Representative
from putright.portal import access, drafts, limits
from putright.portal.models import Draft, DraftFile, RateEvent
from tests.cases.conftest import Journey
from tests.cases.helpers import at
from tests.portal.test_complain import PNG, TENANT, answer, error_summary, fill, main, upload

pytestmark = pytest.mark.django_db

NOW = "Thu 2026-12-24 15:00"
HERE = "127.0.0.1"


# Drafts and files have limits


def test_too_many_new_drafts_from_one_address_wait_an_hour_and_nothing_is_stored(client, org):
    with at("Thu 2026-12-24 14:30"):
        for _ in range(drafts.STARTS.allowed):
            limits.count(drafts.STARTS, HERE)
    with at(NOW):
        refused = answer(client, "who", TENANT["who"])
    assert refused.status_code == 429
    page = main(refused)
    assert "Sorry, you cannot start a complaint just now" in page
    assert "You can start a complaint after Thursday 24 December 2026 at 15:30" in page
    assert "Your answers are saved" not in page
    assert Draft.objects.count() == 0
    with at("Thu 2026-12-24 15:31"):
        assert answer(client, "who", TENANT["who"]).status_code == 302
    assert Draft.objects.count() == 1


def test_a_post_without_a_session_cannot_make_drafts_for_ever(org):
    with at(NOW):
        for _ in range(drafts.STARTS.allowed):
            assert answer(Client(), "who", TENANT["who"]).status_code == 302
        assert answer(Client(), "who", TENANT["who"]).status_code == 429
    assert Draft.objects.count() == drafts.STARTS.allowed


def test_too_many_files_from_one_address_wait_an_hour_and_the_answers_stay(client, org):
    with at(NOW):
        fill(client, {k: TENANT[k] for k in ("who", "name")})
        saved = Draft.objects.get().answers
        for _ in range(drafts.UPLOADS.allowed):
            limits.count(drafts.UPLOADS, HERE)
        refused = upload(client, "roof.png", PNG)
    assert refused.status_code == 429
    page = main(refused)
    assert "Sorry, you cannot add a file just now" in page
    assert "Your answers are saved. You can add a file after Thursday 24 December 2026 at 16:00" in page
    assert DraftFile.objects.count() == 0
    assert Draft.objects.get().answers == saved


def test_a_drafts_files_together_may_not_pass_five_times_the_one_file_limit(client, org, settings):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 2048
    fill(client, {k: TENANT[k] for k in ("who", "name")})
    big = PNG + bytes(2048 - len(PNG))
    for number in range(5):
        assert upload(client, f"photo{number}.png", big).status_code == 302
    refused = upload(client, "one-more.png", PNG)
    assert refused.status_code == 400
    assert "Your files can add up to 10 KB at most. Remove a file or choose a smaller one" in main(refused)
    assert DraftFile.objects.count() == 5


# Personal data is not kept for ever


def test_sending_empties_the_draft_and_removes_its_files(client, org, django_capture_on_commit_callbacks):
    with at(NOW):
        fill(client, {k: v for k, v in TENANT.items() if k != "evidence"})
        upload(client, "roof.png", PNG, action="continue")
        kept = DraftFile.objects.get()
        path = Path(kept.file.path)
        assert path.exists()
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/complain/check-your-answers/").headers["Location"] == "/complain/sent/"
    draft = Draft.objects.get()
    assert draft.answers == {} and draft.complaint is not None
    assert not DraftFile.objects.exists() and not path.exists()
    assert Attachment.objects.get().name == "roof.png"
    page = main(client.get("/complain/sent/"))  # the confirmation reads the complaint
    assert draft.complaint.reference in page and "ada@example.org" in page


def _housekeeping() -> str:
    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    return out.getvalue()


def test_housekeeping_forgets_old_drafts_their_files_and_old_attempts_and_nothing_else(client, org):
    with at("Mon 2026-11-23 12:00"):  # 31 days before Thu 24 December
        fill(client, {k: TENANT[k] for k in ("who", "name")})
        upload(client, "roof.png", PNG)
        limits.count(drafts.STARTS, "192.0.2.9")
    old_file = Path(DraftFile.objects.get().file.path)
    with at("Wed 2026-11-25 12:00"):  # 29 days before: kept
        fill(Client(), {k: TENANT[k] for k in ("who", "name")})
    with at("Tue 2026-12-22 14:00"):  # 2 days and an hour before: forgotten
        limits.count(drafts.UPLOADS, "192.0.2.9")
    with at("Tue 2026-12-22 16:00"):  # within 2 days: kept
        limits.count(drafts.UPLOADS, "192.0.2.10")
    assert Draft.objects.count() == 2 and old_file.exists()
    with at(NOW):
        said = _housekeeping()
    assert "Removed 1 old draft(s) with 1 file(s)." in said
    # The starts of 23 and 25 November, the upload and count of 23 November, and 22 December at 14:00.
    assert "Removed 5 old rate-limit attempt(s)." in said
    assert Draft.objects.count() == 1 and not DraftFile.objects.exists() and not old_file.exists()
    assert RateEvent.objects.get().key == limits.digest("192.0.2.10")
    with at(NOW):
        assert _housekeeping() == (
            "Removed 0 old draft(s) with 0 file(s).\nRemoved 0 old rate-limit attempt(s).\n"
        )


# Stopping the links ends the access they gave


def test_stopping_the_links_ends_access_already_given_by_a_link(journey):
    complaint = journey.until("accepted")
    token = access.issue_link(complaint, "ada@example.org")
    page = reverse("portal:case", args=[complaint.reference])
    forwarded, customer = Client(), Client()
    with at("Mon 2027-01-04 10:00"):
        forwarded.get(reverse("portal:link", args=[token]))
        customer.get(reverse("portal:link", args=[token]))
        assert forwarded.get(page).status_code == 200
    with at("Mon 2027-01-04 11:00"):
        customer.post(reverse("portal:stop-link", args=[complaint.reference]))
    with at("Mon 2027-01-04 11:05"):
        gone = forwarded.get(page)
        assert gone.status_code == 404
        assert "We could not find that complaint" in main(gone)
        assert forwarded.get(reverse("portal:review", args=[complaint.reference])).status_code == 404
        # Whoever stopped the links is signed out too (issue 15): they may be on a shared computer.
        assert customer.get(page).status_code == 404


def test_access_by_reference_postcode_and_surname_also_ends_when_links_are_stopped_later(journey):
    complaint = journey.until("accepted")
    access.issue_link(complaint, "ada@example.org")
    page = reverse("portal:case", args=[complaint.reference])
    visitor = Client()
    details = {"reference": complaint.reference, "postcode": "NR28 0NB", "surname": "Lovelace"}
    with at("Mon 2027-01-04 10:00"):
        assert visitor.post(reverse("portal:find"), details).status_code == 302
        assert visitor.get(page).status_code == 200
    with at("Mon 2027-01-04 11:00"):
        access.revoke_links(complaint)  # e.g. staff stop them
    with at("Mon 2027-01-04 11:05"):
        assert visitor.get(page).status_code == 404
    with at("Mon 2027-01-04 11:10"):  # proving who they are again lets them back in
        assert visitor.post(reverse("portal:find"), details).status_code == 302
        assert visitor.get(page).status_code == 200


@pytest.fixture
def journey(log, officer, senior) -> Journey:
    return Journey(log, officer, senior)


# Nothing personal stays in a browser's cache


def test_every_kind_of_public_page_tells_browsers_not_to_store_it(client, org, journey):
    with at(NOW):
        pages = {"start": client.get("/"), "question": client.get("/complain/who/")}
        fill(client)
        pages["check"] = client.get("/complain/check-your-answers/")
        pages["send"] = client.post("/complain/check-your-answers/")
        pages["confirmation"] = client.get("/complain/sent/")
        pages["find"] = client.get(reverse("portal:find"))
        pages["unknown case"] = client.get(reverse("portal:case", args=["PR-AAAAAA"]))
    assert pages["confirmation"].status_code == 200
    for name, response in pages.items():
        assert response["Cache-Control"] == "no-store", name


def test_a_new_complaint_clears_the_last_confirmation_from_the_browser(client, org):
    with at(NOW):
        fill(client)
        client.post("/complain/check-your-answers/")
        assert client.get("/complain/sent/").status_code == 200
        client.get("/complain/")  # "Make another complaint"
        assert client.get("/complain/sent/").headers["Location"] == "/"
        answer(client, "who", TENANT["who"])
        assert client.get("/complain/sent/").headers["Location"] == "/"


# Typed answers are text a person can read


def test_a_name_with_a_hidden_character_is_refused_with_a_clear_message(client, org):
    fill(client, {"who": TENANT["who"]})
    refused = answer(client, "name", {"first_name": "Ada\x1b[31m", "last_name": "Love\u202elace"})
    assert refused.status_code == 400
    summary = error_summary(refused)
    assert (
        "First name has a hidden character we cannot accept. Type it again instead of pasting it" in summary
    )
    assert "Last name has a hidden character we cannot accept" in summary
    assert "name" not in Draft.objects.get().answers


def test_a_long_answer_keeps_its_line_breaks_but_not_control_characters(client, org):
    fill(client, {"who": TENANT["who"]})
    refused = answer(client, "what-went-wrong", {"summary": "Roof", "description": "The roof leaks.\x07\x00"})
    assert refused.status_code == 400
    assert "What went wrong has a hidden character we cannot accept" in error_summary(refused)
    kept = "The roof leaks.\r\n\r\nNobody came.\tTwice."
    assert answer(client, "what-went-wrong", {"summary": "Roof", "description": kept}).status_code == 302
    assert Draft.objects.get().answers["what-went-wrong"]["description"] == kept


def test_the_name_of_someone_given_consent_must_be_plain_text(client, journey):
    complaint = journey.until("responded")
    details = {"reference": complaint.reference, "postcode": "NR28 0NB", "surname": "Lovelace"}
    client.post(reverse("portal:find"), details)
    refused = client.post(
        reverse("portal:consent", args=[complaint.reference]),
        {"kind": "designated_person", "name": "Jo\x08 Bloggs", "agree": ["yes"]},
    )
    assert refused.status_code == 400
    assert "Their name has a hidden character we cannot accept" in error_summary(refused)
    assert not Representative.objects.exists()


def test_the_browser_does_not_fill_in_the_visitors_own_name_for_the_person_they_complain_for(client, org):
    answer(client, "who", {"who": "someone_else"})
    html = client.get("/complain/for-someone/").content.decode()
    for name in ("first_name", "last_name"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert tag is not None and 'autocomplete="off"' in tag.group(0), name


# One source for the landlord's phone and the Ombudsman's details


def test_over_a_limit_the_page_gives_the_groups_number_when_the_landlord_has_none(client, org):
    group = Organisation.objects.create(
        name="Victory Group Holdings", short_name="GROUPX", phone="0800 111 222"
    )
    org.parent, org.phone = group, ""
    org.save()
    Organisation.objects.filter(pk=group.pk).update(kind=org.kind)  # two landlords: choose ours
    with at(NOW):
        fill(client, {k: v for k, v in TENANT.items() if k != "evidence"})
        answer(client, "landlord", {"organisation": org.pk})
        for _ in range(drafts.UPLOADS.allowed):
            limits.count(drafts.UPLOADS, HERE)
        refused = upload(client, "roof.png", PNG)
    assert refused.status_code == 429
    assert "If you need to speak to us sooner, call us on 0800 111 222" in main(refused)


def test_the_confirmation_gives_the_ombudsmans_details_in_full(client, org):
    with at(NOW):
        fill(client)
        client.post("/complain/check-your-answers/")
        page = main(client.get("/complain/sent/"))
    assert (
        "refer your complaint to the Housing Ombudsman Service: phone 0300 111 3000, email "
        "info@housing-ombudsman.org.uk, or write to PO Box 152, Liverpool, L33 7WQ." in page
    )
