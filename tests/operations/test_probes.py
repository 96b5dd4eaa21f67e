"""Liveness and readiness as a load balancer or systemd sees them, against real databases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.operations.observe_helpers import free_port, run_putright


@pytest.fixture
def fresh_readiness():
    """Forget that this process found every migration applied (the test checks it again)."""
    from putright import health

    health._migrations_applied = False
    yield health
    health._migrations_applied = False


@pytest.mark.django_db
def test_a_migrated_database_is_ready_and_a_ready_process_stops_reading_the_migrations(
    client, fresh_readiness
):
    first = client.get("/ready")
    assert first.status_code == 200
    assert first.json() == {
        "status": "ready",
        "database": "ok",
        "migrations": {"pending": 0},
        "policy": {"name": "Flagship Group Customer Complaints Procedure", "version": "1.2"},
    }
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ready").status_code == 200
    # Only the "SELECT 1" that says the database answers: not the list of applied migrations.
    assert [q["sql"] for q in queries.captured_queries] == ["SELECT 1"]


def test_readiness_is_503_while_a_migration_is_pending_and_200_once_applied(tmp_path):
    done = run_putright(
        tmp_path,
        """
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
call_command("migrate", verbosity=0)
graph = MigrationLoader(connection).graph
leaf = next(node for node in graph.leaf_nodes() if node[0] == "reports")
parent = next(p.key for p in graph.node_map[leaf].parents if p.key[0] == "reports")
call_command("migrate", "reports", parent[1], verbosity=0)
probe("/ready")
probe("/health")
call_command("migrate", verbosity=0)
probe("/ready")
""",
    )
    pending, alive, after = done.probes
    assert pending["status"] == 503
    assert pending["body"]["status"] == "not ready"
    assert pending["body"]["database"] == "ok"
    assert pending["body"]["migrations"] == {"pending": 1}
    # Liveness stays 200: restarting the process would not apply the migration.
    assert alive["status"] == 200
    assert after["status"] == 200
    assert after["body"]["migrations"] == {"pending": 0}


def test_an_unreachable_database_makes_the_process_not_ready_but_still_alive(tmp_path):
    port = free_port()
    done = run_putright(
        tmp_path,
        'probe("/ready")\nprobe("/health")\n',
        env={"DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/putright"},
    )
    ready, alive = done.probes
    assert ready["status"] == 503
    assert ready["body"]["status"] == "not ready"
    assert ready["body"]["database"] == "unavailable"
    assert ready["body"]["migrations"] == {"pending": None}
    assert alive["status"] == 200
    assert alive["body"]["status"] == "degraded"
    assert alive["body"]["database"] == "unavailable"
    assert "background" not in alive["body"]


@pytest.mark.django_db
def test_readiness_refuses_a_post(client):
    assert client.post("/ready").status_code == 405
