""" "You said, we did" over the API: the same rules as the workspace, as problem details.

Approving one's own entry is 409 ``own-entry``; an entry with a person in it is 422
``personal-data`` listing each finding, and the refusal is kept (and, for the same
Idempotency-Key, answered again without a second refusal on the record).
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.api.problems import CONTENT_TYPE, TYPE_BASE
from putright.learning.models import EntryStatus, LearningEventKind, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services import you_said
from tests.web.helpers import make_user

ENTRIES = "you-said-we-did/entries"
QUARTER = Quarter.containing(timezone.localdate())


def _draft(api, user, **fields):
    body = {
        "organisation": "VHT",
        "quarter": QUARTER.key,
        "you_said": "Repairs took too long to book.",
        "we_did": "We now book repairs on the first call.",
        **fields,
    }
    return api.as_(user).post(ENTRIES, body)


def _problem(reply, status, kind):
    assert reply.status_code == status, reply.content
    assert reply["Content-Type"] == CONTENT_TYPE
    body = reply.json()
    assert body["type"] == TYPE_BASE + kind
    return body


def test_draft_read_and_list(api, officer, org, customer, log):
    complaint = log("2026-03-02 10:00")
    reply = _draft(api, officer, you_said="Ada Lovelace waited.", complaints=[complaint.reference])
    assert reply.status_code == 201, reply.json()
    entry = reply.json()
    assert entry["status"] == "draft" and entry["version"] == 1
    assert entry["quarter"] == QUARTER.key and entry["organisation"] == "VHT"
    assert entry["complaints"] == [complaint.reference]
    assert [(f["field"], f["words"], f["kind"]) for f in entry["findings"]] == [
        ("you_said", "Ada Lovelace", "name")
    ]
    assert api.as_(officer).get(f"{ENTRIES}/{entry['id']}").json()["findings"][0]["words"] == "Ada Lovelace"
    listed = api.as_(officer).get(ENTRIES, {"quarter": QUARTER.key, "status": "draft"}).json()
    assert [e["id"] for e in listed] == [entry["id"]] and listed[0]["findings"] is None
    assert api.as_(officer).get(ENTRIES, {"status": "approved"}).json() == []


def test_bad_input_is_a_problem_and_keeps_nothing(api, officer):
    _problem(_draft(api, officer, quarter="2026-Q9"), 422, "invalid")
    body = _problem(_draft(api, officer, we_did=" "), 422, "invalid")
    assert body["errors"] == [{"field": "we_did", "message": "write what we did"}]
    _problem(_draft(api, officer, organisation="NOPE"), 404, "not-found")
    assert not YouSaidEntry.objects.exists()


def test_nobody_approves_their_own_entry_over_the_api(api, senior):
    entry = _draft(api, senior).json()
    body = _problem(api.as_(senior).post(f"{ENTRIES}/{entry['id']}/approve", {}), 409, "own-entry")
    assert body["detail"] == "Nobody approves their own entry: ask another manager to approve it."
    assert YouSaidEntry.objects.get().status == EntryStatus.DRAFT


def test_an_approval_with_personal_data_is_422_with_the_findings_once_per_key(api, officer, senior, customer):
    entry = _draft(api, officer, we_did="We rang 01603 123456 and wrote to ada@example.org.").json()
    path = f"{ENTRIES}/{entry['id']}/approve"
    first = api.as_(senior).post(path, {"version": 1}, idempotency_key="approve-1")
    body = _problem(first, 422, "personal-data")
    assert [(f["field"], f["words"], f["kind"]) for f in body["findings"]] == [
        ("we_did", "01603 123456", "phone"),
        ("we_did", "ada@example.org", "email"),
    ]
    again = api.as_(senior).post(path, {"version": 1}, idempotency_key="approve-1")
    assert _problem(again, 422, "personal-data") == body
    stored = YouSaidEntry.objects.get()
    refusals = stored.events.filter(kind=LearningEventKind.ENTRY_REFUSED).count()
    assert (stored.status, refusals) == (EntryStatus.DRAFT, 1)


def test_edit_then_approve_then_edit_returns_to_draft_then_withdraw(api, officer, senior):
    entry = _draft(api, officer).json()
    path = f"{ENTRIES}/{entry['id']}"
    _problem(api.as_(officer).patch(path, {"version": 9, "we_did": "x"}), 409, "stale-entry")
    edited = api.as_(officer).patch(path, {"version": 1, "we_did": "Two repairs teams now."})
    assert edited.status_code == 200 and edited.json()["version"] == 2
    approved = api.as_(senior).post(f"{path}/approve", {"version": 2})
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_by"]["username"] == senior.username
    _problem(api.as_(senior).post(f"{path}/approve", {}), 409, "entry-not-allowed")
    _problem(api.as_(officer).post(f"{path}/withdraw", {}), 403, "forbidden")  # approved: a manager's
    back = api.as_(officer).patch(path, {"version": 3, "you_said": "Repairs were slow."}).json()
    assert (back["status"], back["approved_by"]) == ("draft", None)
    withdrawn = api.as_(officer).post(f"{path}/withdraw", {"version": 4, "reason": "Said twice"})
    assert withdrawn.json()["status"] == "withdrawn"


def test_the_check_endpoint(api, officer, customer):
    reply = api.as_(officer).post(
        "you-said-we-did/check", {"organisation": "VHT", "text": "Mrs Lovelace of NR28 0NB"}
    )
    assert reply.status_code == 200
    assert [(f["words"], f["kind"]) for f in reply.json()["findings"]] == [
        ("Lovelace", "name"),
        ("NR28 0NB", "postcode"),
    ]
    assert '<mark class="pr-finding">Lovelace</mark>' in reply.json()["html"]


def test_another_landlords_entries_are_not_found(api, officer):
    other = Organisation.objects.create(name="Elsewhere", short_name="EW", kind=OrganisationKind.LANDLORD)
    theirs = make_user("otto", Role.RESOLUTION_OFFICER, other)
    entry = _draft(api, theirs, organisation="EW").json()
    _problem(api.as_(officer).get(f"{ENTRIES}/{entry['id']}"), 404, "not-found")
    _problem(api.as_(officer).patch(f"{ENTRIES}/{entry['id']}", {"version": 1}), 404, "not-found")
    _problem(api.as_(officer).get(ENTRIES, {"organisation": "EW"}), 404, "not-found")
    body = {"organisation": "EW", "text": "x"}
    _problem(api.as_(officer).post("you-said-we-did/check", body), 404, "not-found")
    assert api.as_(officer).get(ENTRIES).json() == []


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_list_reads_as_many_queries_for_one_entry_as_for_many(api, officer, org, log):
    complaint = log("2026-03-02 10:00")
    client = api.as_(officer)
    _draft(api, officer)
    small = _queries(client, ENTRIES)
    for n in range(10):
        entry = you_said.draft_entry(org, QUARTER, f"Concern {n}", "Change", None, [], [complaint], officer)
        assert entry.complaints.count() == 1
    assert _queries(client, ENTRIES) == small


def test_the_check_reads_a_bounded_text(api, officer):
    body = {"organisation": "VHT", "text": "word " * 1201}
    problem = _problem(api.as_(officer).post("you-said-we-did/check", body), 422, "invalid")
    assert problem["errors"] == [{"field": "text", "message": "check at most 6000 characters at a time"}]
