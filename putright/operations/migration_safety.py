"""Which migrations are safe to run while the previous version of putright still serves.

An upgrade migrates the database first and reloads the web processes after,
so for a while the old code runs against the new schema. An operation is safe
when the old code keeps working on it: adding a table, an index, a nullable
column or one with a database default. It is unsafe when the old code would
fail: a column or table it uses is removed or renamed, or a column it does not
know about refuses rows without a value. Every migration after the baseline
(``migration_baseline.toml``: the last migration of each app when this check
began) must be safe, or carry a module attribute ``UPGRADE_NOTE`` telling the
operator what to do (for example: stop the web processes before migrating),
which ``putright upgrade_notes`` prints before an upgrade.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.state import ProjectState

BASELINE = Path(__file__).with_name("migration_baseline.toml")
PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Finding:
    """One migration operation the old code could not live with."""

    migration: str  # app.name
    path: str
    operation: str
    reason: str
    note: str

    def __str__(self) -> str:
        return f"{self.path}: {self.operation}: {self.reason}"


def upgrade_note(migration: Migration) -> str:
    """The migration's ``UPGRADE_NOTE`` (a module attribute), or ""."""
    module = sys.modules.get(type(migration).__module__)
    return str(getattr(module, "UPGRADE_NOTE", "") or "").strip()


def migration_path(migration: Migration) -> str:
    """The migration's file, from the project's root when it is in the project."""
    module = sys.modules.get(type(migration).__module__)
    path = Path(getattr(module, "__file__", None) or type(migration).__module__)
    return str(path.relative_to(PROJECT)) if path.is_relative_to(PROJECT) else str(path)


def why_unsafe(operation: object, app_label: str, before: ProjectState) -> str:
    """Why the old code would break while ``operation`` is applied, or "" when it would not."""
    if isinstance(operation, migrations.RemoveField):
        return "the old code still reads and writes this column"
    if isinstance(operation, migrations.DeleteModel):
        return "the old code still uses this table"
    if isinstance(operation, migrations.RenameField | migrations.RenameModel | migrations.AlterModelTable):
        return "the old code still uses the old name"
    if isinstance(operation, migrations.RunSQL):
        return "raw SQL cannot be judged: say in a note whether the old code survives it"
    if isinstance(operation, migrations.AddField):
        if _refuses_rows_without_value(operation.field):
            return "a NOT NULL column without db_default: the old code's inserts leave it out and fail"
        return ""
    if isinstance(operation, migrations.AlterField):
        return _why_alter_unsafe(operation, app_label, before)
    return ""


def check_migration(migration: Migration, before: ProjectState) -> list[Finding]:
    """The unsafe operations of one migration, each with the migration's note (if any)."""
    state = before.clone()
    found = []
    for operation in migration.operations:
        reason = why_unsafe(operation, migration.app_label, state)
        if reason:
            found.append(
                Finding(
                    migration=f"{migration.app_label}.{migration.name}",
                    path=migration_path(migration),
                    operation=operation.describe(),
                    reason=reason,
                    note=upgrade_note(migration),
                )
            )
        operation.state_forwards(migration.app_label, state)
    return found


def baseline(path: Path = BASELINE) -> dict[str, str]:
    """The last migration of each app that is taken as safe (it was there before the check)."""
    with path.open("rb") as source:
        return dict(tomllib.load(source)["baseline"])


def check_all(loader: MigrationLoader | None = None, base: Mapping[str, str] | None = None) -> list[Finding]:
    """Every unsafe operation in the migrations after the baseline, in the order they would run."""
    loader = loader or MigrationLoader(None, ignore_no_migrations=True)
    base = baseline() if base is None else base
    graph = loader.graph
    missing = [f"{app}.{name}" for app, name in base.items() if (app, name) not in graph.nodes]
    if missing:
        raise ValueError(f"{BASELINE.name} names migrations that do not exist: {', '.join(missing)}")
    settled = {node for app, name in base.items() for node in graph.forwards_plan((app, name))}
    state = ProjectState(real_apps=loader.unmigrated_apps)
    found: list[Finding] = []
    for node in _plan(graph, graph.leaf_nodes()):
        migration = loader.graph.nodes[node]
        if _ours(node[0]) and node not in settled:
            found += check_migration(migration, state)
        state = migration.mutate_state(state, preserve=False)
    return found


def notes_of(names: Iterable[str], loader: MigrationLoader) -> list[tuple[str, str]]:
    """The upgrade notes of the given migrations ("app.name"), as ("app.name", note)."""
    notes = []
    for full_name in names:
        app, name = full_name.split(".", 1)
        note = upgrade_note(loader.graph.nodes[(app, name)])
        if note:
            notes.append((full_name, note))
    return notes


def _ours(app_label: str) -> bool:
    """putright's own apps: a library's migrations are its authors' to keep safe."""
    return apps.get_app_config(app_label).name.startswith("putright.")


def _plan(graph: object, leaves: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    plan: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for leaf in leaves:
        for node in graph.forwards_plan(leaf):  # type: ignore[attr-defined]
            if node not in seen:
                seen.add(node)
                plan.append(node)
    return plan


def _refuses_rows_without_value(field: models.Field[object, object]) -> bool:
    if field.many_to_many or field.null:
        return False
    return field.db_default is models.NOT_PROVIDED


def _why_alter_unsafe(operation: migrations.AlterField, app_label: str, before: ProjectState) -> str:
    new = operation.field
    old_model = before.models.get((app_label, operation.model_name_lower))
    old = old_model.fields.get(operation.name) if old_model else None
    if old is None:
        return ""
    if old.null and _refuses_rows_without_value(new):
        return "makes the column NOT NULL without db_default: the old code may still write NULL there"
    if old.db_column != new.db_column:
        return "renames the column: the old code still uses the old name"
    return ""
