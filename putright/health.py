"""The health endpoint a load balancer or a monitoring check polls."""

from __future__ import annotations

from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from putright.cases.policies import current_policy


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Say whether the database answers and which policy is in force; 503 if not healthy."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "unavailable"
    policy = current_policy().policy
    status = 200 if database == "ok" else 503
    body = {
        "status": "ok" if status == 200 else "unhealthy",
        "database": database,
        "policy": {"name": policy.name, "version": policy.version},
    }
    return JsonResponse(body, status=status)
