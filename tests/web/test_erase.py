"""The erase page (issue 15, anonymise): who may use it, its confirmation step, and the case page after."""

from __future__ import annotations

from putright.accounts.models import Organisation, OrganisationKind, Role
from putright.cases.models import Attachment, Complaint, Customer, EventKind, TimelineEvent
from putright.cases.services import changes
from putright.cases.services.anonymisation import anonymise_complaint
from putright.comms.models import Letter
from tests.cases.conftest import _fast_passwords, journey  # noqa: F401 (fixtures)
from tests.cases.test_anonymisation import _media, person, rich  # noqa: F401 (fixtures)
from tests.conftest import _user


def url(customer) -> str:
    return f"/work/customers/{customer.pk}/erase"


def test_a_resolution_officer_is_forbidden_and_nothing_changes(client, officer, customer, log):
    complaint = changes.withdraw(log("2026-03-02 10:00"), reason="Sorted", actor=officer)
    client.force_login(officer)
    assert client.get(url(customer)).status_code == 403
    assert client.post(url(customer), {"reason": "Asked", "confirm": "yes"}).status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).anonymised_at is None
    assert "Erase personal data" not in client.get("/work/subject-access/?q=Lovelace").content.decode()


def test_another_landlords_senior_manager_finds_no_such_customer(client, customer):
    elsewhere = Organisation.objects.create(
        name="Elsewhere Homes", short_name="ELS", kind=OrganisationKind.LANDLORD, homes=10
    )
    client.force_login(_user("sue", Role.SENIOR_MANAGER, None, elsewhere))
    assert client.post(url(customer), {"reason": "Asked", "confirm": "yes"}).status_code == 404
    assert Customer.objects.get(pk=customer.pk).last_name == "Lovelace"


def test_the_form_needs_a_reason_and_a_tick_and_refuses_an_open_case(client, senior, customer, log):
    complaint = log("2026-03-02 10:00")
    client.force_login(senior)
    page = client.get(url(customer)).content.decode()
    assert f"Erasure is refused: {complaint.reference} is still open" in page
    response = client.post(url(customer), {"reason": " "})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Give the reason for the erasure" in text and "Tick the box to confirm" in text
    response = client.post(url(customer), {"reason": "Asked", "confirm": "yes"})
    assert response.status_code == 400
    assert f"Personal data not erased, nothing changed: {complaint.reference} is still open." in (
        response.content.decode()
    )
    assert not TimelineEvent.objects.filter(kind=EventKind.ANONYMISED).exists()


def test_erased_and_the_pages_still_show_the_case(client, senior, customer, log):
    complaint = changes.withdraw(log("2026-03-02 10:00"), reason="Sorted", actor=senior)
    client.force_login(senior)
    response = client.post(url(customer), {"reason": "Asked in writing", "confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == url(customer)
    page = client.get(url(customer)).content.decode()
    assert "The customer&#x27;s personal data was erased" in page and "Lovelace" not in page
    case_page = client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    assert "Personal details were removed on" in case_page
    assert "(Right to erasure: Asked in writing)" in case_page
    assert "Anonymised customer" in case_page and "Withdrawn" in case_page and "Lovelace" not in case_page
    assert client.get("/work/complaints/", {"q": complaint.reference}).status_code == 200
    assert client.get("/work/subject-access/?q=Anonymised").status_code == 200


def test_an_anonymised_case_with_an_open_step_still_opens(client, senior, customer, log):
    complaint = log("2026-03-02 10:00")
    anonymise_complaint(complaint, actor=senior, reason="Retention period ended")
    client.force_login(senior)
    assert client.get(f"/work/complaints/{complaint.reference}/").status_code == 200


def test_a_fully_anonymised_case_opens_and_its_removed_files_are_not_found(
    client,
    rich,  # noqa: F811 (the fixture)
    senior,
    settings,
    django_capture_on_commit_callbacks,
):
    """Every page about the case copes with what was blanked: no server error, a removed file is 404."""
    with django_capture_on_commit_callbacks(execute=True):
        anonymise_complaint(rich, actor=senior, reason="Retention period ended")
    client.force_login(senior)
    page = client.get(f"/work/complaints/{rich.reference}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Personal details were removed on" in text and "(Retention period ended)" in text
    assert "(file removed)" in text and "(PDF removed)" in text and "Zebedee" not in text
    letter = Letter.objects.get(complaint=rich)
    attachment = Attachment.objects.get(complaint=rich)
    assert client.get(f"/work/complaints/{rich.reference}/letters/{letter.pk}/pdf/").status_code == 404
    assert client.get(f"/work/complaints/{rich.reference}/evidence/{attachment.pk}/").status_code == 404
    assert client.get(f"/work/complaints/{rich.reference}/", {"tab": "timeline"}).status_code == 200
