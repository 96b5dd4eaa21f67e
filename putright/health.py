"""The probes a load balancer, systemd or a monitoring check polls: liveness and readiness.

``/health`` (liveness) answers 200 as long as this process can answer at all,
and says in its body what is wrong around it. A database that is down or a
policy file that does not load is not fixed by restarting the web process, so
liveness does not fail for them: a supervisor that restarts on a failed
liveness probe would only add restarts to an outage.

``/ready`` (readiness) answers 503 while this process should not be sent
requests: the database does not answer, migrations are waiting to be applied
(the code expects tables the database does not have yet), or the policy in
force does not load. A load balancer takes the process out of rotation until
it is 200 again.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from putright.cases.policies import current_policy
from putright.comms.models import EmailStatus, Job, OutboundEmail
from putright.procedure.loader import PolicyError

#: Set once every migration is found applied: a ready process stays ready without reading the
#: migration files at every probe (migrations are only ever added by deploying new code, which
#: starts new processes).
_migrations_applied = False


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 while the process answers; "ok" or "degraded" with what is wrong."""
    database = _database()
    policy_state = _policy()
    fine = database == "ok" and "error" not in policy_state
    body: dict[str, object] = {
        "status": "ok" if fine else "degraded",
        "database": database,
        "policy": policy_state,
    }
    if database == "ok":
        body["background"] = _background()
    return JsonResponse(body)


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database answers, every migration is applied and the policy loads; else 503."""
    database = _database()
    migrations: dict[str, object] = (
        {"pending": _pending_migrations()} if database == "ok" else {"pending": None}
    )
    policy_state = _policy()
    is_ready = database == "ok" and migrations["pending"] == 0 and "error" not in policy_state
    body = {
        "status": "ready" if is_ready else "not ready",
        "database": database,
        "migrations": migrations,
        "policy": policy_state,
    }
    return JsonResponse(body, status=200 if is_ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return "unavailable"
    return "ok"


def _policy() -> dict[str, str]:
    try:
        policy = current_policy().policy
    except PolicyError as error:
        return {"error": "; ".join(error.problems)}
    return {"name": policy.name, "version": policy.version}


def _pending_migrations() -> int | None:
    """How many migrations the code has that the database has not applied (None: could not tell).

    Reads the migration files and the applied list once per process until none
    is pending, then never again.
    """
    global _migrations_applied
    if _migrations_applied:
        return 0
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return None
    _migrations_applied = not plan
    return len(plan)


def _background() -> dict[str, object]:
    """What a monitor should alert on, without failing the web process for it.

    A worker that is down leaves email waiting and the sweep's last run growing
    old; the web pages still work, so this is reported, not turned into a 503
    that would take the web process out of its load balancer.
    """
    try:
        waiting = OutboundEmail.objects.filter(
            status__in=[EmailStatus.PENDING, EmailStatus.SENDING]
        ).aggregate(count=Count("pk"), oldest=Min("created_at"))
        runs = dict(
            Job.objects.filter(name__in=["deliver-due", "sweep"]).values_list("name", "last_finished_at")
        )
        chains = _timeline_chains()
    except DatabaseError:
        # Tables not there yet (migrations pending): readiness says so.
        return {"error": "the database is not migrated"}
    return {
        "emails_waiting": waiting["count"],
        "oldest_email_waiting_since": waiting["oldest"],
        "last_delivery_run": runs.get("deliver-due"),
        "last_deadline_sweep": runs.get("sweep"),
        "timeline_chains": chains,
    }


def _timeline_chains() -> dict[str, object]:
    """issue 15, audit: the worker's last weekly check of the timeline chains (never a 503 for it).

    A broken chain is for a person to look into (``putright audit verify``), not a reason
    to take the web process out of its load balancer.
    """
    job = Job.objects.filter(name="verify-timeline-chains").values("last_finished_at", "last_result").first()
    if job is None or job["last_finished_at"] is None:
        return {"last_verified": None, "result": "never run"}
    result = job["last_result"] or {}
    return {
        "last_verified": job["last_finished_at"],
        "result": "ok" if result.get("ok") else "broken",
        "cases": result.get("cases"),
        "broken": result.get("broken"),
        "first_broken": result.get("first_broken", [])[:5],
    }
