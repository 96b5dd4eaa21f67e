"""``putright setup FILE``: put a landlord's organisations, staff and policy in, from one file.

Three steps. ``read`` checks the file's shape (landlord_file); ``check`` holds
it against itself and the database (a parent, a team lead or a team that
exists nowhere, a duplicate, a missing logo, a policy the loader refuses)
and gathers every mistake before anything is written; ``apply`` makes the
database say what the file says, in one transaction, and lists each change.

Records are matched by their natural keys (an organisation by short name, a
team by organisation and name, staff by username, else by email), and only
what the file names is changed: a key left out, a record the file does not
mention and a person added in the admin are left as they are. A list the
file gives (a person's organisations) is the whole list. The plan ``--dry-run``
prints is the same code run in a transaction that is then rolled back, so
it cannot differ from what a real run does. New staff get an invitation
through the outbox in the same transaction, so a run that fails sends none
and a second run, creating no one, sends none either.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.functions import Lower

from putright.accounts.contact import LogoRefused, check_logo
from putright.accounts.email_addresses import email_problem
from putright.accounts.models import HomesCount, Organisation, OrganisationKind, Role, Team, User
from putright.cases.services import retention
from putright.operations import invitations
from putright.operations.landlord_file import (
    LandlordFileError,
    Mistake,
    OrganisationEntry,
    ReadFile,
    StaffEntry,
    TeamEntry,
    read,
)
from putright.operations.landlord_policy import LocalPolicy, base_policy, local_policy, write_policy
from putright.procedure import loader

logger = logging.getLogger("putright.setup")


@dataclass(frozen=True)
class Checked:
    """A landlord file that can be applied, with what checking it had to read."""

    file: ReadFile
    logos: dict[str, tuple[str, bytes]]  # by short name: the file's name and bytes
    policy: LocalPolicy | None


@dataclass
class Outcome:
    """What a run changed (or, in a dry run, would change), in the order it was done."""

    changes: list[str] = field(default_factory=list)
    invited: list[str] = field(default_factory=list)
    applied: bool = False

    def note(self, change: str) -> None:
        self.changes.append(change)
        if self.applied:
            logger.info("setup: %s", change)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def set_up(path: Path, *, dry_run: bool = False, reinvite: Iterable[str] = ()) -> Outcome:
    """Read, check and apply the landlord file at ``path`` (LandlordFileError: nothing applied)."""
    checked = check(read(path), reinvite=reinvite)
    return apply(checked, dry_run=dry_run, reinvite=reinvite)


# Checking ---------------------------------------------------------------------


def check(file: ReadFile, *, reinvite: Iterable[str] = ()) -> Checked:
    """Every mistake the file makes against itself and the database, or the file ready to apply."""
    mistakes: list[Mistake] = list(file.mistakes)
    known_orgs = file.named.get("organisations", set()) | set(
        Organisation.objects.values_list("short_name", flat=True)
    )
    mistakes += _check_organisations(file, known_orgs)
    logos = _read_logos(file, mistakes)
    file_staff = file.named.get("staff", set())
    mistakes += _check_teams(file, known_orgs, file_staff)
    mistakes += _check_staff(file, known_orgs)
    for username in reinvite:
        if username not in file_staff and not User.objects.filter(username=username).exists():
            mistakes.append(
                Mistake(1, "--reinvite", f"no member of staff {username!r} in the file or database")
            )
    policy = _check_policy(file, mistakes)
    mistakes += _check_retention(file)
    if mistakes:
        raise LandlordFileError(str(file.path), mistakes)
    return Checked(file=file, logos=logos, policy=policy)


def _duplicates(values: list[str]) -> list[int]:
    """The positions of values already seen earlier in the list (compared without case)."""
    seen: set[str] = set()
    repeated = []
    for i, value in enumerate(values):
        if value.lower() in seen:
            repeated.append(i)
        seen.add(value.lower())
    return repeated


def _check_organisations(file: ReadFile, known: set[str]) -> list[Mistake]:
    entries = file.content.organisations
    mistakes = [
        file.mistake(
            ("organisations", i, "short_name"), f"{entries[i].short_name!r} is used twice in the file"
        )
        for i in _duplicates([e.short_name for e in entries])
    ]
    mistakes += [
        file.mistake(("organisations", i, "name"), f"{entries[i].name!r} is used twice in the file")
        for i in _duplicates([e.name for e in entries])
    ]
    taken = dict(Organisation.objects.values_list("name", "short_name"))
    for i, entry in enumerate(entries):

        def at(key: str, i: int = i) -> tuple[str | int, ...]:
            return ("organisations", i, key)

        owner = taken.get(entry.name)
        if owner is not None and owner != entry.short_name:
            mistakes.append(file.mistake(at("name"), f"{entry.name!r} is already the name of {owner}"))
        for key in ("parent", "acting_for"):
            other = getattr(entry, key)
            if other is None:
                continue
            if other == entry.short_name:
                mistakes.append(file.mistake(at(key), "an organisation cannot be its own " + key))
            elif other not in known:
                mistakes.append(
                    file.mistake(at(key), f"no organisation {other!r} in the file or the database")
                )
        if entry.acting_for is not None and entry.kind != OrganisationKind.CONTRACTOR:
            mistakes.append(file.mistake(at("acting_for"), "only a contractor acts for another organisation"))
        if entry.email:
            mistakes += _email_mistakes(file, at("email"), entry.email)
        years = [f"{h.year} {h.stock_type.value}" for h in entry.homes]
        mistakes += [
            file.mistake((*at("homes"), j), f"homes for {years[j]} are given twice")
            for j in _duplicates(years)
        ]
    return mistakes


def _email_mistakes(file: ReadFile, loc: tuple[str | int, ...], email: str) -> list[Mistake]:
    if email_problem(email) is not None:  # issue 15, inputsec: the one check every way in uses
        return [file.mistake(loc, f"{email!r} is not an email address")]
    return []


def _read_logos(file: ReadFile, mistakes: list[Mistake]) -> dict[str, tuple[str, bytes]]:
    """Each logo's bytes, read from beside the landlord file and checked as the admin checks one."""
    logos = {}
    for i, entry in enumerate(file.content.organisations):
        if not entry.logo:
            continue
        where = file.path.parent / entry.logo
        try:
            content = where.read_bytes()
            check_logo(entry.logo, content)
        except OSError:
            mistakes.append(file.mistake(("organisations", i, "logo"), f"no file {str(where)!r}"))
            continue
        except LogoRefused as refused:
            mistakes.append(file.mistake(("organisations", i, "logo"), str(refused)))
            continue
        logos[entry.short_name] = (PurePath(entry.logo).name, content)
    return logos


def _check_teams(file: ReadFile, known_orgs: set[str], file_staff: set[str]) -> list[Mistake]:
    entries = file.content.teams
    mistakes = [
        file.mistake(
            ("teams", i, "name"), f"the team {entries[i].name!r} of {entries[i].organisation} is given twice"
        )
        for i in _duplicates([f"{e.organisation}\n{e.name}" for e in entries])
    ]
    users = set(User.objects.values_list("username", flat=True))
    for i, entry in enumerate(entries):
        if entry.organisation not in known_orgs:
            mistakes.append(
                file.mistake(
                    ("teams", i, "organisation"),
                    f"no organisation {entry.organisation!r} in the file or the database",
                )
            )
        if entry.lead is not None and entry.lead not in file_staff | users:
            mistakes.append(
                file.mistake(
                    ("teams", i, "lead"), f"no member of staff {entry.lead!r} in the file or the database"
                )
            )
    return mistakes


def _team_candidates(file: ReadFile) -> list[tuple[str, str]]:
    """Every team the file or the database knows, as (organisation short name, team name)."""
    in_db = Team.objects.values_list("organisation__short_name", "name")
    return sorted({(e.organisation, e.name) for e in file.content.teams} | set(in_db))


def _check_staff(file: ReadFile, known_orgs: set[str]) -> list[Mistake]:
    entries = file.content.staff
    mistakes = [
        file.mistake(("staff", i, "username"), f"{entries[i].username!r} is used twice in the file")
        for i in _duplicates([e.username for e in entries])
    ]
    mistakes += [
        file.mistake(("staff", i, "email"), f"{entries[i].email!r} is used twice in the file")
        for i in _duplicates([e.email for e in entries])
    ]
    teams = _team_candidates(file)
    for i, entry in enumerate(entries):
        mistakes += _email_mistakes(file, ("staff", i, "email"), entry.email)
        matched = _match_user(entry)
        others = User.objects.annotate(lower=Lower("email")).filter(lower=entry.email.lower())
        if matched is not None:
            others = others.exclude(pk=matched.pk)
        if others.exists():
            mistakes.append(
                file.mistake(
                    ("staff", i, "email"), f"{entry.email!r} is the email of another member of staff"
                )
            )
        for j, short_name in enumerate(entry.organisations or []):
            if short_name not in known_orgs:
                mistakes.append(
                    file.mistake(
                        ("staff", i, "organisations", j),
                        f"no organisation {short_name!r} in the file or the database",
                    )
                )
        if entry.team is not None:
            found = _team_of(entry, teams)
            if len(found) != 1:
                mistakes.append(file.mistake(("staff", i, "team"), _team_problem(entry, found)))
    return mistakes


def _team_of(entry: StaffEntry, teams: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The teams ``entry.team`` may mean: by name, among the person's organisations if given."""
    found = [t for t in teams if t[1] == entry.team]
    if entry.organisations:
        found = [t for t in found if t[0] in entry.organisations]
    return found


def _team_problem(entry: StaffEntry, found: list[tuple[str, str]]) -> str:
    if not found:
        return f"no team {entry.team!r} of their organisations in the file or the database"
    where = ", ".join(org for org, _ in found)
    return f"several teams are called {entry.team!r} ({where}): list only one of them in organisations"


def _match_user(entry: StaffEntry) -> User | None:
    """The member of staff an entry means: by username, else by email (a username changed)."""
    user = User.objects.filter(username=entry.username).first()
    if user is None:
        matches = list(User.objects.annotate(lower=Lower("email")).filter(lower=entry.email.lower())[:2])
        user = matches[0] if len(matches) == 1 else None
    return user


def _check_policy(file: ReadFile, mistakes: list[Mistake]) -> LocalPolicy | None:
    entry = file.content.policy
    if entry is None:
        return None
    try:
        base = base_policy(entry.base, relative_to=file.path.parent)
    except loader.PolicyError as error:
        mistakes.append(file.mistake(("policy", "base"), "; ".join(error.problems)))
        return None
    try:
        return local_policy(base, list(entry.closure_days), target=settings.LANDLORD_POLICY_FILE)
    except loader.PolicyError as error:
        mistakes.append(file.mistake(("policy", "closure_days"), "; ".join(error.problems)))
        return None


def _check_retention(file: ReadFile) -> list[Mistake]:
    """issue 15, retention: each period given, against its record type's floor and ceiling."""
    entry = file.content.retention
    if entry is None:
        return []
    mistakes = []
    for key, amount in entry.model_dump(exclude_none=True).items():
        problem = retention.floor_problem(retention.BY_FILE_KEY[key], amount)
        if problem:
            mistakes.append(file.mistake(("retention", key), f"{problem} (found {amount})"))
    return mistakes


# Applying ---------------------------------------------------------------------


def apply(checked: Checked, *, dry_run: bool = False, reinvite: Iterable[str] = ()) -> Outcome:
    """Make the database say what the file says, in one transaction; a dry run rolls it back."""
    outcome = Outcome(applied=not dry_run)
    saved_logos: list[tuple[Any, str]] = []
    try:
        with transaction.atomic():
            _apply_all(checked, outcome, saved_logos, dry_run=dry_run, reinvite=set(reinvite))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        for storage, name in saved_logos:
            storage.delete(name)
        raise
    return outcome


def _apply_all(
    checked: Checked,
    outcome: Outcome,
    saved_logos: list[tuple[Any, str]],
    *,
    dry_run: bool,
    reinvite: set[str],
) -> None:
    content = checked.file.content
    orgs = {e.short_name: _apply_organisation(e, outcome) for e in content.organisations}
    orgs |= {o.short_name: o for o in Organisation.objects.exclude(short_name__in=orgs)}
    for org_entry in content.organisations:
        _apply_relations(org_entry, orgs, outcome)
        _apply_homes(org_entry, orgs[org_entry.short_name], outcome)
        if org_entry.short_name in checked.logos:
            logo = checked.logos[org_entry.short_name]
            _apply_logo(orgs[org_entry.short_name], logo, outcome, saved_logos, dry_run)
    new_staff: list[User] = []
    users = {e.username: _apply_person(e, outcome, new_staff) for e in content.staff}
    teams = {(e.organisation, e.name): _apply_team(e, orgs, users, outcome) for e in content.teams}
    for entry in content.staff:
        _apply_membership(entry, users[entry.username], orgs, teams, outcome)
    for user in new_staff:
        invitations.invite(user)
        outcome.invited.append(user.username)
    for username in sorted(reinvite - {u.username for u in new_staff}):
        invitations.invite(User.objects.get(username=username))
        outcome.invited.append(username)
        outcome.note(f"invitation sent again to {username}")
    _apply_retention(checked, outcome)
    if checked.policy is not None and checked.policy.changed:
        outcome.note(
            f"policy {checked.policy.version} written to {settings.LANDLORD_POLICY_FILE} "
            f"(closure days: {', '.join(d.isoformat() for d in checked.policy.closure_days) or 'none'})"
        )
        if not dry_run:
            write_policy(checked.policy, settings.LANDLORD_POLICY_FILE)


def _apply_retention(checked: Checked, outcome: Outcome) -> None:
    """issue 15, retention: store each period the file gives; one change noted per period changed."""
    entry = checked.file.content.retention
    if entry is None:
        return
    for key, amount in entry.model_dump(exclude_none=True).items():
        kind = retention.BY_FILE_KEY[key]
        if retention.set_period(kind.record_type, amount):
            outcome.note(f"retention of {kind.record_type.value} set to {kind.words(amount)}")


def _shown(value: object) -> str:
    if isinstance(value, models.Model):
        return str(getattr(value, "short_name", None) or value)
    if isinstance(value, bool | int):
        return str(value)
    text = str(value if value is not None else "")
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _assign(obj: models.Model, label: str, values: dict[str, object], outcome: Outcome) -> list[str]:
    """Set each value given (None: not named in the file, left alone); the fields that changed."""
    changed = []
    for name, value in values.items():
        if value is None:
            continue
        old = getattr(obj, name)
        if old == value:
            continue
        setattr(obj, name, value)
        changed.append(name)
        if obj.pk is not None:
            outcome.note(f"{label}: {name} {_shown(old)} → {_shown(value)}")
    return changed


def _apply_organisation(entry: OrganisationEntry, outcome: Outcome) -> Organisation:
    org = Organisation.objects.select_for_update().filter(short_name=entry.short_name).first()
    created = org is None
    if org is None:
        org = Organisation(short_name=entry.short_name)
    address = (
        None
        if entry.address is None
        else "\n".join(line.strip() for line in entry.address.strip().splitlines())
    )
    values: dict[str, object] = {
        "name": entry.name,
        "kind": entry.kind.value,
        "nation": entry.nation.value if entry.nation else None,
        "address": address,
        "phone": entry.phone,
        "email": entry.email,
        "website": entry.website,
    }
    changed = _assign(org, f"organisation {entry.short_name}", values, outcome)
    if created:
        org.save()
        outcome.note(f"organisation {entry.short_name} created: {entry.name} ({org.get_kind_display()})")
    elif changed:
        org.save(update_fields=changed)
    return org


def _apply_relations(entry: OrganisationEntry, orgs: dict[str, Organisation], outcome: Outcome) -> None:
    org = orgs[entry.short_name]
    values = {
        key: orgs[getattr(entry, key)] for key in ("parent", "acting_for") if getattr(entry, key) is not None
    }
    changed = []
    for key, other in values.items():
        if getattr(org, f"{key}_id") != other.pk:
            old = getattr(org, key)
            setattr(org, key, other)
            changed.append(key)
            outcome.note(f"organisation {org.short_name}: {key} {_shown(old)} → {other.short_name}")
    if changed:
        org.save(update_fields=changed)


def _apply_homes(entry: OrganisationEntry, org: Organisation, outcome: Outcome) -> None:
    for homes in entry.homes:
        row = HomesCount.objects.filter(
            organisation=org, stock_type=homes.stock_type, year=homes.year
        ).first()
        what = f"organisation {org.short_name}: homes {homes.stock_type.value} {homes.year}"
        if row is None:
            HomesCount.objects.create(
                organisation=org, stock_type=homes.stock_type, year=homes.year, homes=homes.homes
            )
            outcome.note(f"{what} = {homes.homes}")
        elif row.homes != homes.homes:
            outcome.note(f"{what} {row.homes} → {homes.homes}")
            row.homes = homes.homes
            row.save(update_fields=["homes"])


def _apply_logo(
    org: Organisation,
    logo: tuple[str, bytes],
    outcome: Outcome,
    saved_logos: list[tuple[Any, str]],
    dry_run: bool,
) -> None:
    """Store the logo unless the organisation's stored one has the same bytes already."""
    name, content = logo
    old = org.logo.name or ""
    if old and org.logo.storage.exists(old):
        with org.logo.storage.open(old, "rb") as stored:
            if stored.read() == content:
                return
    outcome.note(f"organisation {org.short_name}: logo {name}")
    if dry_run:
        return
    org.logo.save(f"{org.short_name.lower()}-{name}", ContentFile(content), save=False)
    saved_logos.append((org.logo.storage, org.logo.name))
    org.save(update_fields=["logo"])
    if old:
        storage = org.logo.storage
        transaction.on_commit(lambda: storage.delete(old))


def _apply_person(entry: StaffEntry, outcome: Outcome, new_staff: list[User]) -> User:
    user = _match_user(entry)
    created = user is None
    if user is None:
        user = User(username=entry.username)
        user.set_unusable_password()  # no password ever travels in the file: they choose one
    old_role = user.role if not created else None
    values: dict[str, object] = {
        "username": entry.username,
        "email": entry.email,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "role": entry.role.value,
        "job_title": entry.job_title,
    }
    label = f"staff {user.username}"
    changed = _assign(user, label, values, outcome)
    # The admin site goes with the administrator's role: given with it, taken away when the
    # file moves someone off it (a superuser made otherwise, say by createsuperuser, keeps it).
    if user.role == Role.ADMINISTRATOR and (created or old_role != user.role):
        changed += _assign(user, label, {"is_staff": True, "is_superuser": True}, outcome)
    elif old_role == Role.ADMINISTRATOR and user.role != Role.ADMINISTRATOR:
        changed += _assign(user, label, {"is_staff": False, "is_superuser": False}, outcome)
    if created:
        user.save()
        new_staff.append(user)
        outcome.note(f"staff {user.username} created: {user.get_full_name()}, {user.get_role_display()}")
    elif changed:
        user.save(update_fields=changed)
    return user


def _apply_team(
    entry: TeamEntry, orgs: dict[str, Organisation], users: dict[str, User], outcome: Outcome
) -> Team:
    org = orgs[entry.organisation]
    team = Team.objects.filter(organisation=org, name=entry.name).first()
    label = f"team {entry.name} ({org.short_name})"
    if team is None:
        team = Team.objects.create(organisation=org, name=entry.name)
        outcome.note(f"{label} created")
    if entry.lead is not None:
        lead = users.get(entry.lead) or User.objects.get(username=entry.lead)
        if team.lead_id != lead.pk:
            outcome.note(
                f"{label}: lead {_shown(team.lead.username if team.lead else '')} → {lead.username!r}"
            )
            team.lead = lead
            team.save(update_fields=["lead"])
    return team


def _apply_membership(
    entry: StaffEntry,
    user: User,
    orgs: dict[str, Organisation],
    teams: dict[tuple[str, str], Team],
    outcome: Outcome,
) -> None:
    if entry.organisations is not None:
        wanted = {orgs[s].pk for s in entry.organisations}
        have = set(user.organisations.values_list("pk", flat=True))
        if wanted != have:
            outcome.note(f"staff {user.username}: organisations → {', '.join(sorted(entry.organisations))}")
            user.organisations.set(wanted)
    if entry.team is not None:
        org_name, team_name = _team_of(entry, _team_candidates_from(teams))[0]
        team = teams.get((org_name, team_name)) or Team.objects.get(
            organisation__short_name=org_name, name=team_name
        )
        if user.team_id != team.pk:
            outcome.note(f"staff {user.username}: team → {team}")
            user.team = team
            user.save(update_fields=["team"])


def _team_candidates_from(teams: dict[tuple[str, str], Team]) -> list[tuple[str, str]]:
    in_db = Team.objects.values_list("organisation__short_name", "name")
    return sorted(set(teams) | set(in_db))
