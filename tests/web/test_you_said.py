""" "You said, we did" in the workspace: a caseworker drafts, a manager approves (never their own,
never with a person in it, the words found highlighted), and the list reads the same number of
queries however many entries there are."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.learning.models import EntryStatus, LearningAction, LearningEventKind, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services import you_said
from tests.cases.helpers import at
from tests.web.helpers import make_user, text

NOW = "Mon 2026-06-01 10:00"
LIST = "/work/you-said-we-did/"


def _draft(client, user, org, **fields):
    client.force_login(user)
    data = {
        "organisation": org.pk,
        "quarter": "2026-Q1",
        "you_said": "Repairs took too long to book.",
        "we_did": "We now book repairs on the first call.",
        "theme": "",
        "complaints": "",
        **fields,
    }
    with at(NOW):
        return client.post(f"{LIST}new/", data)


def _entry(org, actor, you="Repairs took too long.", we="We book on the first call."):
    with at(NOW):
        return you_said.draft_entry(org, Quarter.parse("2026-Q1"), you, we, None, [], [], actor)


def _marks(response) -> list[str]:
    return re.findall(r'<mark class="pr-finding">([^<]*)</mark>', response.content.decode())


def test_the_new_entry_form_offers_this_quarter_and_the_four_before(client, officer):
    client.force_login(officer)
    with at(NOW):
        page = client.get(f"{LIST}new/")
    assert page.status_code == 200
    offered = re.findall(r'<option value="(\d{4}-Q\d)"', page.content.decode())
    assert offered == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
    assert "selected" in re.search(r'<option value="2026-Q1"[^>]*>', page.content.decode()).group()


def test_a_caseworker_drafts_and_is_warned_of_personal_data(client, officer, org, customer, log):
    complaint = log("2026-03-02 10:00")
    response = _draft(
        client, officer, org, you_said="Ada Lovelace waited weeks.", complaints=complaint.reference.lower()
    )
    entry = YouSaidEntry.objects.get()
    assert response.status_code == 302 and response.url == f"{LIST}{entry.pk}/"
    assert list(entry.complaints.all()) == [complaint]
    with at(NOW):
        page = client.get(response.url)
    assert "The personal-data check finds “Ada Lovelace” (a person's name)" in text(page)
    assert _marks(page) == ["Ada Lovelace"]
    assert "Entry drafted for April to June 2026" in text(page)


def test_a_form_with_bad_input_says_so_and_keeps_nothing(client, officer, org):
    response = _draft(client, officer, org, we_did="", complaints="PR-NOPE")
    assert response.status_code == 400
    assert "There is a problem" in text(response)
    assert "Enter what we did" in text(response)
    assert not YouSaidEntry.objects.exists()
    response = _draft(client, officer, org, complaints="not-a-ref")
    assert response.status_code == 400
    assert "“not-a-ref” is not a complaint reference" in text(response)


def test_approval_refused_with_the_name_highlighted_then_approved_once_edited(
    client, officer, senior, org, customer
):
    entry = _entry(org, officer, we="We called Mrs Lovelace back the same day.")
    client.force_login(senior)
    with at(NOW):
        refused = client.post(f"{LIST}{entry.pk}/approve/", {"version": 1})
    assert refused.status_code == 400
    assert "The entry was not approved" in text(refused)
    assert "Take out “Lovelace” (a person's name), then approve it." in text(refused)
    assert _marks(refused) == ["Lovelace"]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert entry.events.last().kind == LearningEventKind.ENTRY_REFUSED

    client.force_login(officer)
    with at(NOW):
        edit = client.get(f"{LIST}{entry.pk}/edit/")
        assert "Mrs Lovelace" in edit.content.decode()
        saved = client.post(
            f"{LIST}{entry.pk}/edit/",
            {
                "organisation": org.pk,
                "quarter": "2026-Q1",
                "you_said": entry.you_said,
                "we_did": "We now call back the same day.",
                "theme": "",
                "complaints": "",
                "version": 1,
            },
        )
    assert saved.status_code == 302
    client.force_login(senior)
    with at(NOW):
        approved = client.post(f"{LIST}{entry.pk}/approve/", {"version": 2}, follow=True)
    assert "The entry is approved" in text(approved)
    entry.refresh_from_db()
    assert (entry.status, entry.approved_by) == (EntryStatus.APPROVED, senior)
    assert _marks(approved) == []


def test_nobody_approves_their_own_entry_on_the_web(client, senior, org):
    entry = _entry(org, senior)
    client.force_login(senior)
    page = client.get(f"{LIST}{entry.pk}/")
    assert "You drafted this entry: another manager approves it." in text(page)
    assert "Approve the entry" not in text(page)
    refused = client.post(f"{LIST}{entry.pk}/approve/", {"version": 1})
    assert refused.status_code == 409
    assert "Nobody approves their own entry" in text(refused)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT


def test_a_stale_approval_is_refused(client, officer, senior, org):
    entry = _entry(org, officer)
    you_said.edit_entry(entry, actor=officer, expected_version=1, we_did="Two teams now.")
    client.force_login(senior)
    refused = client.post(f"{LIST}{entry.pk}/approve/", {"version": 1})
    assert refused.status_code == 409
    assert "Someone else has changed this entry" in text(refused)


def test_withdrawn_with_a_reason(client, officer, org):
    entry = _entry(org, officer)
    client.force_login(officer)
    done = client.post(f"{LIST}{entry.pk}/withdraw/", {"reason": "Said twice", "version": 1}, follow=True)
    assert "The entry is withdrawn" in text(done)
    assert "Entry withdrawn: Said twice" in text(done)
    assert "Edit the entry" not in text(done)


def test_an_approved_entry_is_withdrawn_only_by_an_approver(client, officer, senior, org):
    entry = _entry(org, officer)
    you_said.approve_entry(entry, senior)
    client.force_login(officer)
    assert client.get(f"{LIST}{entry.pk}/withdraw/").status_code == 403


def test_another_landlords_entry_is_not_found(client, officer, org):
    other = Organisation.objects.create(name="Elsewhere", short_name="EW", kind=OrganisationKind.LANDLORD)
    theirs = _entry(other, make_user("otto", Role.RESOLUTION_OFFICER, other))
    client.force_login(officer)
    for suffix in ("", "edit/", "withdraw/"):
        assert client.get(f"{LIST}{theirs.pk}/{suffix}").status_code == 404
    assert "Calls" not in text(client.get(LIST))


def test_the_menu_shows_the_page_to_those_who_draft(client, officer, frontline):
    client.force_login(officer)
    assert 'href="/work/you-said-we-did/"' in client.get("/work/").content.decode()
    client.force_login(frontline)
    assert 'href="/work/you-said-we-did/"' not in client.get("/work/").content.decode()
    assert client.get(LIST).status_code == 403


def test_the_list_by_quarter_and_status_with_the_publish_link(client, officer, senior, org):
    first = _entry(org, officer, you="Bins were missed.")
    _entry(org, officer, you="Calls went unanswered.")
    you_said.approve_entry(first, senior)
    client.force_login(senior)
    page = client.get(LIST, {"status": "approved"})
    assert "April to June 2026" in text(page)
    assert "Bins were missed." in text(page) and "Calls went unanswered." not in text(page)
    assert 'href="/work/you-said-we-did/publish/VHT/2026-Q1/"' in page.content.decode()
    client.force_login(officer)  # who may not publish has no link
    assert "/publish/" not in client.get(LIST).content.decode()
    assert "No entries match what you chose." in text(client.get(LIST, {"quarter": "2025-Q4"}))


def _queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_and_the_entry_read_as_many_queries_for_one_entry_as_for_many(
    client, officer, senior, org, customer, log
):
    complaint = log("2026-03-02 10:00")
    action = LearningAction.objects.create(
        organisation=org,
        lesson="Lost bookings",
        change="One line",
        change_kind="procedure",
        due_on=dt.date(2026, 7, 1),
    )
    one = _entry(org, officer)
    small = (_queries(client, senior, LIST), _queries(client, senior, f"{LIST}{one.pk}/"))
    for n in range(12):
        entry = _entry(org, officer, you=f"Concern {n}")
        entry.complaints.add(complaint)
        entry.learning_actions.add(action)
        you_said.edit_entry(entry, actor=officer, expected_version=1, we_did=f"Change {n}")
    one.complaints.add(complaint)
    one.learning_actions.add(action)
    you_said.edit_entry(one, actor=officer, expected_version=1, we_did="Changed")
    big = (_queries(client, senior, LIST), _queries(client, senior, f"{LIST}{one.pk}/"))
    assert small == big


def test_learning_actions_are_linked_by_their_boxes(client, officer, org):
    action = LearningAction.objects.create(
        organisation=org,
        lesson="Bookings were lost between teams",
        change="One booking line",
        change_kind="procedure",
        due_on=dt.date(2026, 7, 1),
    )
    client.force_login(officer)
    with at(NOW):
        form = client.get(f"{LIST}new/")
    assert "Bookings were lost between teams (VHT)" in text(form)
    response = _draft(client, officer, org, learning_actions=[action.pk])
    assert response.status_code == 302
    entry = YouSaidEntry.objects.get()
    assert list(entry.learning_actions.all()) == [action]
    with at(NOW):
        page = client.get(response.url)
        edit = client.get(f"{LIST}{entry.pk}/edit/")
    assert "Bookings were lost between teams" in text(page)
    assert re.search(rf'value="{action.pk}"[^>]*checked', edit.content.decode())
