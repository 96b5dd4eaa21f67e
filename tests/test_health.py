"""The health endpoint, and the security headers every response carries."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_health_reports_the_database_and_the_policy_in_force(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["policy"] == {"name": "Flagship Group Customer Complaints Procedure", "version": "1.2"}


@pytest.mark.django_db
def test_health_refuses_a_post(client):
    assert client.post("/health").status_code == 405


@pytest.mark.django_db
def test_responses_carry_a_strict_content_security_policy(client):
    response = client.get("/health")
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_policy_that_cannot_be_loaded_makes_the_process_not_ready_but_still_alive(
    client, settings, tmp_path
):
    # issue 14, observe: liveness no longer fails for it (restarting the web process does not
    # mend a policy file; a supervisor would only restart it in a loop); readiness does.
    from putright.cases import policies

    broken = tmp_path / "policy.toml"
    broken.write_text("[policy\n")
    settings.PUTRIGHT_POLICY = str(broken)
    policies._load.cache_clear()
    try:
        alive = client.get("/health")
        ready = client.get("/ready")
    finally:
        policies._load.cache_clear()
    assert alive.status_code == 200
    assert alive.json()["status"] == "degraded"
    assert "not valid TOML" in alive.json()["policy"]["error"]
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "not ready"
    assert "not valid TOML" in body["policy"]["error"]


@pytest.mark.django_db
def test_health_reports_email_waiting_and_when_the_worker_last_ran(client):
    import datetime as dt

    import time_machine
    from django.core.mail import EmailMessage

    from putright.comms.email import outbox
    from putright.comms.reminders import sweep

    start = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        outbox.queue(EmailMessage("Your complaint", "We have it.", to=["ada@example.org"]), purpose="letter")
        sweep.sweep()
        body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["background"] == {
        "emails_waiting": 1,
        "oldest_email_waiting_since": "2027-03-18T10:00:00Z",
        "last_delivery_run": None,
        "last_deadline_sweep": "2027-03-18T10:00:00Z",
        "timeline_chains": {"last_verified": None, "result": "never run"},  # issue 15, audit
    }
