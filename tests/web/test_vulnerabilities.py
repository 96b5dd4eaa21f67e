"""Disclosed vulnerabilities on the case page (issue 15, vuln): a section only the roles that
handle the complaint see (the others see no section, no link and no word of one), the form that
records one with consent (and refuses without, changing nothing), review and withdrawal, the
page's queries, and the staff menu's link to subject access."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role
from putright.cases.models import EventKind, Vulnerability
from putright.cases.services.vulnerabilities import record_vulnerability
from tests.cases.helpers import at, kinds
from tests.conftest import london
from tests.web.helpers import make_user
from tests.web.helpers import text as text_of
from tests.web.test_case_page import open_page, stage1_case

DETAIL = "Has PTSD after a fire; unannounced calls cause panic"
WHEN = "Tue 2026-03-17 09:00"
SEES = {Role.CUSTOMER_SERVICES, Role.RESOLUTION_OFFICER, Role.SENIOR_MANAGER, Role.SAFEGUARDING_LEAD}
NOT = {Role.MANAGER, Role.HEALTH_SAFETY_LEAD, Role.PANEL_MEMBER, Role.ADMINISTRATOR}


@pytest.fixture
def case(log, officer):
    return stage1_case(log, officer)


def _held(customer, actor, kind="mental_health", detail=DETAIL):
    with at("Mon 2026-03-16 12:00"):
        return record_vulnerability(
            customer,
            kind=kind,
            detail=detail,
            support_needed="Write first to arrange a call",
            disclosed_on=dt.date(2026, 3, 16),
            disclosed_via="phone",
            consent_given_at=london("2026-03-16 11:30"),
            consent_how="Said yes on the call",
            consent_to_share=True,
            review_on=dt.date(2026, 9, 16),
            actor=actor,
        )


def _staff(role, org, team):
    return make_user(f"the-{role}".replace("_", "-"), role, org, team)


def _sign_in(client, user):
    if user.role == Role.ADMINISTRATOR:
        from tests.conftest import sign_in_with_code

        sign_in_with_code(client, user)
    else:
        client.force_login(user)


@pytest.mark.parametrize("role", sorted(SEES | NOT))
def test_only_the_roles_that_handle_the_complaint_see_the_section(
    client, journey, customer, officer, org, team, role
):
    """At the appeal (so the panel may open the case), each role opens the case page."""
    complaint = journey.until("appealed")
    _held(customer, officer)
    user = _staff(role, org, team)
    with at("Tue 2027-03-16 10:00"):
        _sign_in(client, user)
        page = client.get(f"/work/complaints/{complaint.reference}/")
    assert page.status_code == 200
    words = text_of(page)
    if role in SEES:
        assert 'id="vulnerabilities"' in page.content.decode()
        assert DETAIL in words and "Mental health" in words
        assert "Write first to arrange a call" in words
        assert "Record a vulnerability" in words
    else:
        assert "vulnerab" not in page.content.decode().lower()  # not the section, the link, the event
        assert "PTSD" not in words
    # The timeline's event names the kind, never the detail; the other roles do not see it at all.
    assert ("Vulnerability recorded (mental health)" in words) is (role in SEES)


def test_recorded_from_the_case_page_with_consent(client, case, frontline, customer):
    form_url = f"/work/complaints/{case.reference}/vulnerabilities/new/"
    page = open_page(client, frontline, case, WHEN)
    assert "None recorded." in text_of(page) and form_url in page.content.decode()
    with at(WHEN):
        assert client.get(form_url).status_code == 200
        done = client.post(
            form_url,
            {
                "kind": "domestic_abuse",
                "detail": "Fleeing a violent ex-partner; do not leave messages",
                "support_needed": "Only call her mobile",
                "disclosed_on-day": "17",
                "disclosed_on-month": "3",
                "disclosed_on-year": "2026",
                "disclosed_via": "phone",
                "consent": "yes",
                "consent_how": "Agreed on this call",
                "consent_given_on-day": "17",
                "consent_given_on-month": "3",
                "consent_given_on-year": "2026",
                "review_on-day": "17",
                "review_on-month": "9",
                "review_on-year": "2026",
            },
        )
    assert done.status_code == 302, text_of(done)
    assert done["Location"] == f"/work/complaints/{case.reference}/#vulnerabilities"
    page = open_page(client, frontline, case, WHEN)
    words = text_of(page)
    assert "Vulnerability recorded: domestic abuse." in words
    assert "Fleeing a violent ex-partner" in words and "Only call her mobile" in words
    assert "Review by Thursday 17 September 2026" in words
    (found,) = Vulnerability.objects.all()
    assert found.consent_given_at == london("2026-03-17 09:00") and found.recorded_by == frontline
    assert kinds(case)[-1] == EventKind.VULNERABILITY_RECORDED


def test_without_consent_the_form_says_so_and_nothing_is_kept(client, case, frontline):
    form_url = f"/work/complaints/{case.reference}/vulnerabilities/new/"
    events = case.timeline.count()
    with at(WHEN):
        client.force_login(frontline)
        refused = client.post(
            form_url,
            {
                "kind": "age",
                "detail": "Is 94 and hard of hearing",
                "disclosed_on-day": "17",
                "disclosed_on-month": "3",
                "disclosed_on-year": "2026",
                "disclosed_via": "in_person",
                "consent": "no",
                "consent_given_on-day": "17",
                "consent_given_on-month": "3",
                "consent_given_on-year": "2026",
                "review_on-day": "17",
                "review_on-month": "9",
                "review_on-year": "2026",
            },
        )
    assert refused.status_code == 400
    words = text_of(refused)
    assert "There is a problem" in words
    assert "the customer's consent is needed to keep this" in words and "Nothing was saved" in words
    assert not Vulnerability.objects.exists()
    assert case.timeline.count() == events


def test_reviewed_then_consent_withdrawn_from_the_case_page(client, case, officer, customer):
    held = _held(customer, officer)
    review_url = f"/work/complaints/{case.reference}/vulnerabilities/{held.pk}/review/"
    withdraw_url = f"/work/complaints/{case.reference}/vulnerabilities/{held.pk}/withdraw/"
    page = open_page(client, officer, case, WHEN)
    assert review_url in page.content.decode() and withdraw_url in page.content.decode()
    with at(WHEN):
        done = client.post(
            review_url,
            {
                "review_note": "Still applies",
                "support_needed": "Write first; calls after 10am",
                "next_review_on-day": "17",
                "next_review_on-month": "3",
                "next_review_on-year": "2027",
            },
        )
        assert done.status_code == 302
        done = client.post(withdraw_url, {"confirm": "yes"})
        assert done.status_code == 302
    page = open_page(client, officer, case, WHEN)
    words = text_of(page)
    assert "Consent withdrawn on Tuesday 17 March 2026: what the customer told us was removed." in words
    assert "PTSD" not in words and review_url not in page.content.decode()
    held.refresh_from_db()
    assert held.detail == "" and held.withdrawn
    # Once withdrawn, its pages say so and change nothing.
    with at(WHEN):
        again = client.post(withdraw_url, {"confirm": "yes"})
    assert again.status_code == 400 and "withdrew their consent on 17 March 2026" in text_of(again)


def test_a_role_that_may_not_see_them_is_forbidden_the_pages_and_another_customers_is_not_found(
    client, case, officer, customer, org, team
):
    held = _held(customer, officer)
    manager = _staff(Role.MANAGER, org, team)
    client.force_login(manager)
    for url in (
        f"/work/complaints/{case.reference}/vulnerabilities/new/",
        f"/work/complaints/{case.reference}/vulnerabilities/{held.pk}/review/",
    ):
        assert client.get(url).status_code == 403
    from tests.conftest import make_customer

    someone = make_customer(org)
    theirs = _held(someone, officer, kind="age", detail="Someone else's")
    client.force_login(officer)
    response = client.get(f"/work/complaints/{case.reference}/vulnerabilities/{theirs.pk}/review/")
    assert response.status_code == 404 and "Someone else" not in text_of(response)


def test_the_case_page_reads_them_in_one_query_however_many(client, case, officer, customer):
    _held(customer, officer)
    client.force_login(officer)
    url = f"/work/complaints/{case.reference}/"
    with at(WHEN), CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for kind in ("age", "bereavement", "financial_hardship"):
        _held(customer, officer, kind=kind)
    with at(WHEN), CaptureQueriesContext(connection) as four:
        page = client.get(url)
    assert text_of(page).count("Told us by phone") == 4
    assert len(four) == len(one)


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.SENIOR_MANAGER, True),
        (Role.ADMINISTRATOR, True),
        (Role.RESOLUTION_OFFICER, False),
        (Role.CUSTOMER_SERVICES, False),
        (Role.MANAGER, False),
        (Role.PANEL_MEMBER, False),
    ],
)
def test_the_menu_links_to_subject_access_for_those_who_may_make_one(client, org, team, role, shown):
    user = _staff(role, org, team)
    _sign_in(client, user)
    page = client.get("/work/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ('href="/work/subject-access/"' in html) is shown
    if shown:
        answered = client.get("/work/subject-access/")
        assert answered.status_code == 200
        assert 'href="/work/subject-access/" aria-current="page"' in answered.content.decode()
