"""The case page: who may open it, what it says, the steps it offers, and its queries.

Dates are worked out by hand on the England and Wales calendar of 2026, with
Good Friday (3 April) and Easter Monday (6 April) as bank holidays. The case
used throughout is received on Monday 16 March 2026 at 10:00 and accepted at
11:00, so:

    stage 1 contact   24 working hours from Mon 16 March 10:00 -> Tue 17 March 10:00
    stage 1 response  10 working days from Mon 16 March -> end of Mon 30 March
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Organisation, OrganisationKind, Role, User
from putright.cases.models import AdjustmentKind, Complaint
from putright.cases.services import concerns, customers, evidence, investigation, responses, triage
from putright.procedure.states import Step
from putright.web.steps import investigation as investigation_pages
from putright.web.steps.framework import allowed_now
from putright.web.steps.pages import BY_STEP
from tests.cases.helpers import at, day, on
from tests.learning.helpers import record_learning
from tests.web.helpers import grow, make_user
from tests.web.helpers import text as text_of

RECEIVED = "Mon 2026-03-16 10:00"
ACCEPTED = "Mon 2026-03-16 11:00"
ANSWERED = "Wed 2026-03-25 15:00"


def stage1_case(log, officer, received: str = RECEIVED, accepted: str = ACCEPTED, **fields) -> Complaint:
    """A complaint received by phone and accepted at stage 1 for ``officer``."""
    with at(received):
        complaint = log(received.split(" ", 1)[1], **fields)
    with at(accepted):
        triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    complaint.refresh_from_db()
    return complaint


def answer(case: Complaint, officer: User, *, learning: bool = True) -> None:
    """Contacted and answered by letter at stage 1 on Wednesday 25 March 2026 at 15:00, every point upheld.

    With ``learning`` (the default) each point also gets a theme and a root cause, as closing needs.
    """
    points = case.points.values_list("pk", flat=True)
    with at(ANSWERED):
        investigation.record_contact(case, method="phone", summary="Called", actor=officer)
        responses.respond(
            case,
            outcomes=dict.fromkeys(points, ("upheld", "")),
            method="letter",
            summary="Sorry",
            actor=officer,
        )
        if learning:
            record_learning(case, officer)


def case_url(complaint: Complaint) -> str:
    return reverse("web:case", kwargs={"reference": complaint.reference})


def open_page(client, user: User, complaint: Complaint, when: str):
    """The case page as ``user`` sees it at a London time."""
    with at(when):
        client.force_login(user)
        return client.get(case_url(complaint))


def buttons(response) -> list[str]:
    """The step buttons at the top of the page, as their link addresses."""
    html = response.content.decode()
    bar = re.search(r'<div class="pr-actions-bar".*?</div>', html, flags=re.S)
    return re.findall(r'<a href="([^"]+)" role="button"', bar.group(0)) if bar else []


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


# Who may open it


def test_anonymous_is_sent_to_sign_in(client, case):
    response = client.get(case_url(case))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_another_organisations_case_is_not_found(client, case, db):
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    stranger = make_user("stranger", Role.RESOLUTION_OFFICER, other)
    response = open_page(client, stranger, case, "Tue 2026-03-17 09:00")
    assert response.status_code == 404


def test_a_panel_member_sees_only_appeals(client, journey, case, org):
    panel = make_user("pam", Role.PANEL_MEMBER, org)
    assert open_page(client, panel, case, "Tue 2026-03-17 09:00").status_code == 404
    appeal = journey.until("scheduled")
    response = open_page(client, panel, appeal, "Thu 2026-03-26 09:00")
    assert response.status_code == 200
    assert "Appeal meeting arranged" in text_of(response)


@pytest.mark.parametrize(
    "role",
    [
        Role.CUSTOMER_SERVICES,
        Role.RESOLUTION_OFFICER,
        Role.SENIOR_MANAGER,
        Role.SAFEGUARDING_LEAD,
        Role.HEALTH_SAFETY_LEAD,
        Role.MANAGER,
        Role.ADMINISTRATOR,
    ],
)
def test_every_role_that_sees_the_case_can_open_it(client, case, org, role):
    user = make_user(f"user-{role}", role, org)
    with at("Tue 2026-03-17 09:00"):
        client.force_login(user)
        if role == Role.ADMINISTRATOR:
            _verify_second_factor(client, user)
        response = client.get(case_url(case))
    assert response.status_code == 200
    assert case.reference in text_of(response)


def _verify_second_factor(client, user: User) -> None:
    """An administrator's session that has passed its authenticator app's code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


# What it says


def test_the_summary_names_the_people_and_the_case(client, org, customer, officer, log, frontline):
    customer.preferred_contact = "phone"
    customer.preferred_contact_time = "mornings before 11"
    customer.save()
    representative = customers.add_representative(
        customer=customer,
        name="Jerome Mayhew",
        kind="designated_person",
        role="MP for Broadland",
        consent_given_at=on("Fri 2026-03-13 12:00"),
        consent_how="signed form",
    )
    complaint = stage1_case(log, officer, representative=representative, desired_outcome="Fix the roof")
    text = text_of(open_page(client, officer, complaint, "Tue 2026-03-17 09:00"))
    for expected in [
        "Ada Lovelace",
        "01603 000000",
        "ada@example.org",
        "Phone, mornings before 11",
        "Jerome Mayhew, designated person (mp, councillor) (MP for Broadland)",
        "Consent given on Friday 13 March 2026 (signed form)",
        "Victory Housing Trust",
        "Stage and state Stage 1: investigating",
        "Olivia Staff, Learning and Resolution Team",
        "Monday 16 March 2026 at 10:00, phone",
        "Service failure",
        "Fix the roof",
        "1. The repair was not done",
        "2. Nobody called back",
    ]:
        assert expected in text, expected


def test_deadlines_in_working_days_on_the_cases_calendar(client, case, officer):
    text = text_of(open_page(client, officer, case, "Mon 2026-03-16 12:00"))
    assert "Stage 1 first contact Tuesday 17 March 2026 at 10:00 1 working day left" in text
    # Mon 16 -> Mon 30 March: Tue 17 to Fri 20 (4), Mon 23 to Fri 27 (5), Mon 30 (1).
    assert "Stage 1 response Monday 30 March 2026 10 working days left" in text
    assert "Overdue" not in text


def test_the_overdue_warning_appears_exactly_when_a_deadline_passes(client, case, officer):
    before = text_of(open_page(client, officer, case, "Tue 2026-03-17 09:59"))
    assert "Overdue" not in before
    assert "Stage 1 first contact Tuesday 17 March 2026 at 10:00 Due today" in before
    after = text_of(open_page(client, officer, case, "Tue 2026-03-17 10:01"))
    assert after.index("Overdue A deadline on this complaint has been missed") < after.index("Summary")
    assert "Stage 1 first contact: was due by Tuesday 17 March 2026 at 10:00." in after
    assert "Overdue since Tuesday 17 March 2026 at 10:00" in after
    # Two working days later: Wednesday 18 and Thursday 19 March.
    later = text_of(open_page(client, officer, case, "Thu 2026-03-19 12:00"))
    assert "Overdue by 2 working days" in later


def test_a_met_deadline_says_when_and_warns_no_more(client, case, officer):
    with at("Tue 2026-03-17 09:00"):
        investigation.record_contact(case, method="phone", summary="Called", actor=officer)
    text = text_of(open_page(client, officer, case, "Thu 2026-03-19 12:00"))
    assert "Overdue" not in text
    assert "Met on Tuesday 17 March 2026 at 09:00" in text
    # Thu 19 -> Mon 30: Fri 20, Mon 23 to Fri 27, Mon 30.
    assert "Stage 1 response Monday 30 March 2026 7 working days left" in text


def test_working_days_overdue_skip_the_easter_bank_holidays(client, case, officer):
    with at("Tue 2026-03-17 09:00"):
        investigation.record_contact(case, method="phone", summary="Called", actor=officer)
    assert "Stage 1 response Monday 30 March 2026 Due today" in text_of(
        open_page(client, officer, case, "Mon 2026-03-30 16:00")
    )
    # Due Mon 30 March; late by Tue 31, Wed 1, Thu 2, (Good Friday, Easter Monday), Tue 7 April.
    text = text_of(open_page(client, officer, case, "Tue 2026-04-07 09:00"))
    assert "Stage 1 response: was due by Monday 30 March 2026. Overdue by 4 working days." in text


def test_flags_restrictions_and_adjustments_are_shown_first(client, org, officer, senior, log, customer):
    customer.adjustments.create(kind=AdjustmentKind.LARGE_PRINT)
    customer.adjustments.create(kind=AdjustmentKind.OTHER_LANGUAGE, detail="Polish")
    complaint = stage1_case(log, officer)
    with at("Tue 2026-03-17 09:00"):
        concerns.flag_concern(
            complaint, kind="safeguarding", description="Lives alone with no heating", actor=officer
        )
        concerns.record_restriction(
            complaint,
            reason="Abusive calls",
            restrictions="written contact only",
            review_on=day("Thu 2026-06-18"),
            actor=senior,
        )
    text = text_of(open_page(client, officer, complaint, "Tue 2026-03-17 09:30"))
    summary = text.index("Summary")
    assert -1 < text.index("Safeguarding concern open") < summary
    assert "Lives alone with no heating" in text
    assert -1 < text.index("Contact with this customer is restricted: written contact only.") < summary
    assert "To be reviewed by Thursday 18 June 2026." in text
    assert (
        -1
        < text.index("Reasonable adjustments for this customer Large print Another language: Polish")
        < summary
    )


def test_points_outcomes_actions_evidence_contacts_and_timeline(client, case, officer, second_officer):
    points = list(case.points.order_by("number"))
    with at("Tue 2026-03-17 09:00"):
        investigation.record_contact(case, method="phone", summary="Talked about the roof", actor=officer)
        evidence.attach(case, name="roof.png", content=b"\x89PNG\r\n\x1a\n" + b"0" * 3000, actor=officer)
    with at("Wed 2026-03-25 15:00"):
        responses.respond(
            case,
            outcomes={points[0].pk: ("upheld", "The repair was missed"), points[1].pk: ("not_upheld", "")},
            method="letter",
            summary="Sorry about the roof",
            actor=officer,
        )
        responses.add_action(
            case,
            description="Repair the roof",
            due_on=day("Fri 2026-04-10"),
            owner=second_officer,
            actor=officer,
        )
    response = open_page(client, officer, case, "Thu 2026-03-26 09:00")
    text = text_of(response)
    assert "1. The repair was not done Stage 1 response: Upheld The repair was missed" in text
    assert "2. Nobody called back Stage 1 response: Not upheld" in text
    assert "Repair the roof Oscar Staff Friday 10 April 2026 Not done Mark as done" in text
    assert "roof.png (download) 3 KB Tuesday 17 March 2026 at 09:00 by Olivia Staff" in text
    assert "Phone: we contacted the customer Recorded by Olivia Staff Talked about the roof" in text
    # The timeline, newest first.
    newest, oldest = text.index("Action agreed"), text.index("Complaint logged")
    assert text.index("Timeline") < newest < text.index("Response given") < oldest
    action = case.actions.get()
    complete = reverse("web:step-complete-action", kwargs={"reference": case.reference, "item": action.pk})
    assert complete in response.content.decode()


def test_an_event_typed_in_later_shows_when_it_was_recorded(client, case, officer):
    with at("Tue 2026-03-17 16:00"):
        investigation.record_contact(
            case,
            method="phone",
            summary="Morning call",
            actor=officer,
            occurred_at=on("Tue 2026-03-17 09:15"),
        )
    text = text_of(open_page(client, officer, case, "Tue 2026-03-17 16:30"))
    assert (
        "Contact recorded Tuesday 17 March 2026 at 09:15, by Olivia Staff "
        "(recorded Tuesday 17 March 2026 at 16:00)" in text
    )


def test_evidence_downloads_only_for_those_who_may_see_the_case(client, case, officer, db):
    with at("Tue 2026-03-17 09:00"):
        added = evidence.attach(case, name="note.txt", content=b"The roof leaks", actor=officer)
    url = reverse("web:case-evidence", kwargs={"reference": case.reference, "attachment_id": added.pk})
    assert client.get(url).status_code == 302
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"The roof leaks"
    assert 'filename="note.txt"' in response["Content-Disposition"]
    missing = reverse(
        "web:case-evidence", kwargs={"reference": case.reference, "attachment_id": added.pk + 1}
    )
    assert client.get(missing).status_code == 404
    other = Organisation.objects.create(
        name="Elsewhere Homes", short_name="EH", kind=OrganisationKind.LANDLORD
    )
    client.force_login(make_user("stranger", Role.RESOLUTION_OFFICER, other))
    assert client.get(url).status_code == 404


# The steps it offers


def _offered(complaint: Complaint, user: User) -> set[str]:
    """The investigation pages whose steps the procedure and the role allow now."""
    allowed = allowed_now(complaint, user)
    return {
        page.url(complaint.reference)
        for page in investigation_pages.PAGES
        if not page.for_item and page.step in allowed
    }


def _investigation_buttons(response) -> set[str]:
    ours = {page.url_name.removeprefix("step-") for page in investigation_pages.PAGES}
    return {url for url in buttons(response) if url.rstrip("/").rsplit("/", 1)[-1] in ours}


def test_an_officer_is_offered_the_stage_1_steps(client, case, officer):
    response = open_page(client, officer, case, "Tue 2026-03-17 09:00")
    shown = _investigation_buttons(response)
    assert shown == _offered(case, officer)
    names = {url.rstrip("/").rsplit("/", 1)[-1] for url in shown}
    assert names == {"record-contact", "request-evidence", "add-evidence", "extend", "respond", "add-action"}
    # The contact is still owed: it is the next right step, the primary button.
    assert buttons(response)[0].endswith("/record-contact/")
    assert "close" not in names  # not allowed before the response


def test_customer_services_cannot_respond_or_extend(client, case, frontline):
    response = open_page(client, frontline, case, "Tue 2026-03-17 09:00")
    shown = _investigation_buttons(response)
    assert shown == _offered(case, frontline)
    assert {url.rstrip("/").rsplit("/", 1)[-1] for url in shown} == {"record-contact", "add-evidence"}
    assert "Mark as done" not in text_of(response)


def test_a_panel_member_is_offered_no_investigation_step(client, journey, org):
    panel = make_user("pam", Role.PANEL_MEMBER, org)
    appeal = journey.until("scheduled")
    response = open_page(client, panel, appeal, "Thu 2026-03-26 09:00")
    assert _investigation_buttons(response) == set()
    assert Step.RECORD_CONTACT in allowed_now(appeal, User.objects.get(username="olivia"))


def test_after_the_response_close_is_offered_and_the_contact_no_longer_leads(client, case, officer):
    answer(case, officer)
    response = open_page(client, officer, case, "Thu 2026-03-26 09:00")
    names = [url.rstrip("/").rsplit("/", 1)[-1] for url in _investigation_buttons(response)]
    assert "close" in names
    assert "respond" not in names and "extend" not in names
    assert buttons(response)[0].endswith("/close/")


def test_concern_steps_are_offered_beside_the_concern_to_those_who_manage_concerns(
    client, case, officer, senior
):
    with at("Tue 2026-03-17 09:00"):
        concern = concerns.flag_concern(
            case, kind="health_and_safety", description="Exposed wiring", actor=officer
        )
    refer = BY_STEP[Step.REFER_CONCERN].url(case.reference, concern.pk)
    close = BY_STEP[Step.CLOSE_CONCERN].url(case.reference, concern.pk)
    for_senior = open_page(client, senior, case, "Tue 2026-03-17 10:00").content.decode()
    assert refer in for_senior and close in for_senior
    for_officer = open_page(client, officer, case, "Tue 2026-03-17 10:00").content.decode()
    assert refer not in for_officer and close not in for_officer
    assert "Health and safety concern open" in text_of(
        open_page(client, officer, case, "Tue 2026-03-17 10:00")
    )


# Queries


def _queries(client, user: User, complaint: Complaint) -> int:
    with at("Wed 2026-03-18 09:00"):
        client.force_login(user)
        client.get(case_url(complaint))  # warm: the session, the policy's cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(case_url(complaint))
    assert response.status_code == 200
    return len(captured)


def test_the_page_uses_the_same_queries_whatever_the_case_size(client, log, officer):
    small = stage1_case(log, officer)
    large = stage1_case(log, officer)
    grow(small, officer, 1)
    grow(large, officer, 10)
    assert Complaint.objects.get(pk=large.pk).timeline.count() >= 40
    assert _queries(client, officer, small) == _queries(client, officer, large)
