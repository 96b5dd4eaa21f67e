"""The Django admin shows the whole case record to administrators, and only to them."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.accounts.models import Role, User
from tests.conftest import sign_in_with_code


@pytest.fixture
def administrator(db):
    return User.objects.create_superuser(
        username="admin", password="correct-horse-battery", email="admin@example.org", role=Role.ADMINISTRATOR
    )


def changelist_urls():
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
        if model._meta.app_label in {"cases", "accounts", "comms", "learning"}  # issue 12, points: learning
    ]


@pytest.mark.django_db
def test_every_case_record_list_opens_and_searches_for_an_administrator(client, administrator, log, officer):
    from putright.cases.services import triage

    complaint = log("2026-03-02 10:00")
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    sign_in_with_code(client, administrator)
    for url in changelist_urls():
        response = client.get(url, {"q": "Lovelace"} if "complaint" in url else {})
        assert response.status_code == 200, url
    page = client.get(reverse("admin:cases_complaint_changelist"), {"q": "Lovelace"})
    assert complaint.reference in page.content.decode()
    detail = client.get(reverse("admin:cases_complaint_change", args=[complaint.pk]))
    assert "Accepted at stage 1" in detail.content.decode()


@pytest.mark.django_db
def test_complaints_cannot_be_changed_in_the_admin_only_through_the_procedure(client, administrator, log):
    complaint = log("2026-03-02 10:00")
    sign_in_with_code(client, administrator)
    assert client.get(reverse("admin:cases_complaint_add")).status_code == 403
    assert client.post(reverse("admin:cases_complaint_delete", args=[complaint.pk])).status_code == 403


@pytest.mark.django_db
def test_staff_who_are_not_administrators_are_kept_out(client, officer):
    client.force_login(officer)
    response = client.get(reverse("admin:cases_complaint_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_the_complaint_list_uses_the_same_queries_for_three_complaints_or_thirty(client, administrator, log):
    sign_in_with_code(client, administrator)
    url = reverse("admin:cases_complaint_changelist")
    for n in range(3):
        log(f"2026-03-0{n + 2} 10:00")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(27):
        log(f"2026-04-{n + 1:02d} 10:00")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.django_db
def test_staff_with_view_rights_see_only_their_organisations_complaints(client, log, officer, customer):
    from django.contrib.auth.models import Permission

    from putright.accounts.models import Organisation, OrganisationKind
    from putright.cases.services.customers import create_customer

    ours = log("2026-03-02 10:00")
    suffolk = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    theirs_customer = create_customer(
        organisation=suffolk, first_name="Ben", last_name="Brook", phone="01473 1"
    )
    theirs = log("2026-03-02 11:00", organisation=suffolk, customer=theirs_customer)
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    officer.user_permissions.add(*Permission.objects.filter(codename__in=["view_complaint", "view_customer"]))
    sign_in_with_code(client, officer)

    listing = client.get(reverse("admin:cases_complaint_changelist")).content.decode()
    assert ours.reference in listing
    assert theirs.reference not in listing
    assert client.get(reverse("admin:cases_complaint_change", args=[theirs.pk])).status_code == 302
    customers = client.get(reverse("admin:cases_customer_changelist")).content.decode()
    assert "Lovelace" in customers
    assert "Brook" not in customers


@pytest.mark.django_db
def test_the_outbox_and_letters_can_be_looked_at_but_not_changed(client, administrator, settings):
    from django.core.mail import send_mail

    from putright.comms.models import OutboundEmail
    from tests.conftest import OUTBOX

    settings.EMAIL_BACKEND = OUTBOX
    send_mail("Your password", "Reset it here.", None, ["ada@example.org"])
    email = OutboundEmail.objects.get()
    sign_in_with_code(client, administrator)
    listing = client.get(reverse("admin:comms_outboundemail_changelist"), {"q": "password"})
    assert "Your password" in listing.content.decode()
    detail = client.get(reverse("admin:comms_outboundemail_change", args=[email.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:comms_outboundemail_add")).status_code == 403


@pytest.mark.django_db
def test_action_reminders_can_be_looked_at_but_not_changed(client, administrator, log, officer):
    import datetime as dt

    from django.utils import timezone

    from putright.cases.services import responses, triage
    from putright.comms.models import ActionReminder

    complaint = log("2026-03-02 10:00")
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    action = responses.add_action(
        complaint, description="Replace the kitchen window", due_on=dt.date(2026, 3, 20), actor=officer
    )
    reminder = ActionReminder.objects.create(
        action=action, complaint=complaint, due_on=action.due_on, sent_at=timezone.now(), recipients=[]
    )
    sign_in_with_code(client, administrator)
    listing = client.get(reverse("admin:comms_actionreminder_changelist"), {"q": complaint.reference})
    assert "Replace the kitchen window" in listing.content.decode()
    detail = client.get(reverse("admin:comms_actionreminder_change", args=[reminder.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:comms_actionreminder_add")).status_code == 403


# issue 15, retention: the periods in force, seen by staff with the admin, changed by administrators


@pytest.mark.django_db
def test_retention_periods_are_shown_to_staff_and_changed_by_administrators_above_their_floor(
    client, administrator, officer
):
    from putright.cases.models import RetentionPeriod
    from putright.cases.services import retention

    row = RetentionPeriod.objects.get(record_type="complaints")
    change = reverse("admin:cases_retentionperiod_change", args=[row.pk])
    officer.is_staff = True
    officer.save(update_fields=["is_staff"])
    sign_in_with_code(client, officer)
    listing = client.get(reverse("admin:cases_retentionperiod_changelist")).content.decode()
    assert (
        "6 years after the complaint closed" in listing
        and "30 days after the draft was last changed" in listing
    )
    assert client.post(change, {"amount": 1}).status_code == 403
    assert RetentionPeriod.objects.get(pk=row.pk).amount == 6

    client.logout()
    sign_in_with_code(client, administrator)
    refused = client.post(change, {"amount": 0})
    assert refused.status_code == 200 and "must be at least 1 year" in refused.content.decode()
    assert client.post(change, {"amount": 7}).status_code == 302
    assert retention.period(retention.RecordType.COMPLAINTS).amount == 7
    assert RetentionPeriod.objects.get(pk=row.pk).updated_by == administrator
    assert client.get(reverse("admin:cases_retentionperiod_add")).status_code == 403
