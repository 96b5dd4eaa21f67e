"""Which policy is in force, and the policy each complaint was opened under.

The policy in force comes from ``settings.PUTRIGHT_POLICY``. Its exact text is
registered as a ``PolicyRecord`` the first time a complaint is opened under it,
and every complaint points at its record, so a later policy (or an edited file)
never changes the rules of a complaint already under way.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from putright.accounts.models import Organisation
from putright.cases.models import Complaint, PolicyRecord
from putright.procedure import loader
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.guards import Rules
from putright.procedure.policy import Nation, Policy


class PolicyChangedWithoutNewVersion(Exception):
    """The policy file changed but kept its name and version: the past would be rewritten."""


@lru_cache(maxsize=4)
def _load(name_or_path: str) -> loader.LoadedPolicy:
    return loader.load(name_or_path)


def current_policy() -> loader.LoadedPolicy:
    return _load(settings.PUTRIGHT_POLICY)


def register_current_policy() -> PolicyRecord:
    """The record of the policy in force, created the first time it is used."""
    loaded = current_policy()
    meta = loaded.policy.policy
    record, _ = PolicyRecord.objects.get_or_create(
        name=meta.name,
        version=meta.version,
        defaults={"approved_on": meta.approved_on, "digest": loaded.digest, "text": loaded.text},
    )
    if record.digest != loaded.digest:
        raise PolicyChangedWithoutNewVersion(
            f"The policy “{meta.name}” version {meta.version} in force differs from the one "
            "already used for complaints. Give the changed policy a new version number."
        )
    return record


@lru_cache(maxsize=32)
def _parsed(record_id: int, digest: str, text: str) -> Policy:
    return loader.parse(text, source=f"policy record {record_id}")


def policy_of(record: PolicyRecord) -> Policy:
    return _parsed(record.pk, record.digest, record.text)


def calendar_for(policy: Policy, organisation: Organisation) -> WorkingCalendar:
    return WorkingCalendar.from_rules(policy.calendar, nation=Nation(organisation.nation))


def rules_for(complaint: Complaint) -> Rules:
    """The policy and calendar that govern a complaint (its organisation's nation)."""
    policy = policy_of(complaint.policy)
    return Rules(policy, calendar_for(policy, complaint.organisation))
