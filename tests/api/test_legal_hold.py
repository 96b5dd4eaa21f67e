"""issue 15, retention: a legal hold through the API and the case page; a Resolution Officer is refused."""

from __future__ import annotations

from putright.cases.models import EventKind


def test_placed_and_lifted_through_the_api_twice_refused_and_an_officer_forbidden(api, log, senior, officer):
    complaint = log("2026-03-02 10:00")
    path = f"complaints/{complaint.reference}/legal-hold"
    forbidden = api.as_(officer).post(path, {"reason": "A claim", "version": complaint.version})
    assert forbidden.status_code == 403
    placed = api.as_(senior).post(path, {"reason": "Disrepair claim", "version": complaint.version})
    assert placed.status_code == 200, placed.content
    body = placed.json()
    assert body["legal_hold_reason"] == "Disrepair claim" and body["legal_hold_since"]
    assert "lift_legal_hold" in body["allowed_steps"] and "place_legal_hold" not in body["allowed_steps"]
    again = api.as_(senior).post(path, {"reason": "Again", "version": body["version"]})
    assert again.status_code == 409 and "already under legal hold" in again.json()["detail"]
    complaint.refresh_from_db()
    assert complaint.version == body["version"] and complaint.legal_hold_reason == "Disrepair claim"
    lifted = api.as_(senior).post(f"{path}/lift", {"reason": "Settled", "version": body["version"]})
    assert lifted.status_code == 200 and lifted.json()["legal_hold_since"] is None
    none = api.as_(senior).post(f"{path}/lift", {"reason": "Settled", "version": lifted.json()["version"]})
    assert none.status_code == 409 and "not under legal hold" in none.json()["detail"]
    kinds = list(complaint.timeline.filter(kind__gte=453, kind__lte=454).values_list("kind", flat=True))
    assert kinds == [EventKind.LEGAL_HOLD_PLACED, EventKind.LEGAL_HOLD_LIFTED]


def test_the_case_page_shows_the_hold_and_offers_its_steps_to_a_senior_manager_only(
    client, log, senior, officer
):
    complaint = log("2026-03-02 10:00")
    place = f"/work/complaints/{complaint.reference}/legal-hold/"
    client.force_login(officer)
    assert place not in client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    assert client.get(place).status_code == 403
    client.force_login(senior)
    assert place in client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    empty = client.post(place, {"version": complaint.version, "reason": ""})
    assert "Give the reason for the legal hold" in empty.content.decode()
    assert (
        client.post(place, {"version": complaint.version, "reason": "Ombudsman inquiry"}).status_code == 302
    )
    page = client.get(f"/work/complaints/{complaint.reference}/").content.decode()
    assert "Under legal hold since" in page and "Ombudsman inquiry" in page
    assert f"{place}lift/" in page and "Legal hold placed: Ombudsman inquiry" in page
