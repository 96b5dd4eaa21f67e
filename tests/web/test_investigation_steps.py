"""The stage 1 step pages: who may open them, what each changes, and what each refuses.

The case is received on Monday 16 March 2026 at 10:00 and accepted at 11:00
(see test_case_page.py): its stage 1 response is due by the end of Monday 30
March. The policy allows one extension of 10 working days without a good
reason; worked out by hand around Easter (Good Friday 3 April, Easter Monday
6 April 2026): Tue 31 March (1), Wed 1 (2), Thu 2 (3), Tue 7 (4), Wed 8 (5),
Thu 9 (6), Fri 10 (7), Mon 13 (8), Tue 14 (9), Wed 15 April (10).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import Action, Attachment, Complaint, EventKind
from putright.cases.services import investigation, responses
from putright.procedure.states import State
from tests.cases.helpers import at, day, end_of, kinds, on, snapshot
from tests.web.helpers import grow, make_user
from tests.web.helpers import text as text_of
from tests.web.test_case_page import ANSWERED, answer, stage1_case

#: Each page: its address below the case, and a valid form (besides the version).
STEPS = ["record-contact", "request-evidence", "add-evidence", "extend", "respond", "add-action", "close"]
#: What customer services may not do at stage 1.
NOT_FRONT_LINE = ["request-evidence", "extend", "respond", "add-action", "close", "actions/{action}/complete"]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


def url(complaint: Complaint, route: str) -> str:
    return f"/work/complaints/{complaint.reference}/{route}/"


def version_in(response) -> int:
    found = re.search(r'name="version" value="(\d+)"', response.content.decode())
    assert found, "the form carries the version it was read at"
    return int(found.group(1))


def post(client, user, complaint: Complaint, route: str, when: str, data: dict, **extra):
    """Open the step's form at ``when``, then send it with the version it showed."""
    with at(when):
        client.force_login(user)
        form = client.get(url(complaint, route))
        assert form.status_code == 200
        return client.post(url(complaint, route), {"version": version_in(form), **data}, **extra)


def followed(client, response, when: str):
    """The page a successful step lands on: the case page, with its message."""
    assert response.status_code == 302, text_of(response)
    with at(when):
        return client.get(response["Location"])


def fresh(complaint: Complaint) -> Complaint:
    return Complaint.objects.get(pk=complaint.pk)


def outcomes(complaint: Complaint, *chosen: str) -> dict[str, str]:
    points = complaint.points.order_by("number")
    return {f"outcome_{p.pk}": outcome for p, outcome in zip(points, chosen, strict=True)}


# Who may open them


@pytest.mark.parametrize("route", STEPS)
def test_anonymous_is_sent_to_sign_in(client, case, route):
    response = client.get(url(case, route))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("route", STEPS)
def test_another_organisations_case_is_not_found(client, case, route, db):
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    client.force_login(make_user("stranger", Role.RESOLUTION_OFFICER, other))
    assert client.get(url(case, route)).status_code == 404


@pytest.mark.parametrize("route", NOT_FRONT_LINE)
def test_customer_services_cannot_investigate_respond_or_extend(client, case, frontline, officer, route):
    with at("Tue 2026-03-17 09:00"):
        action = responses.add_action(case, description="Fix it", due_on=day("Fri 2026-04-10"), actor=officer)
    client.force_login(frontline)
    before = snapshot(case)
    assert client.get(url(case, route.format(action=action.pk))).status_code == 403
    assert client.post(url(case, route.format(action=action.pk)), {"version": 1}).status_code == 403
    assert snapshot(case) == before


@pytest.mark.parametrize("route", ["record-contact", "add-evidence"])
def test_customer_services_can_record_contact_and_add_evidence(client, case, frontline, route):
    client.force_login(frontline)
    assert client.get(url(case, route)).status_code == 200


def test_a_senior_manager_responds_at_stage_2_and_an_officer_may_not(client, journey, officer, senior):
    review = journey.until("contacted2")
    with at("Tue 2026-03-17 09:00"):
        client.force_login(officer)
        assert client.get(url(review, "respond")).status_code == 403
        assert client.get(url(review, "extend")).status_code == 403
    response = post(
        client,
        senior,
        review,
        "respond",
        "Tue 2026-03-17 15:00",
        {"method": "letter", "summary": "Reviewed", **outcomes(review, "upheld", "partially_upheld")},
    )
    page = followed(client, response, "Tue 2026-03-17 15:01")
    assert "Stage 2 response recorded: 1 point upheld, 1 point partially upheld." in text_of(page)
    assert fresh(review).state == State.STAGE2_RESPONDED


def test_stage_2_offers_only_written_responses(client, journey, senior):
    review = journey.until("contacted2")
    with at("Tue 2026-03-17 09:00"):
        client.force_login(senior)
        text = text_of(client.get(url(review, "respond")))
    assert "The stage 2 response must be in writing." in text
    assert "Letter Email" in text
    assert "Phone" not in text.split("How was the response given?")[1].split("Summary")[0]


# What each step changes


def test_recording_a_contact_meets_the_contact_deadline(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "record-contact",
        "Tue 2026-03-17 09:00",
        {"direction": "outbound", "method": "phone", "summary": "Talked about the roof"},
    )
    page = followed(client, response, "Tue 2026-03-17 09:01")
    text = text_of(page)
    assert "Contact recorded: by phone, we contacted the customer." in text
    assert "Met on Tuesday 17 March 2026 at 09:00" in text
    assert kinds(case)[-1] == EventKind.CONTACT_RECORDED
    contact = case.contacts.get()
    assert (contact.method, contact.direction, contact.summary) == (
        "phone",
        "outbound",
        "Talked about the roof",
    )


def test_a_contact_typed_in_later_keeps_when_it_happened(client, case, officer):
    post(
        client,
        officer,
        case,
        "record-contact",
        "Tue 2026-03-17 16:00",
        {
            "direction": "outbound",
            "method": "phone",
            "summary": "Morning call",
            "occurred_at": "2026-03-17T09:15",
        },
    )
    contact_deadline = case.deadlines.get(name="stage1.contact")
    assert contact_deadline.met_at == on("Tue 2026-03-17 09:15")


def test_requesting_evidence(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "request-evidence",
        "Tue 2026-03-17 09:00",
        {"description": "Photos of the ceiling", "respond_by": "2026-03-24"},
    )
    page = followed(client, response, "Tue 2026-03-17 09:01")
    text = text_of(page)
    assert "Evidence requested from the customer, to reply by Tuesday 24 March 2026." in text
    assert "Photos of the ceiling (reply by Tuesday 24 March 2026)" in text
    assert kinds(case)[-1] == EventKind.EVIDENCE_REQUESTED


def test_adding_evidence_shows_the_rules_and_keeps_the_file(client, case, officer, settings):
    with at("Tue 2026-03-17 09:00"):
        client.force_login(officer)
        form = text_of(client.get(url(case, "add-evidence")))
    assert "A PDF, PNG, JPEG or plain text file, up to 10 MB." in form
    upload = SimpleUploadedFile("leak.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = post(
        client,
        officer,
        case,
        "add-evidence",
        "Tue 2026-03-17 09:00",
        {"file": upload, "description": "The ceiling"},
    )
    page = followed(client, response, "Tue 2026-03-17 09:01")
    assert "Evidence added: leak.png (108 bytes)." in text_of(page)
    attachment = Attachment.objects.get(complaint=case)
    assert (attachment.name, attachment.description, attachment.content_type) == (
        "leak.png",
        "The ceiling",
        "image/png",
    )
    assert kinds(case)[-1] == EventKind.EVIDENCE_ADDED


def _stored_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("big.txt", b"x" * 2048, "big.txt is larger than the limit of 1 KB"),
        (
            "tool.exe",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00",
            "tool.exe is not a PDF, PNG, JPEG or plain text file",
        ),
        ("photo.png", b"%PDF-1.7 not a picture", "photo.png is not what its name says"),
    ],
)
def test_a_file_that_is_too_big_or_the_wrong_type_is_refused(
    client, case, officer, settings, name, content, error
):
    settings.PUTRIGHT_MAX_UPLOAD_BYTES = 1024
    before = snapshot(case)
    upload = SimpleUploadedFile(name, content)
    response = post(client, officer, case, "add-evidence", "Tue 2026-03-17 09:00", {"file": upload})
    assert response.status_code == 400
    text = text_of(response)
    assert "There is a problem" in text
    assert error in text
    assert snapshot(case) == before
    assert not Attachment.objects.exists()
    assert _stored_files(settings) == []


def test_the_extension_page_shows_the_date_and_the_policys_limit(client, case, officer):
    with at("Wed 2026-03-25 10:00"):
        client.force_login(officer)
        text = text_of(client.get(url(case, "extend")))
    assert "Response due now Monday 30 March 2026" in text
    assert "One extension of up to 10 working days more: until Wednesday 15 April 2026" in text


def test_an_extension_moves_the_response_date_around_easter(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "extend",
        "Wed 2026-03-25 10:00",
        {"new_due_on": "2026-04-15", "reason": "The surveyor is away until April"},
    )
    page = followed(client, response, "Wed 2026-03-25 10:01")
    text = text_of(page)
    assert "Extension recorded: the response is now due by Wednesday 15 April 2026." in text
    assert "Stage 1 response Wednesday 15 April 2026 extended from Monday 30 March 2026" in text
    deadline = case.deadlines.get(name="stage1.response")
    assert deadline.due_at == end_of("Wed 2026-04-15")
    assert deadline.original_due_at == end_of("Mon 2026-03-30")
    assert kinds(case)[-1] == EventKind.EXTENDED


@pytest.mark.parametrize(
    ("new_due_on", "error"),
    [
        (
            "2026-04-16",
            "An extension beyond Wednesday 15 April 2026 (10 working days) needs a recorded good reason.",
        ),
        ("2026-04-06", "Monday 6 April 2026 is not a working day (Easter Monday)"),
        ("2026-03-27", "The new date must be later than the current response date."),
    ],
)
def test_an_extension_the_policy_does_not_allow_is_refused(client, case, officer, new_due_on, error):
    before = snapshot(case)
    response = post(
        client, officer, case, "extend", "Wed 2026-03-25 10:00", {"new_due_on": new_due_on, "reason": "Busy"}
    )
    assert response.status_code == 400
    assert error in text_of(response)
    assert snapshot(case) == before


def test_a_longer_extension_with_a_good_reason(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "extend",
        "Wed 2026-03-25 10:00",
        {
            "new_due_on": "2026-04-16",
            "reason": "Waiting for the surveyor",
            "good_reason": "Specialist report",
        },
    )
    assert response.status_code == 302
    assert case.deadlines.get(name="stage1.response").due_at == end_of("Thu 2026-04-16")


def test_a_response_with_mixed_outcomes(client, case, officer):
    response = post(
        client,
        officer,
        case,
        "respond",
        "Wed 2026-03-25 15:00",
        {"method": "phone", "summary": "Talked it through", **outcomes(case, "upheld", "not_upheld")},
    )
    text = text_of(followed(client, response, "Wed 2026-03-25 15:01"))
    assert "Stage 1 response recorded: 1 point upheld, 1 point not upheld." in text
    assert fresh(case).state == State.STAGE1_RESPONDED
    given = dict(case.points.values_list("number", "outcomes__outcome"))
    assert given == {1: "upheld", 2: "not_upheld"}
    assert kinds(case)[-1] == EventKind.RESPONDED


def test_a_response_without_an_outcome_for_every_point_is_refused(client, case, officer):
    points = case.points.order_by("number")
    before = snapshot(case)
    response = post(
        client,
        officer,
        case,
        "respond",
        "Wed 2026-03-25 15:00",
        {"method": "letter", "summary": "Sorry", f"outcome_{points[0].pk}": "upheld"},
    )
    assert response.status_code == 400
    assert "Choose an outcome for point 2" in text_of(response)
    assert snapshot(case) == before


def test_agreeing_and_completing_an_action(client, case, officer, second_officer):
    response = post(
        client,
        officer,
        case,
        "add-action",
        "Wed 2026-03-25 15:00",
        {"description": "Repair the roof", "due_on": "2026-04-10", "owner": second_officer.pk},
    )
    text = text_of(followed(client, response, "Wed 2026-03-25 15:01"))
    assert "Action agreed: due by Friday 10 April 2026, for Oscar Staff." in text
    action = Action.objects.get(complaint=case)
    assert (action.owner, action.due_on) == (second_officer, day("Fri 2026-04-10"))

    response = post(
        client,
        officer,
        case,
        f"actions/{action.pk}/complete",
        "Thu 2026-04-09 12:00",
        {"note": "Roof repaired and checked"},
    )
    text = text_of(followed(client, response, "Thu 2026-04-09 12:01"))
    assert "Action marked as done: Repair the roof" in text
    action.refresh_from_db()
    assert action.is_done and action.completion_note == "Roof repaired and checked"
    assert kinds(case)[-1] == EventKind.ACTION_COMPLETED
    assert "Mark as done" not in text


def test_an_action_of_another_complaint_is_not_found(client, log, case, officer):
    other = stage1_case(log, officer)
    with at("Tue 2026-03-17 09:00"):
        action = responses.add_action(
            other, description="Elsewhere", due_on=day("Fri 2026-04-10"), actor=officer
        )
    client.force_login(officer)
    assert client.get(url(case, f"actions/{action.pk}/complete")).status_code == 404


def _responded(case: Complaint, officer) -> Action:
    answer(case, officer)
    with at(ANSWERED):
        return responses.add_action(
            case, description="Repair the roof", due_on=day("Fri 2026-04-10"), actor=officer
        )


def test_closing_is_refused_while_an_action_is_open(client, case, officer):
    _responded(case, officer)
    with at("Thu 2026-03-26 09:00"):
        client.force_login(officer)
        # The close page is not offered: a typed-in link leads back to the case with the reason.
        page = client.get(url(case, "close"), follow=True)
    assert page.redirect_chain[-1][0] == f"/work/complaints/{case.reference}/"
    assert "1 action is still open." in text_of(page)
    before = snapshot(case)
    with at("Thu 2026-03-26 09:00"):
        response = client.post(url(case, "close"), {"version": fresh(case).version})
    assert response.status_code == 400
    assert (
        "The complaint can only be closed when every agreed action is done: 1 action is still open."
        in text_of(response)
    )
    assert snapshot(case) == before


def test_closing_once_every_action_is_done(client, case, officer):
    action = _responded(case, officer)
    with at("Thu 2026-04-09 12:00"):
        responses.complete_action(case, action_id=action.pk, note="Done.", actor=officer)
    response = post(client, officer, case, "close", "Thu 2026-04-09 13:00", {})
    text = text_of(followed(client, response, "Thu 2026-04-09 13:01"))
    assert "Complaint closed at stage 1: every agreed action is done." in text
    assert fresh(case).state == State.CLOSED
    assert kinds(case)[-1] == EventKind.CLOSED


# What each refuses


def test_a_stale_form_is_refused_and_changes_nothing(client, case, officer, second_officer):
    with at("Tue 2026-03-17 09:00"):
        client.force_login(officer)
        form = client.get(url(case, "record-contact"))
        # A colleague records a contact while the form is open.
        investigation.record_contact(case, method="email", summary="Sent an email", actor=second_officer)
        before = snapshot(case)
        response = client.post(
            url(case, "record-contact"),
            {"version": version_in(form), "direction": "outbound", "method": "phone", "summary": "Called"},
        )
    assert response.status_code == 400
    assert "Someone else has changed this complaint" in text_of(response)
    assert snapshot(case) == before


def test_a_step_the_procedure_does_not_allow_now_is_refused(client, case, officer):
    """Sent from a form opened earlier (opening it now would say why on the case page)."""
    before = snapshot(case)
    with at("Tue 2026-03-17 09:00"):
        client.force_login(officer)
        response = client.post(url(case, "close"), {"version": case.version})
    assert response.status_code == 400
    assert "Close is not possible while the complaint is “Stage 1: investigating”." in text_of(response)
    assert snapshot(case) == before


def test_a_form_with_missing_answers_lists_them_at_the_top(client, case, officer):
    before = snapshot(case)
    response = post(client, officer, case, "record-contact", "Tue 2026-03-17 09:00", {"direction": ""})
    assert response.status_code == 400
    text = text_of(response)
    assert text.startswith("Error:")
    summary = text.split("There is a problem", 1)[1]
    for message in ["Choose who made contact", "Choose how the contact was made", "Enter what was discussed"]:
        assert message in summary
    assert snapshot(case) == before


# Queries


STAGE1_PAGES = [
    "record-contact",
    "request-evidence",
    "add-evidence",
    "extend",
    "respond",
    "add-action",
    "actions/{action}/complete",
]


def _queries(client, complaint: Complaint, route: str, when: str = "Wed 2026-03-18 09:00") -> int:
    action = complaint.actions.order_by("pk").first()
    path = url(complaint, route.format(action=action.pk if action else 0))
    with at(when), CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def test_each_page_reads_as_many_queries_for_a_small_case_as_for_a_big_one(client, log, org, team, officer):
    """Points, contacts, actions, files and colleagues to choose from: none adds a query."""
    small = stage1_case(log, officer)
    big = stage1_case(log, officer, points=[f"Point {n}" for n in range(12)])
    grow(small, officer, 1)
    grow(big, officer, 10)
    with at("Wed 2026-03-18 09:00"):
        client.force_login(officer)
    before = {route: _queries(client, small, route) for route in STAGE1_PAGES}
    for n in range(8):
        make_user(f"officer{n}", Role.RESOLUTION_OFFICER, org, team)
    assert {route: _queries(client, big, route) for route in STAGE1_PAGES} == before


def test_the_closing_page_reads_as_many_queries_for_a_small_case_as_for_a_big_one(client, log, officer):
    small = stage1_case(log, officer)
    big = stage1_case(log, officer, points=[f"Point {n}" for n in range(12)])
    grow(small, officer, 1)  # a list with no rows is not read at all (issue 16): one row each
    grow(big, officer, 10)
    for case in (small, big):
        _responded(case, officer)
        with at("Wed 2026-03-25 16:00"):
            for action in case.actions.all():
                responses.complete_action(case, action_id=action.pk, note="Roof repaired.", actor=officer)
    with at("Thu 2026-03-26 09:00"):
        client.force_login(officer)
    when = "Thu 2026-03-26 09:00"
    assert _queries(client, small, "close", when) == _queries(client, big, "close", when)
