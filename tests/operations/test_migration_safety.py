"""Migrations safe to run while the old version still serves, or a note that says what to do.

The first test is the gate CI runs over the project's own migrations; the
others hold the checker to made-up operations, safe and unsafe.
"""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from putright.operations import migration_safety
from putright.operations.migration_safety import check_all, check_migration


def test_every_migration_after_the_baseline_is_safe_or_carries_a_note(capsys):
    findings = check_all()
    for finding in findings:
        if finding.note:
            print(f"UPGRADE NOTE {finding.migration}: {finding.note}")  # noqa: T201 - shown in CI's log
    unexplained = [str(f) for f in findings if not f.note]
    assert not unexplained, (
        "These migrations would break the version still serving while they run. Make them safe "
        "(nullable, or with db_default; remove in a later release) or give the migration a module "
        "attribute UPGRADE_NOTE saying what the operator must do (docs/going-live/upgrade.md):\n"
        + "\n".join(unexplained)
    )


def test_the_baseline_names_the_last_migration_of_every_app_that_has_one_then():
    base = migration_safety.baseline()
    assert {"accounts", "cases", "comms", "learning", "reports", "portal", "api"} <= set(base)
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    assert all((app, name) in graph.nodes for app, name in base.items())


@pytest.fixture(scope="module")
def before():
    """The project's schema as its migrations leave it."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state()


@pytest.fixture
def made_up(monkeypatch):
    """A migration module in memory: its operations, and a note when given."""

    def make(*operations, note: str = "", name: str = "0099_made_up"):
        module = types.ModuleType(f"putright.cases.migrations.{name}")
        module.__file__ = f"putright/cases/migrations/{name}.py"
        if note:
            module.UPGRADE_NOTE = note  # type: ignore[attr-defined]
        migration_class = type(
            "Migration",
            (migrations.Migration,),
            {"operations": list(operations), "__module__": module.__name__},
        )
        monkeypatch.setitem(sys.modules, module.__name__, module)
        return migration_class(name, "cases")

    return make


def test_adding_a_nullable_column_a_defaulted_column_a_table_and_an_index_is_safe(made_up, before):
    migration = made_up(
        migrations.AddField("complaint", "original_reference", models.CharField(max_length=40, null=True)),
        migrations.AddField("complaint", "imported", models.BooleanField(default=False, db_default=False)),
        migrations.CreateModel("ImportRun", [("id", models.BigAutoField(primary_key=True))]),
        migrations.AddIndex("complaint", models.Index(fields=["original_reference"], name="orig_ref_idx")),
    )

    assert check_migration(migration, before) == []


@pytest.mark.parametrize(
    ("operation", "reason"),
    [
        (migrations.RemoveField("complaint", "summary"), "still reads and writes this column"),
        (migrations.RenameField("complaint", "summary", "headline"), "still uses the old name"),
        (migrations.DeleteModel("CaseNote"), "still uses this table"),
        (
            migrations.AddField("complaint", "imported", models.BooleanField(default=False)),
            "NOT NULL column without db_default",
        ),
        (migrations.RunSQL("UPDATE cases_complaint SET summary = ''"), "raw SQL cannot be judged"),
    ],
)
def test_an_unsafe_operation_without_a_note_is_named_with_its_file(made_up, before, operation, reason):
    (finding,) = check_migration(made_up(operation), before)

    assert finding.path == "putright/cases/migrations/0099_made_up.py"
    assert finding.operation == operation.describe()
    assert reason in finding.reason and finding.note == ""
    assert str(finding).startswith("putright/cases/migrations/0099_made_up.py: ")


def test_making_a_nullable_column_not_null_is_unsafe_but_not_the_other_way(made_up, before):
    fields = before.models[("cases", "complaint")].fields
    name, nullable = next((n, f) for n, f in fields.items() if f.null and not f.is_relation)
    required = nullable.clone()
    required.null = False
    loosened = nullable.clone()

    (finding,) = check_migration(made_up(migrations.AlterField("complaint", name, required)), before)
    assert "NOT NULL" in finding.reason
    assert check_migration(made_up(migrations.AlterField("complaint", name, loosened)), before) == []


def test_an_unsafe_operation_with_a_note_passes_and_the_note_is_kept(made_up, before):
    note = "Stop the web processes before `putright migrate`: the summary column is removed."
    (finding,) = check_migration(made_up(migrations.RemoveField("complaint", "summary"), note=note), before)

    assert finding.note == note


def test_a_later_operation_is_judged_against_the_schema_the_earlier_ones_leave(made_up, before):
    """A column added nullable and made required in one migration is still caught."""
    migration = made_up(
        migrations.AddField("complaint", "imported_ref", models.CharField(max_length=40, null=True)),
        migrations.AlterField("complaint", "imported_ref", models.CharField(max_length=40)),
    )

    (finding,) = check_migration(migration, before)
    assert finding.operation.startswith("Alter field imported_ref")


def test_upgrade_notes_lists_the_migrations_waiting_in_a_new_database(tmp_path):
    env = {**os.environ, "PUTRIGHT_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    putright = str(Path(sys.executable).with_name("putright"))

    done = subprocess.run(
        [putright, "upgrade_notes"], env=env, capture_output=True, text=True, timeout=120, check=True
    )

    assert "migrations to apply: " in done.stdout and "cases.0001_initial" in done.stdout
    # The first migration with a note: the copies of the complaint's receipt (issue 16, dash).
    assert "cases.0034_complaint_copies" in done.stdout and "Stop the web processes" in done.stdout
