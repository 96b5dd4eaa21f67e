"""The health endpoint a load balancer or a monitoring check polls."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from putright.cases.policies import current_policy
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
    body = {"status": "ok" if healthy else "unhealthy", "database": database, "policy": policy_state}
    return JsonResponse(body, status=200 if healthy else 503)
