"""Settings come from the environment and production is locked down."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.db import connection


def run_putright(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    # Not the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE either: a deployment never sets it.
    dropped = {"DATABASE_URL", "PUTRIGHT_ENV", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base.update({"PUTRIGHT_DATA_DIR": str(tmp_path)}, **env)
    return subprocess.run(
        [sys.executable, "-m", "putright", *args], env=base, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run_putright(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "PUTRIGHT_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "complaints.example.org",
            "PUTRIGHT_SMTP_HOST": "smtp.example.org",
            "PUTRIGHT_MAIL_FROM": "complaints@example.org",
            "PUTRIGHT_BASE_URL": "https://complaints.example.org",
        },
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_putright("check", env={"PUTRIGHT_ENV": "production"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_debug(tmp_path):
    env = {"PUTRIGHT_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(64), "PUTRIGHT_DEBUG": "true"}
    result = run_putright("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "PUTRIGHT_DEBUG must not be on in production" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_foreign_keys():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run is on another database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1


def test_sqlite_keeps_its_connections_between_requests():
    """issue 16, overhead: opening SQLite afresh for each request cost every page milliseconds."""
    from django.conf import settings

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: this run is on another database")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 60


@pytest.mark.django_db
def test_database_url_selects_postgresql_through_psycopg3():
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("PostgreSQL only: this run is on SQLite")
    import psycopg

    assert connection.vendor == "postgresql"
    assert isinstance(connection.connection, psycopg.Connection)


def test_a_development_setup_refuses_to_serve_a_public_host(tmp_path):
    result = run_putright("check", env={"ALLOWED_HOSTS": "complaints.example.org"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "set PUTRIGHT_ENV=production" in result.stderr


def test_production_needs_its_host_names(tmp_path):
    env = {"PUTRIGHT_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(64)}
    result = run_putright("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the site's host names in production" in result.stderr


@pytest.mark.django_db
def test_on_postgresql_the_database_itself_refuses_to_change_the_timeline(log):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no such trigger")
    from django.db import DatabaseError, transaction

    log("2026-03-02 10:00")
    for statement in ("UPDATE cases_timelineevent SET summary = 'edited'", "DELETE FROM cases_timelineevent"):
        with (
            pytest.raises(DatabaseError, match="timeline events are never changed or deleted"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)


def test_background_work_uses_the_database_queue_unless_redis_is_chosen(tmp_path):
    backend = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    show = ["shell", "-v", "0", "-c", backend]
    assert run_putright(*show, env={}, tmp_path=tmp_path).stdout.strip() == "django_tasks_db.DatabaseBackend"
    redis = run_putright(*show, env={"PUTRIGHT_TASKS": "redis"}, tmp_path=tmp_path)
    assert redis.stdout.strip() == "django_tasks_rq.RQBackend", redis.stderr


def test_an_unknown_task_queue_is_refused_by_name(tmp_path):
    result = run_putright("check", env={"PUTRIGHT_TASKS": "celery"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "PUTRIGHT_TASKS must be 'database' or 'redis'" in result.stderr


@pytest.mark.parametrize(
    ("missing", "said"),
    [
        ("PUTRIGHT_MAIL_FROM", "PUTRIGHT_MAIL_FROM must give the address email is sent from"),
        ("PUTRIGHT_BASE_URL", "PUTRIGHT_BASE_URL must give the service's address"),
    ],
)
def test_production_refuses_to_send_email_from_or_linking_to_localhost(tmp_path, missing, said):
    env = {
        "PUTRIGHT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "complaints.example.org",
        "PUTRIGHT_SMTP_HOST": "smtp.example.org",
        "PUTRIGHT_MAIL_FROM": "complaints@example.org",
        "PUTRIGHT_BASE_URL": "https://complaints.example.org",
    }
    del env[missing]
    result = run_putright("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert said in result.stderr
