"""Listing complaints: filters, the next-deadline order, stable pages, and a fixed number of queries.

The list is read on Wed 18 March 2026 at 12:00. The complaints, made through
the services (the list is what is tested here), by hand:

    A  Mon 2 Mar 10:00   Ada      service_failure  stage 1, Olivia, no contact yet
         stage1.contact  Tue 3 Mar 10:00 (24 working hours)           -> overdue
         stage1.response end of Mon 16 Mar (10 working days)          -> overdue
    B  Mon 9 Mar 10:00   Charles  staff_conduct    stage 1, Oscar, contacted Mon 9 Mar 12:00
         stage1.response day 0 Mon 9; Tue 10 (1) ... Fri 13 (4), Mon 16 (5) ... Fri 20 (9),
                         Mon 23 (10) -> end of Mon 23 Mar
    C  Wed 11 Mar 10:00  Ada      service_delivery received, awaiting triage: no deadlines
    D  Fri 13 Mar 09:00  Ada      service_failure  stage 1 responded by Olivia: every deadline met
    E  Mon 16 Mar 10:00  Charles  service_failure  stage 1, Olivia, contacted Mon 16 Mar 11:00
         stage1.response day 0 Mon 16; Tue 17 (1) ... Fri 20 (4), Mon 23 (5) ... Fri 27 (9),
                         Mon 30 (10) -> end of Mon 30 Mar
    S  Tue 10 Mar 10:00  Grace    Suffolk Housing, outside every fixture user's organisations

By next deadline (none last, then by id): A (Tue 3 Mar), B (Mon 23 Mar), E (Mon 30 Mar), C, D.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.cases.services import concerns, evidence, investigation, responses, triage
from putright.cases.services.customers import create_customer
from tests.api.helpers import is_problem
from tests.cases.helpers import at, end_of, on

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-18 12:00"


def upheld(complaint):
    return dict.fromkeys(complaint.points.values_list("pk", flat=True), ("upheld", "Sorry"))


@pytest.fixture
def charles(org):
    return create_customer(
        organisation=org, first_name="Charles", last_name="Babbage", phone="01603 111111", postcode="NR1 1AA"
    )


@pytest.fixture
def cases(log, officer, second_officer, charles, other_org, other_org_customer):
    """The complaints of the module docstring, by letter."""
    made = {}
    with at("Mon 2026-03-02 11:00"):
        made["A"] = log("2026-03-02 10:00")
        triage.accept(made["A"], owner=officer, actor=officer, reasoning="Meets the definition.")
    with at("Mon 2026-03-09 12:00"):
        made["B"] = log(
            "2026-03-09 10:00",
            customer=charles,
            category="staff_conduct",
            summary="Rude operative",
            description="The operative was rude at the door",
            points=["The operative swore"],
        )
        triage.accept(
            made["B"], owner=second_officer, actor=second_officer, reasoning="Meets the definition."
        )
        investigation.record_contact(made["B"], method="phone", summary="Apology", actor=second_officer)
    with at("Wed 2026-03-11 10:00"):
        made["C"] = log("2026-03-11 10:00", category="service_delivery", summary="Gardening contractor")
    with at("Fri 2026-03-13 09:00"):
        made["D"] = log("2026-03-13 09:00")
    with at("Fri 2026-03-13 10:00"):
        triage.accept(made["D"], owner=officer, actor=officer, reasoning="Meets the definition.")
        investigation.record_contact(made["D"], method="phone", summary="Call", actor=officer)
        responses.respond(
            made["D"], outcomes=upheld(made["D"]), method="phone", summary="Sorry", actor=officer
        )
    with at("Mon 2026-03-16 11:00"):
        made["E"] = log("2026-03-16 10:00", customer=charles)
        triage.accept(made["E"], owner=officer, actor=officer, reasoning="Meets the definition.")
        investigation.record_contact(made["E"], method="email", summary="Email", actor=officer)
    with at("Tue 2026-03-10 10:00"):
        made["S"] = log(
            "2026-03-10 10:00", organisation=other_org, customer=other_org_customer, summary="Damp"
        )
    return made


def listed(client, cases, **params) -> list[str]:
    """The letters of the complaints listed, in order (all of them: one page of 100)."""
    letters = {c.reference: letter for letter, c in cases.items()}
    with at(NOW):
        reply = client.get("complaints", {"page_size": 100, **params})
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["count"] == len(body["results"])
    return [letters[r["reference"]] for r in body["results"]]


def test_sorted_by_next_deadline_by_default_with_no_open_deadline_last(api, officer, cases):
    assert listed(api.as_(officer), cases) == ["A", "B", "E", "C", "D"]

    with at(NOW):
        body = api.as_(officer).get("complaints").json()
    assert (body["count"], body["page"], body["page_size"]) == (5, 1, 25)
    first = body["results"][0]
    assert first["reference"] == cases["A"].reference
    assert first["next_deadline"]["name"] == "stage1.contact"
    assert dt.datetime.fromisoformat(first["next_deadline"]["due_at"]) == on("Tue 2026-03-03 10:00")
    assert first["next_deadline"]["due_date"] == "2026-03-03"
    assert first["next_deadline"]["overdue"] is True
    second = body["results"][1]
    assert dt.datetime.fromisoformat(second["next_deadline"]["due_at"]) == end_of("Mon 2026-03-23")
    assert second["next_deadline"]["overdue"] is False
    assert second["owner"] == {"username": "oscar", "name": "Oscar Staff"}
    assert second["customer"] == "Charles Babbage"
    assert [r["next_deadline"] for r in body["results"][3:]] == [None, None]


def test_other_sorts(api, officer, cases):
    olivia = api.as_(officer)
    assert listed(olivia, cases, sort="received_at") == ["A", "B", "C", "D", "E"]
    assert listed(olivia, cases, sort="-received_at") == ["E", "D", "C", "B", "A"]
    by_reference = sorted("ABCDE", key=lambda letter: cases[letter].reference)
    assert listed(olivia, cases, sort="reference") == by_reference
    with at(NOW):
        is_problem(olivia.get("complaints", {"sort": "summary"}), 422, "invalid")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "stage1"}, ["A", "B", "E"]),
        ({"state": "received"}, ["C"]),
        ({"state": "stage1_responded"}, ["D"]),
        ({"stage": 1}, ["A", "B", "E", "D"]),
        ({"stage": 0}, ["C"]),
        ({"stage": 2}, []),
        ({"owner": "oscar"}, ["B"]),
        ({"owner": "olivia"}, ["A", "E", "D"]),
        ({"overdue": "true"}, ["A"]),
        ({"overdue": "false"}, ["B", "E", "C", "D"]),
        # Due before Tue 24 March: A (3 and 16 March) and B (end of Mon 23 March); not E (30 March).
        ({"due_before": "2026-03-24"}, ["A", "B"]),
        # Due before Mon 23 March: the end of Mon 23 March is not before it.
        ({"due_before": "2026-03-23"}, ["A"]),
        ({"received_from": "2026-03-09", "received_to": "2026-03-13"}, ["B", "C", "D"]),
        ({"received_from": "2026-03-09", "received_to": "2026-03-12"}, ["B", "C"]),
        ({"received_from": "2026-03-16"}, ["E"]),
        ({"received_to": "2026-03-02"}, ["A"]),
        ({"category": "staff_conduct"}, ["B"]),
        ({"category": "service_failure"}, ["A", "E", "D"]),
        ({"organisation": "VHT"}, ["A", "B", "E", "C", "D"]),
        ({"organisation": "vht", "state": "stage1", "owner": "olivia"}, ["A", "E"]),
        # Another organisation's complaints are not there to be filtered.
        ({"organisation": "SH"}, []),
    ],
)
def test_filters(api, officer, cases, params, expected):
    assert listed(api.as_(officer), cases, **params) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Rude", ["B"]),  # summary
        ("door", ["B"]),  # description
        ("swore", ["B"]),  # a point of complaint
        ("Nobody called", ["A", "E", "C", "D"]),  # a point of the others (every word must match)
        ("babbage", ["B", "E"]),  # customer's last name, any case
        ("Ada", ["A", "C", "D"]),  # customer's first name
        ("Ada gardening", ["C"]),  # every word must match somewhere
        ("NR1", ["B", "E"]),  # customer's postcode
        ("Damp", []),  # Suffolk Housing's complaint is not visible
        ("nothing-like-this", []),
    ],
)
def test_free_text(api, officer, cases, q, expected):
    assert listed(api.as_(officer), cases, q=q) == expected


def test_free_text_finds_a_reference(api, officer, cases):
    reference = cases["D"].reference
    olivia = api.as_(officer)
    assert listed(olivia, cases, q=reference) == ["D"]
    assert listed(olivia, cases, q=reference.lower()) == ["D"]
    assert listed(olivia, cases, q=reference[3:]) == ["D"]  # without the PR- prefix


def test_an_administrator_lists_every_organisation_and_can_filter_by_one(api, administrator, cases):
    admin = api.as_(administrator)
    assert listed(admin, cases) == ["A", "B", "E", "C", "D", "S"]
    assert listed(admin, cases, organisation="SH") == ["S"]
    assert listed(admin, cases, q="Damp") == ["S"]


def test_a_page_size_over_100_is_refused(api, officer, cases):
    with at(NOW):
        reply = api.as_(officer).get("complaints", {"page_size": 101})
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == ["page_size"]
    with at(NOW):
        assert api.as_(officer).get("complaints", {"page_size": 100}).status_code == 200


def test_the_count_stops_early_and_says_so(api, officer, cases, settings):
    """issue 16, search: the count stops PUTRIGHT_LIST_COUNT_LIMIT past the page's start."""
    settings.PUTRIGHT_LIST_COUNT_LIMIT = 3
    olivia = api.as_(officer)
    with at("Wed 2026-03-18 12:00"):
        first = olivia.get("complaints", {"page_size": 2}).json()
        second = olivia.get("complaints", {"page_size": 2, "page": 2}).json()
    assert (first["count"], first["count_is_lower_bound"], len(first["results"])) == (4, True, 2)
    assert (second["count"], second["count_is_lower_bound"], len(second["results"])) == (5, False, 2)


def test_a_page_past_the_end_is_empty_with_the_count(api, officer, cases):
    with at(NOW):
        body = api.as_(officer).get("complaints", {"page": 9, "page_size": 2}).json()
    assert (body["count"], body["page"], body["results"]) == (5, 9, [])


# --- Stable pages --------------------------------------------------------------------------------


@pytest.fixture
def ties(log, officer):
    """Eleven complaints received at the same instant: eight accepted (the same two deadlines), three not.

    Every accepted one has stage1.contact due Tue 3 March 10:00; the others have none.
    """
    made = []
    with at("Mon 2026-03-02 10:30"):
        for n in range(11):
            complaint = log("2026-03-02 10:00", summary=f"Tie {n}")
            if n % 3 != 2:
                triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
            made.append(complaint)
    return made


@pytest.mark.parametrize("sort", ["next_deadline", "received_at", "-received_at", "reference"])
@pytest.mark.parametrize("size", [2, 3, 4])
def test_pages_of_tied_complaints_never_repeat_or_skip(api, officer, ties, sort, size):
    olivia = api.as_(officer)
    seen: list[str] = []
    page = 1
    with at("Mon 2026-03-02 12:00"):
        while True:
            body = olivia.get("complaints", {"sort": sort, "page": page, "page_size": size}).json()
            assert body["count"] == 11
            if not body["results"]:
                break
            assert len(body["results"]) <= size
            seen += [r["reference"] for r in body["results"]]
            page += 1
        everything = olivia.get("complaints", {"sort": sort, "page_size": 100}).json()["results"]

    assert page - 1 == -(-11 // size)  # every page but the last is full
    assert len(seen) == len(set(seen)) == 11
    assert seen == [r["reference"] for r in everything]
    assert set(seen) == {c.reference for c in ties}
    if sort == "next_deadline":
        # The eight with deadlines first, then the three without.
        flags = [r["next_deadline"] is not None for r in everything]
        assert flags == [True] * 8 + [False] * 3


def test_the_same_page_twice_is_the_same(api, officer, ties):
    olivia = api.as_(officer)
    with at("Mon 2026-03-02 12:00"):
        first = olivia.get("complaints", {"page": 2, "page_size": 4}).json()
        again = olivia.get("complaints", {"page": 2, "page_size": 4}).json()
    assert first == again


# --- A fixed number of queries -------------------------------------------------------------------


def make_complaints(log, officer, second_officer, customers, count: int, start: int = 0) -> None:
    """``count`` complaints in a mix of states, owners and customers."""
    with at("Mon 2026-03-02 10:30"):
        for n in range(start, start + count):
            complaint = log("2026-03-02 10:00", customer=customers[n % len(customers)], summary=f"Case {n}")
            if n % 3:
                owner = officer if n % 2 else second_officer
                triage.accept(complaint, owner=owner, actor=owner, reasoning="Meets the definition.")


def queries(client, params=None) -> int:
    with CaptureQueriesContext(connection) as captured, at("Mon 2026-03-02 12:00"):
        reply = client.get("complaints", params or {})
    assert reply.status_code == 200
    return len(captured)


def test_the_list_takes_the_same_queries_for_3_complaints_and_for_30(
    api, log, officer, second_officer, customer, charles
):
    olivia = api.as_(officer)
    queries(olivia)  # the token's first use, and anything else done once
    make_complaints(log, officer, second_officer, [customer, charles], 3)
    few = queries(olivia, {"page_size": 50})
    make_complaints(log, officer, second_officer, [customer, charles], 27, start=3)
    many = queries(olivia, {"page_size": 50})
    assert few == many

    # And the page size does not matter either.
    assert queries(olivia, {"page_size": 5}) == queries(olivia, {"page_size": 50})
    # Nor do the filters that join other tables.
    assert queries(
        olivia, {"page_size": 50, "q": "Case", "overdue": "false", "due_before": "2026-04-01"}
    ) == (many)


def test_one_complaint_takes_the_same_queries_small_or_large(
    api, log, officer, safeguarding_lead, settings, tmp_path
):
    """A record with one row in each of its lists costs what one with many rows in each costs;
    one with empty lists costs less (issue 16: an empty list is not read at all)."""
    settings.MEDIA_ROOT = str(tmp_path)
    olivia = api.as_(officer)

    def customer(name: str, adjustments: int):
        kinds = [("large_print", ""), ("bsl_interpreter", "Mornings"), ("other", "Ramp")]
        return create_customer(
            organisation=officer.organisations.get(),
            first_name=name,
            last_name="Tenant",
            phone="01603 222222",
            adjustments=kinds[:adjustments],
        )

    def grow(case, each: int, concerns_made: int) -> None:
        for n in range(each):
            investigation.record_contact(case, method="phone", summary=f"Call {n}", actor=officer)
            investigation.request_evidence(case, description=f"Photos {n}", actor=officer)
            responses.add_action(
                case, description=f"Fix {n}", due_on=dt.date(2026, 3, 20), owner=officer, actor=officer
            )
        for n in range(concerns_made):
            concerns.flag_concern(
                case,
                kind="safeguarding",
                description=f"Concern {n}",
                refer_to=safeguarding_lead,
                actor=officer,
            )
            evidence.attach(case, name=f"photo{n}.pdf", content=b"%PDF-1.4 " + bytes([48 + n]), actor=officer)
        concerns.record_restriction(
            case,
            reason="Abusive calls",
            restrictions="Email only",
            review_on=dt.date(2026, 6, 1),
            actor=officer,
        )
        investigation.extend(
            case, new_due_on=dt.date(2026, 3, 20), reason="Waiting for a surveyor", actor=officer
        )

    with at("Mon 2026-03-02 11:00"):
        bare = log("2026-03-02 10:00", points=["Only point"])
        small = log("2026-03-02 10:00", customer=customer("Sam", 1), points=["Only point"])
        big = log(
            "2026-03-02 10:00", customer=customer("Bertha", 3), points=[f"Point {n}" for n in range(12)]
        )
        for case in (bare, small, big):
            triage.accept(case, owner=officer, actor=officer, reasoning="Meets the definition.")
    with at("Tue 2026-03-03 09:00"):
        grow(small, 1, 1)
        grow(big, 6, 3)

    def detail_queries(reference: str) -> tuple[int, dict]:
        with CaptureQueriesContext(connection) as captured, at("Tue 2026-03-03 12:00"):
            reply = olivia.get(f"complaints/{reference}")
        assert reply.status_code == 200
        return len(captured), reply.json()

    detail_queries(small.reference)  # the token's first use
    bare_count, bare_body = detail_queries(bare.reference)
    small_count, small_body = detail_queries(small.reference)
    big_count, big_body = detail_queries(big.reference)

    assert len(big_body["points"]) == 12
    assert len(big_body["actions"]) == 6
    assert len(big_body["flags"]) == 3
    assert len(big_body["attachments"]) == 3
    assert len(big_body["restrictions"]) == 1
    assert len(big_body["customer_record"]["adjustments"]) == 3
    assert len(big_body["timeline"]) > 25
    assert len(small_body["actions"]) == len(small_body["flags"]) == len(small_body["attachments"]) == 1
    assert len(bare_body["timeline"]) == 2 and bare_body["actions"] == []
    assert big_count == small_count
    assert bare_count < small_count
