"""The health endpoint a load balancer or a monitoring check polls."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Min
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from putright.cases.policies import current_policy
from putright.comms.models import EmailStatus, Job, OutboundEmail
from putright.procedure.loader import PolicyError


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Say whether the database answers and the policy in force loads; 503 if either does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    try:
        policy = current_policy().policy
        policy_state: dict[str, str] = {"name": policy.name, "version": policy.version}
    except PolicyError as error:
        policy_state = {"error": "; ".join(error.problems)}
    healthy = database == "ok" and "error" not in policy_state
    body: dict[str, object] = {
        "status": "ok" if healthy else "unhealthy",
        "database": database,
        "policy": policy_state,
    }
    if database == "ok":
        body["background"] = _background()
    return JsonResponse(body, status=200 if healthy else 503)


def _background() -> dict[str, object]:
    """What a monitor should alert on, without failing the web process for it.

    A worker that is down leaves email waiting and the sweep's last run growing
    old; the web pages still work, so this is reported, not turned into a 503
    that would take the web process out of its load balancer.
    """
    waiting = OutboundEmail.objects.filter(status__in=[EmailStatus.PENDING, EmailStatus.SENDING]).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    runs = dict(Job.objects.filter(name__in=["deliver-due", "sweep"]).values_list("name", "last_finished_at"))
    return {
        "emails_waiting": waiting["count"],
        "oldest_email_waiting_since": waiting["oldest"],
        "last_delivery_run": runs.get("deliver-due"),
        "last_deadline_sweep": runs.get("sweep"),
    }
