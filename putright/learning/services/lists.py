"""The managed lists: themes, root causes and each organisation's service areas (administrators).

An entry is added, renamed, retired (and brought back); never deleted, since
old cases carry it. A theme may be merged into another: the source keeps its
cases, is retired and points to the target (``merged_into``), and reports
count it under the target (``selectors.theme_for_reports``). Every change
writes a ``LearningEvent`` with the old and new values, in the same transaction.
Who may call these is checked by the callers (``Capability.MANAGE_LEARNING_LISTS``)
and again here, so no page or endpoint can forget it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, can
from putright.cases.errors import InvalidInput
from putright.learning.models import (
    LearningEvent,
    LearningEventKind,
    Retirable,
    RootCause,
    ServiceArea,
    ServiceAreaKind,
    Theme,
)

NAME_LIMIT = 120
Entry = TypeVar("Entry", bound=Retirable)


class NotPermitted(InvalidInput):
    """The actor's role may not manage the lists."""

    def __init__(self) -> None:
        super().__init__("actor", "only an administrator may change the learning lists")


# --- Themes -------------------------------------------------------------------------------------


def add_theme(name: str, *, actor: User, parent: Theme | None = None) -> Theme:
    """A new theme, or a sub-theme under a top theme (the taxonomy is two levels deep)."""
    _check(actor)
    name = _name(name)
    with transaction.atomic():
        if parent is not None:
            parent = Theme.objects.select_for_update().get(pk=parent.pk)
            if parent.parent_id is not None:
                raise InvalidInput(
                    "parent", "a sub-theme cannot have sub-themes of its own: choose a top theme"
                )
            if parent.retired_at is not None:
                raise InvalidInput("parent", f"“{parent.name}” has been retired: choose a current theme")
        _unique_theme(name, parent)
        key = _free_key(Theme, slugify(f"{parent.key}-{name}" if parent else name).replace("-", "_"))
        top = Theme.objects.filter(parent=parent).order_by("-position").values_list("position", flat=True)
        theme = Theme.objects.create(key=key, name=name, parent=parent, position=(top.first() or 0) + 1)
        _event(actor, f"Theme added: “{theme.label}”", "theme", theme, old=None, new=_theme_data(theme))
    return theme


def rename_theme(theme: Theme, name: str, *, actor: User) -> Theme:
    _check(actor)
    name = _name(name)
    with transaction.atomic():
        theme = Theme.objects.select_for_update(of=("self",)).select_related("parent").get(pk=theme.pk)
        if name == theme.name:
            return theme
        _unique_theme(name, theme.parent, exclude=theme.pk)
        old = _theme_data(theme)
        was = theme.label
        theme.name = name
        theme.save(update_fields=["name"])
        _event(
            actor,
            f"Theme renamed: “{was}” → “{theme.label}”",
            "theme",
            theme,
            old=old,
            new=_theme_data(theme),
        )
    return theme


def retire_theme(theme: Theme, *, actor: User, retired: bool = True) -> Theme:
    """Retire a theme (it stays on old cases, and is not offered anew), or bring it back."""
    _check(actor)
    with transaction.atomic():
        theme = Theme.objects.select_for_update(of=("self",)).select_related("parent").get(pk=theme.pk)
        if not retired and theme.merged_into_id is not None:
            raise InvalidInput("theme", f"“{theme.label}” was merged into another theme and cannot come back")
        if not retired and theme.parent is not None and theme.parent.retired_at is not None:
            raise InvalidInput(
                "theme", f"bring back “{theme.parent.name}” first: “{theme.label}” is under it"
            )
        return _retire(theme, actor, retired, "Theme", "theme", _theme_data)


def merge_theme(source: Theme, target: Theme, *, actor: User) -> Theme:
    """Merge ``source`` into ``target``: old cases keep ``source``, reports count them under ``target``.

    The source is retired and so are its sub-themes (merged into the target too). A theme
    already merged into the source now points straight at the target, so a merge is never
    more than one step to follow.
    """
    _check(actor)
    with transaction.atomic():
        locked = {t.pk: t for t in Theme.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
        source, target = locked[source.pk], locked[target.pk]
        if source.pk == target.pk:
            raise InvalidInput("target", "choose a different theme to merge into")
        if source.merged_into_id is not None:
            raise InvalidInput("source", "that theme has already been merged")
        if target.retired_at is not None:
            raise InvalidInput("target", "merge into a current theme, not a retired one")
        if target.parent_id == source.pk:
            raise InvalidInput("target", "a theme cannot be merged into one of its own sub-themes")
        now = timezone.now()
        children = list(Theme.objects.filter(parent=source, merged_into__isnull=True))
        moved = [source, *children]
        Theme.objects.filter(pk__in=[t.pk for t in moved]).update(merged_into=target, retired_at=now)
        Theme.objects.filter(merged_into__in=moved).exclude(pk__in=[t.pk for t in moved]).update(
            merged_into=target
        )
        source.refresh_from_db()
        target = Theme.objects.select_related("parent").get(pk=target.pk)
        source = Theme.objects.select_related("parent").get(pk=source.pk)
        LearningEvent.objects.create(
            kind=LearningEventKind.THEMES_MERGED,
            occurred_at=now,
            actor=actor,
            summary=f"Theme “{source.label}” merged into “{target.label}”",
            data={
                "list": "theme",
                "source": source.key,
                "target": target.key,
                "sub_themes": [t.key for t in children],
            },
        )
    return source


def _unique_theme(name: str, parent: Theme | None, exclude: int | None = None) -> None:
    clash = Theme.objects.filter(parent=parent, name__iexact=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    found = clash.first()
    if found is not None:
        where = f"under “{parent.name}”" if parent else "among the top themes"
        raise InvalidInput("name", f"there is already a theme “{found.name}” {where}")


def _theme_data(theme: Theme) -> dict[str, Any]:
    return {
        "key": theme.key,
        "name": theme.name,
        "parent": theme.parent.key if theme.parent else None,
        "retired": theme.retired_at is not None,
    }


# --- Root causes --------------------------------------------------------------------------------


def add_root_cause(name: str, *, actor: User) -> RootCause:
    _check(actor)
    name = _name(name)
    with transaction.atomic():
        found = RootCause.objects.filter(name__iexact=name).first()
        if found is not None:
            raise InvalidInput("name", f"there is already a root cause “{found.name}”")
        key = _free_key(RootCause, slugify(name).replace("-", "_"))
        top = RootCause.objects.order_by("-position").values_list("position", flat=True).first() or 0
        cause = RootCause.objects.create(key=key, name=name, position=top + 1)
        _event(actor, f"Root cause added: “{name}”", "root_cause", cause, old=None, new=_cause_data(cause))
    return cause


def rename_root_cause(cause: RootCause, name: str, *, actor: User) -> RootCause:
    _check(actor)
    name = _name(name)
    with transaction.atomic():
        cause = RootCause.objects.select_for_update().get(pk=cause.pk)
        if name == cause.name:
            return cause
        if RootCause.objects.filter(name__iexact=name).exclude(pk=cause.pk).exists():
            raise InvalidInput("name", f"there is already a root cause “{name}”")
        old = _cause_data(cause)
        was = cause.name
        cause.name = name
        cause.save(update_fields=["name"])
        _event(
            actor,
            f"Root cause renamed: “{was}” → “{name}”",
            "root_cause",
            cause,
            old=old,
            new=_cause_data(cause),
        )
    return cause


def retire_root_cause(cause: RootCause, *, actor: User, retired: bool = True) -> RootCause:
    _check(actor)
    with transaction.atomic():
        cause = RootCause.objects.select_for_update().get(pk=cause.pk)
        return _retire(cause, actor, retired, "Root cause", "root_cause", _cause_data)


def _cause_data(cause: RootCause) -> dict[str, Any]:
    return {"key": cause.key, "name": cause.name, "retired": cause.retired_at is not None}


# --- Service areas ------------------------------------------------------------------------------


def add_service_area(
    organisation: Organisation, name: str, *, kind: str = ServiceAreaKind.DEPARTMENT, actor: User
) -> ServiceArea:
    """A department or a contractor of one organisation."""
    _check(actor)
    name = _name(name)
    kind = _kind(kind)
    with transaction.atomic():
        if ServiceArea.objects.filter(organisation=organisation, name__iexact=name).exists():
            raise InvalidInput("name", f"{organisation} already has a service area “{name}”")
        top = (
            ServiceArea.objects.filter(organisation=organisation)
            .order_by("-position")
            .values_list("position", flat=True)
            .first()
            or 0
        )
        try:
            area = ServiceArea.objects.create(
                organisation=organisation, name=name, kind=kind, position=top + 1
            )
        except IntegrityError:  # added by someone else a moment ago
            raise InvalidInput("name", f"{organisation} already has a service area “{name}”") from None
        _event(
            actor,
            f"Service area added for {organisation}: “{name}” ({area.get_kind_display().lower()})",
            "service_area",
            area,
            old=None,
            new=_area_data(area),
        )
    return area


def change_service_area(
    area: ServiceArea, *, actor: User, name: str | None = None, kind: str | None = None
) -> ServiceArea:
    """Rename a service area, or say whether it is a department or a contractor."""
    _check(actor)
    with transaction.atomic():
        area = (
            ServiceArea.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=area.pk)
        )
        new_name = area.name if name is None else _name(name)
        new_kind = area.kind if kind is None else _kind(kind)
        if (new_name, new_kind) == (area.name, area.kind):
            return area
        clash = ServiceArea.objects.filter(organisation=area.organisation_id, name__iexact=new_name)
        if clash.exclude(pk=area.pk).exists():
            raise InvalidInput("name", f"{area.organisation} already has a service area “{new_name}”")
        old = _area_data(area)
        was = area.name
        area.name, area.kind = new_name, new_kind
        area.save(update_fields=["name", "kind"])
        _event(
            actor,
            f"Service area changed for {area.organisation}: “{was}” → “{area.name}” "
            f"({area.get_kind_display().lower()})",
            "service_area",
            area,
            old=old,
            new=_area_data(area),
        )
    return area


def retire_service_area(area: ServiceArea, *, actor: User, retired: bool = True) -> ServiceArea:
    _check(actor)
    with transaction.atomic():
        area = ServiceArea.objects.select_for_update().get(pk=area.pk)
        return _retire(area, actor, retired, "Service area", "service_area", _area_data)


def _area_data(area: ServiceArea) -> dict[str, Any]:
    return {
        "organisation": area.organisation_id,
        "name": area.name,
        "kind": area.kind,
        "retired": area.retired_at is not None,
    }


def _kind(kind: str) -> str:
    if kind not in ServiceAreaKind.values:
        raise InvalidInput("kind", "choose a department or a contractor")
    return kind


# --- Shared -------------------------------------------------------------------------------------


def _check(actor: User) -> None:
    if not can(actor, Capability.MANAGE_LEARNING_LISTS):
        raise NotPermitted()


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("name", "give a name")
    if len(name) > NAME_LIMIT:
        raise InvalidInput("name", f"a name is at most {NAME_LIMIT} characters")
    return name


def _free_key(model: type[Theme] | type[RootCause], base: str) -> str:
    base = base[:50] or "entry"
    key, n = base, 2
    while model.objects.filter(key=key).exists():
        key, n = f"{base}_{n}", n + 1
    return key


def _retire(entry: Entry, actor: User, retired: bool, what: str, kind: str, data: Any) -> Entry:
    """Retire (or bring back) a locked entry, with its event; nothing when it already is."""
    if (entry.retired_at is not None) == retired:
        return entry
    old = data(entry)
    entry.retired_at = timezone.now() if retired else None
    entry.save(update_fields=["retired_at"])
    label = entry.label if isinstance(entry, Theme) else entry.name
    _event(
        actor,
        f"{what} {'retired' if retired else 'brought back'}: “{label}”",
        kind,
        entry,
        old=old,
        new=data(entry),
    )
    return entry


def _event(actor: User, summary: str, kind: str, entry: Any, *, old: Any, new: Any) -> None:
    LearningEvent.objects.create(
        kind=LearningEventKind.LIST_CHANGED,
        occurred_at=timezone.now(),
        actor=actor,
        summary=summary,
        data={"list": kind, "id": entry.pk, "old": old, "new": new},
    )
