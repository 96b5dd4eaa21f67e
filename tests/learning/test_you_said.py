""" "You said, we did" entries: drafting, editing, approving (never one's own, never with a person
in it) and withdrawing, each with its record in the learning events."""

from __future__ import annotations

import datetime as dt

import pytest

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.errors import InvalidInput
from putright.learning.models import EntryStatus, LearningAction, LearningEvent, LearningEventKind, Theme
from putright.learning.quarters import Quarter
from putright.learning.services import you_said
from tests.cases.helpers import at
from tests.web.helpers import make_user

Q = Quarter.parse("2026-Q1")  # April to June 2026


def kinds(entry):
    return [LearningEventKind(k) for k in entry.events.order_by("pk").values_list("kind", flat=True)]


@pytest.fixture
def draft(org, officer):
    def make(you="Repairs took too long to book.", we="We now book repairs on the first call.", **extra):
        with at("Mon 2026-06-01 10:00"):
            fields = {
                "organisation": org,
                "quarter": Q,
                "you_said": you,
                "we_did": we,
                "theme": None,
                "learning_actions": [],
                "complaints": [],
                "actor": officer,
            }
            fields.update(extra)
            return you_said.draft_entry(**fields)

    return make


def test_a_draft_is_kept_with_its_event(draft, officer):
    entry = draft()
    assert entry.status == EntryStatus.DRAFT
    assert entry.quarter_start == dt.date(2026, 4, 1)
    assert entry.drafted_by == officer
    assert kinds(entry) == [LearningEventKind.ENTRY_DRAFTED]
    assert entry.events.get().summary == "Entry drafted for April to June 2026"


def test_a_draft_with_personal_data_is_kept_with_a_warning(draft, customer):
    entry = draft(you="Ada Lovelace waited a month.")
    event = entry.events.get()
    assert "the check finds “Ada Lovelace” (a person's name)" in event.summary
    assert event.data["findings"]["you_said"][0]["words"] == "Ada Lovelace"


def test_a_quarter_not_yet_begun_is_refused(draft):
    with pytest.raises(InvalidInput, match="has not begun"):
        draft(quarter=Quarter.parse("2026-Q2"))


def test_empty_words_are_refused_and_nothing_is_kept(draft):
    with pytest.raises(InvalidInput, match="you said"):
        draft(you="   ")
    assert not LearningEvent.objects.exists()


def test_links_to_complaints_by_reference_and_learning_actions(draft, org, officer, log):
    complaint = log("2026-03-02 10:00")
    action = LearningAction.objects.create(
        organisation=org,
        lesson="Bookings lost",
        change="One booking line",
        change_kind="procedure",
        due_on=dt.date(2026, 7, 1),
    )
    entry = draft(complaints=[complaint.reference.lower()], learning_actions=[action])
    assert list(entry.complaints.all()) == [complaint]
    assert list(entry.learning_actions.all()) == [action]


def test_another_landlords_complaint_and_action_are_refused(draft, officer, log):
    other = Organisation.objects.create(name="Elsewhere", short_name="EW", kind=OrganisationKind.LANDLORD)
    action = LearningAction.objects.create(
        organisation=other, lesson="x", change="y", change_kind="other", due_on=dt.date(2026, 7, 1)
    )
    with pytest.raises(InvalidInput, match="not Victory Housing Trust's"):
        draft(learning_actions=[action])
    with pytest.raises(InvalidInput, match="no complaint PR-000000"):
        draft(complaints=["PR-000000"])


def test_a_retired_theme_is_not_chosen_anew(draft):
    theme = Theme.objects.filter(parent__isnull=True).first()
    theme.retired_at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    theme.save()
    with pytest.raises(InvalidInput, match="retired"):
        draft(theme=theme)


def test_nobody_approves_their_own_entry(draft, officer, senior):
    entry = draft(actor=senior)
    with pytest.raises(you_said.OwnEntry, match="Nobody approves their own entry"):
        you_said.approve_entry(entry, senior)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert kinds(entry) == [LearningEventKind.ENTRY_DRAFTED]


def test_nobody_approves_words_they_changed_in_anothers_entry(draft, officer, senior):
    entry = draft()
    you_said.edit_entry(
        entry, actor=senior, expected_version=entry.version, we_did="We book on the first call."
    )
    entry.refresh_from_db()
    with pytest.raises(you_said.OwnEntry, match="Nobody approves their own entry"):
        you_said.approve_entry(entry, senior)
    another = make_user("another.senior", Role.SENIOR_MANAGER, entry.organisation)
    assert you_said.approve_entry(entry, another).status == EntryStatus.APPROVED


def test_an_approval_with_personal_data_is_refused_and_the_refusal_kept(draft, senior, customer):
    entry = draft(we="We called Mrs Lovelace on 01603 123456.")
    with pytest.raises(you_said.PersonalDataFound) as refused:
        you_said.approve_entry(entry, senior)
    words = [(f.words, f.kind.value) for f in refused.value.found["we_did"]]
    assert words == [("Lovelace", "name"), ("01603 123456", "phone")]
    assert "“Lovelace” (a person's name), “01603 123456” (a phone number)" in refused.value.message
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT
    assert kinds(entry) == [LearningEventKind.ENTRY_DRAFTED, LearningEventKind.ENTRY_REFUSED]
    refusal = entry.events.last()
    assert refusal.actor == senior
    assert [f["words"] for f in refusal.data["findings"]["we_did"]] == ["Lovelace", "01603 123456"]


def test_approved_by_another_manager_then_not_again(draft, senior):
    entry = draft()
    with at("Tue 2026-06-02 09:00"):
        approved = you_said.approve_entry(entry, senior, expected_version=1)
    assert approved.status == EntryStatus.APPROVED
    assert approved.approved_by == senior
    assert approved.version == 2
    with pytest.raises(you_said.EntryNotAllowed, match="already approved"):
        you_said.approve_entry(entry, senior)
    assert kinds(entry) == [LearningEventKind.ENTRY_DRAFTED, LearningEventKind.ENTRY_APPROVED]


def test_a_stale_copy_is_refused(draft, officer, senior):
    entry = draft()
    you_said.edit_entry(entry, actor=officer, expected_version=1, we_did="We hired two more planners.")
    with pytest.raises(you_said.StaleEntry, match="version 1, it is now version 2"):
        you_said.approve_entry(entry, senior, expected_version=1)
    with pytest.raises(you_said.StaleEntry):
        you_said.edit_entry(entry, actor=officer, expected_version=1, we_did="Again")


def test_editing_an_approved_entry_returns_it_to_draft(draft, officer, senior):
    entry = draft()
    you_said.approve_entry(entry, senior)
    edited = you_said.edit_entry(entry, actor=officer, expected_version=2, we_did="We hired two more.")
    assert edited.status == EntryStatus.DRAFT
    assert edited.approved_by is None and edited.approved_at is None
    assert edited.version == 3
    event = entry.events.last()
    assert event.kind == LearningEventKind.ENTRY_EDITED
    assert event.summary == "Entry edited (we did); it was approved, so it is a draft again"


def test_an_edit_that_changes_nothing_records_nothing(draft, officer):
    entry = draft()
    same = you_said.edit_entry(entry, actor=officer, expected_version=1, we_did=entry.we_did)
    assert same.version == 1
    assert kinds(entry) == [LearningEventKind.ENTRY_DRAFTED]


def test_withdrawn_for_good(draft, officer, senior):
    entry = draft()
    you_said.withdraw_entry(entry, officer, reason="Said  twice", expected_version=1)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WITHDRAWN
    assert entry.events.last().summary == "Entry withdrawn: Said twice"
    with pytest.raises(you_said.EntryNotAllowed):
        you_said.approve_entry(entry, senior)
    with pytest.raises(you_said.EntryNotAllowed):
        you_said.edit_entry(entry, actor=officer, expected_version=2, we_did="x")


def test_only_an_approver_withdraws_an_approved_entry(draft, officer, senior):
    entry = draft()
    you_said.approve_entry(entry, senior)
    with pytest.raises(you_said.EntryForbidden):
        you_said.withdraw_entry(entry, officer)
    assert you_said.withdraw_entry(entry, senior).status == EntryStatus.WITHDRAWN


def test_an_organisation_the_actor_does_not_work_for_is_refused(draft, org):
    stranger = Organisation.objects.create(name="Elsewhere", short_name="EW", kind=OrganisationKind.LANDLORD)
    outsider = make_user("otto", Role.RESOLUTION_OFFICER, stranger)
    with pytest.raises(InvalidInput, match="one of your organisations"):
        draft(actor=outsider)


def test_the_quarters_offered_are_this_one_and_the_four_before():
    keys = [q.key for q in you_said.selectable_quarters(dt.date(2026, 4, 1))]
    assert keys == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1"]
