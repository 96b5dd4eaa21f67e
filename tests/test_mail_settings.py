"""Choosing how email leaves (SMTP, Microsoft Graph, an email provider's API) and the Redis
queue as an optional extra, as an operator sets them: environment variables, a real process."""

from __future__ import annotations

import importlib.metadata
import json
import re
import secrets
import subprocess
import sys

from packaging.requirements import Requirement

from tests.test_settings import run_putright

SHOW_MAIL = (
    "from django.conf import settings as s; import json; print(json.dumps({"
    "'provider': s.PUTRIGHT_EMAIL_PROVIDER, 'backend': s.PUTRIGHT_DELIVERY_BACKEND, "
    "'smtp': [getattr(s, n, None) for n in ('EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_USE_TLS', 'EMAIL_USE_SSL')], "
    "'anymail': getattr(s, 'ANYMAIL', None)}))"
)
PRODUCTION = {
    "PUTRIGHT_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "complaints.example.org",
    "PUTRIGHT_MAIL_FROM": "complaints@example.org",
    "PUTRIGHT_BASE_URL": "https://complaints.example.org",
}
GRAPH = {
    "PUTRIGHT_EMAIL_PROVIDER": "graph",
    "PUTRIGHT_GRAPH_TENANT_ID": "6f1c2d3e-tenant",
    "PUTRIGHT_GRAPH_CLIENT_ID": "client-123",
    "PUTRIGHT_GRAPH_CLIENT_SECRET": "s3cret",
}


def mail_settings(env: dict[str, str], tmp_path) -> dict:
    result = run_putright("shell", "-v", "0", "-c", SHOW_MAIL, env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_only_the_smtp_variables_set_means_smtp_exactly_as_before(tmp_path):
    shown = mail_settings({"PUTRIGHT_SMTP_HOST": "smtp.example.org"}, tmp_path)
    assert shown["provider"] == "smtp"
    assert shown["backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert shown["smtp"] == ["smtp.example.org", 587, True, False]
    shown = mail_settings({"PUTRIGHT_SMTP_HOST": "smtp.example.org", "PUTRIGHT_SMTP_PORT": "465"}, tmp_path)
    assert shown["smtp"] == ["smtp.example.org", 465, False, True]


def test_with_nothing_set_development_writes_files(tmp_path):
    shown = mail_settings({}, tmp_path)
    assert (shown["provider"], shown["backend"]) == (
        "file",
        "django.core.mail.backends.filebased.EmailBackend",
    )


def test_production_refuses_to_start_without_a_real_route_for_email(tmp_path):
    for env in ({}, {"PUTRIGHT_EMAIL_PROVIDER": "file"}):
        result = run_putright("check", env={**PRODUCTION, **env}, tmp_path=tmp_path)
        assert result.returncode != 0
        assert "PUTRIGHT_SMTP_HOST must name the SMTP relay in production, or PUTRIGHT_EMAIL_PROVIDER" in (
            result.stderr
        )


def test_smtp_chosen_without_a_relay_is_refused(tmp_path):
    result = run_putright("check", env={"PUTRIGHT_EMAIL_PROVIDER": "smtp"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "PUTRIGHT_EMAIL_PROVIDER=smtp needs PUTRIGHT_SMTP_HOST" in result.stderr


def test_microsoft_graph_in_production_passes_the_deployment_checklist(tmp_path):
    result = run_putright(
        "check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION, **GRAPH}, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stderr
    shown = mail_settings({**PRODUCTION, **GRAPH}, tmp_path)
    assert shown["backend"] == "putright.comms.email.graph.GraphBackend"


def test_microsoft_graph_without_its_secret_is_refused_naming_what_is_missing(tmp_path):
    env = {**GRAPH, "PUTRIGHT_GRAPH_CLIENT_SECRET": ""}
    result = run_putright("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "PUTRIGHT_EMAIL_PROVIDER=graph needs PUTRIGHT_GRAPH_CLIENT_SECRET" in result.stderr
    assert "TENANT_ID" not in result.stderr.splitlines()[-1]


def test_an_email_providers_settings_are_anymails_own_names_from_the_environment(tmp_path):
    env = {
        **PRODUCTION,
        "PUTRIGHT_EMAIL_PROVIDER": "Postmark",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "pm-token",
    }
    shown = mail_settings(env, tmp_path)
    assert shown["backend"] == "anymail.backends.postmark.EmailBackend"
    assert shown["anymail"] == {"POSTMARK_SERVER_TOKEN": "pm-token"}
    result = run_putright("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_an_email_provider_without_its_credentials_refuses_to_start(tmp_path):
    result = run_putright("check", env={"PUTRIGHT_EMAIL_PROVIDER": "mailgun"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "putright.mail.E001" in result.stderr
    assert "PUTRIGHT_EMAIL_PROVIDER=mailgun cannot send" in result.stderr
    assert "MAILGUN_API_KEY" in result.stderr


def test_an_unknown_provider_is_refused_with_the_choices(tmp_path):
    result = run_putright("check", env={"PUTRIGHT_EMAIL_PROVIDER": "pigeon"}, tmp_path=tmp_path)
    assert result.returncode != 0
    said = result.stderr.splitlines()[-1]
    assert "PUTRIGHT_EMAIL_PROVIDER must be smtp, graph, file or one of django-anymail's providers" in said
    assert "postmark" in said and "mailgun" in said and "not 'pigeon'" in said


# The Redis queue is an optional extra.

#: Python run with the Redis queue's packages made impossible to import, as on an install without
#: the extra; then loads the settings and says which task backend they chose, or why not.
WITHOUT_REDIS_PACKAGES = """
import importlib.abc, os, sys
class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"django_tasks_rq", "django_rq", "rq", "redis"}:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, NotInstalled())
os.environ["DJANGO_SETTINGS_MODULE"] = "putright.settings"
import django
django.setup()
from django.conf import settings
print(settings.TASKS["default"]["BACKEND"])
"""


def without_redis_packages(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PUTRIGHT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", **env}
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_REDIS_PACKAGES],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_the_redis_extra_the_database_queue_runs_and_redis_says_what_to_install(tmp_path):
    database = without_redis_packages(tmp_path)
    assert database.returncode == 0, database.stderr
    assert database.stdout.strip() == "django_tasks_db.DatabaseBackend"

    redis = without_redis_packages(tmp_path, PUTRIGHT_TASKS="redis")
    assert redis.returncode != 0
    assert "PUTRIGHT_TASKS=redis needs the Redis queue's packages" in redis.stderr
    assert "pip install 'putright[redis]'" in redis.stderr


def _installed_without_extras(name: str, seen: set[str]) -> set[str]:
    """The distributions ``pip install name`` brings in: its requirements with no extra, recursively."""
    key = re.sub(r"[-_.]+", "-", name).lower()
    if key in seen:
        return seen
    seen.add(key)
    for line in importlib.metadata.requires(name) or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            _installed_without_extras(requirement.name, seen)
    return seen


def test_a_plain_install_of_putright_brings_none_of_the_redis_queues_packages():
    core = _installed_without_extras("putright", set())
    assert "django" in core and "django-tasks-db" in core and "django-anymail" in core
    assert core.isdisjoint({"django-tasks-rq", "django-rq", "rq", "redis", "rq-scheduler"})

    redis_extra = {
        Requirement(line).name
        for line in importlib.metadata.requires("putright") or []
        if Requirement(line).marker is not None and 'extra == "redis"' in str(Requirement(line).marker)
    }
    assert redis_extra == {"django-tasks-rq", "django-rq"}
