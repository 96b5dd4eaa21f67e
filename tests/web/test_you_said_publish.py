"""Publishing a quarter from the workspace, and the complaint list behind each figure."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.learning.models import Publication
from putright.learning.quarters import Quarter
from tests.learning.publish_cases import make_quarter
from tests.learning.publish_entries import approved_entry
from tests.web.helpers import text

Q1 = Quarter.parse("2026-Q1")
PAGE = "/work/you-said-we-did/publish/VHT/2026-Q1/"


@pytest.fixture
def made(log, officer, senior):
    return make_quarter(log, officer, senior)


@pytest.fixture
def entry(org, officer, senior):
    return approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Mould came back after it was treated.",
        we_did="We now check every treated home again after six weeks.",
    )


def _publish(client, data):
    return client.post(PAGE, data)


def test_a_manager_previews_and_publishes_a_quarter(client, made, entry, senior):
    client.force_login(senior)
    page = client.get(PAGE)
    assert page.status_code == 200
    words = text(page, main_only=True)
    assert "“You said, we did”: April to June 2026" in words
    assert "Not published yet." in words
    assert "Complaints received 5" in words
    assert "Given on time 3 (60%)" in words
    assert "Mould came back after it was treated." in words
    assert "Publish" in words

    done = _publish(client, {"seen_version": "0", "correction_note": ""})
    assert done.status_code == 302 and done["Location"] == PAGE
    published = Publication.objects.get()
    assert (published.version, published.published_by) == (1, senior)
    after = text(client.get(PAGE), main_only=True)
    assert "April to June 2026 published: version 1." in after
    assert "Nothing has changed since version 1 was published." in after
    # A second click of the same button (its page still says version 0): published once.
    again = _publish(client, {"seen_version": "0", "correction_note": ""})
    assert again.status_code == 302
    assert Publication.objects.count() == 1


def test_a_new_version_needs_a_note_and_the_page_says_what_changed(client, org, officer, senior, entry):
    client.force_login(senior)
    _publish(client, {"seen_version": "0"})
    approved_entry(
        org, Q1, drafted_by=officer, approved_by=senior, you_said="Repairs were late.", we_did="More staff."
    )
    words = text(client.get(PAGE), main_only=True)
    assert "Since version 1: New entry: “Repairs were late.”" in words
    assert "Publish version 2" in words

    refused = _publish(client, {"seen_version": "1", "correction_note": " "})
    assert refused.status_code == 400
    assert "say what this new version corrects" in text(refused)
    assert Publication.objects.count() == 1

    _publish(client, {"seen_version": "1", "correction_note": "An entry approved late was missing."})
    latest = Publication.objects.order_by("-version").first()
    assert (latest.version, latest.correction_note) == (2, "An entry approved late was missing.")
    assert "An entry approved late was missing." in text(client.get(PAGE), main_only=True)


def test_nothing_approved_is_refused_on_the_page(client, senior, org):
    client.force_login(senior)
    refused = _publish(client, {"seen_version": "0"})
    assert refused.status_code == 400
    assert "Nothing is approved for Victory Housing Trust, April to June 2026" in text(refused)
    assert not Publication.objects.exists()


def test_an_officer_sees_the_preview_but_cannot_publish(client, officer, entry):
    client.force_login(officer)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert 'id="main-form"' not in page.content.decode()
    assert _publish(client, {"seen_version": "0"}).status_code == 403
    assert not Publication.objects.exists()


def test_another_landlord_and_a_bad_quarter_are_not_found(client, outsider, senior, entry):
    client.force_login(outsider)
    assert client.get(PAGE).status_code == 404
    assert client.post(PAGE, {"seen_version": "0"}).status_code == 404
    client.force_login(senior)
    assert client.get("/work/you-said-we-did/publish/VHT/2026-Q7/").status_code == 404
    assert not Publication.objects.exists()


def test_each_figure_links_to_the_complaints_behind_it(client, made, entry, senior):
    client.force_login(senior)
    page = client.get(PAGE).content.decode()

    def listed(figure):
        import re

        href = re.search(rf'href="([^"]+)"[^>]*data-figure="{figure}"', page).group(1).replace("&amp;", "&")
        url = urlsplit(href)
        found = client.get(f"{url.path}?{url.query}")
        assert found.status_code == 200
        return {ref for key, ref in made.items() if ref.reference in found.content.decode()}

    assert listed("received") == {made[k] for k in "ABCDF"}
    assert listed("responses") == {made[k] for k in "ABCDE"}
    assert listed("upheld") == {made[k] for k in "ACD"}
    assert listed("on_time") == {made[k] for k in "ACE"}
    assert listed("stage2_requests") == {made["A"]}
    themed = client.get(
        "/work/complaints/",
        {
            "within": "VHT",
            "received_from": "2026-04-01",
            "received_to": "2026-06-30",
            "theme": "communication",
        },
    ).content.decode()
    # B through a merged theme.
    assert {k for k, c in made.items() if c.reference in themed} == {"A", "B", "C"}
    late = client.get(
        "/work/complaints/",
        {"within": "VHT", "responded_from": "2026-04-01", "responded_to": "2026-06-30", "response": "late"},
    ).content.decode()
    # B late, and D late despite its extension (beyond the policy, with a good reason).
    assert {k for k, c in made.items() if c.reference in late} == {"B", "D"}


def test_the_page_takes_the_same_queries_whatever_the_data(client, log, org, officer, senior, entry):
    client.force_login(senior)
    _publish(client, {"seen_version": "0"})

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGE).status_code == 200
        return len(queries)

    count()  # the first read after publishing shows (and so clears) the "published" message
    small = count()
    make_quarter(log, officer, senior)
    for n in range(3):
        approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said=f"More {n}", we_did="Done")
    assert count() == small + 1  # the themes are read once there are themes to name
