"""Reference data: organisations, staff, the policy in force and the deadline calculator."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, visible_organisation_ids
from putright.api.auth import caller
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS
from putright.cases.errors import InvalidInput
from putright.cases.policies import current_policy
from putright.procedure import code
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import listing, parse_start
from putright.procedure.policy import Nation

router = Router(tags=["Reference"])


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    parent: str | None
    acting_for: str | None
    homes: int
    nation: str


class StaffOut(Schema):
    username: str
    name: str
    role: str
    role_label: str
    job_title: str
    team: str | None
    organisations: list[str]


class CodePointOut(Schema):
    key: str
    title: str
    paragraph: str
    code: str
    policy: str
    verdict: str
    note: str


# issue 12, remedies
class CompensationRateOut(Schema):
    key: str
    label: str
    amount: str = Field(description='In pounds, to the penny, e.g. "5.00".')
    per: str = Field(description="day, week or occasion.")
    purpose: str = Field(description="What the money is for: the Ombudsman's categories.")
    cap: str | None = Field(description="The most the rate pays for one complaint, if the policy caps it.")


class PolicyOut(Schema):
    name: str
    version: str
    approved_on: dt.date
    stages: int
    timescales: dict[str, str]
    time_limit_months: int
    ombudsman: dict[str, str]
    rules: dict[str, bool] = Field(
        description=(
            "The policy's yes-or-no rules: informal_resolution, and per stage written_response, "
            "reasons_for_each_point, new_issues_join_open_complaint (stage 1), reasons_required (stage 2)."
        )
    )
    code_comparison: list[CodePointOut]
    check_by_hand: list[CodePointOut] = Field(
        description="Points of the Code no policy file shows: to be checked by hand, never counted as weaker."
    )
    # issue 12, remedies
    compensation_rates: list[CompensationRateOut] = Field(
        description="The landlord's own compensation rates, from which the remedy form suggests an amount."
    )


class DeadlineRow(Schema):
    name: str
    due_at: dt.datetime
    due_date: dt.date
    rule: str


class DeadlinesOut(Schema):
    start: dt.datetime
    nation: str
    deadlines: list[DeadlineRow]


class DeadlinesQuery(Schema):
    start: str = Field(description="ISO 8601 date-time; London time without an offset.")
    nation: Nation | None = None


def _organisations(user: User) -> list[Organisation]:
    visible = visible_organisation_ids(user)
    found = Organisation.objects.select_related("parent", "acting_for").order_by("name")
    if visible is not None:
        found = found.filter(pk__in=visible)
    return list(found)


@router.get("/organisations", response={200: list[OrganisationOut], **READ_ERRORS}, summary="Organisations")
def organisations(request: HttpRequest) -> list[dict[str, object]]:
    user = caller(request)
    require(user, Capability.VIEW_CASES)
    return [
        {
            "id": o.pk,
            "name": o.name,
            "short_name": o.short_name,
            "kind": o.kind,
            "parent": o.parent.short_name if o.parent else None,
            "acting_for": o.acting_for.short_name if o.acting_for else None,
            "homes": o.homes,
            "nation": o.nation,
        }
        for o in _organisations(user)
    ]


@router.get("/users", response={200: list[StaffOut], **READ_ERRORS}, summary="Staff")
def staff(request: HttpRequest) -> list[dict[str, object]]:
    """Active staff who work for the organisations the caller can see."""
    user = caller(request)
    require(user, Capability.VIEW_STAFF)
    visible = visible_organisation_ids(user)
    people = User.objects.filter(is_active=True).select_related("team").prefetch_related("organisations")
    if visible is not None:
        people = people.filter(organisations__in=visible).distinct()
    return [
        {
            "username": p.username,
            "name": str(p),
            "role": p.role,
            "role_label": p.get_role_display(),
            "job_title": p.job_title,
            "team": p.team.name if p.team else None,
            "organisations": sorted(o.short_name for o in p.organisations.all()),
        }
        for p in people.order_by("last_name", "first_name", "pk")
    ]


@router.get("/policy", response={200: PolicyOut, **READ_ERRORS}, summary="The policy in force")
def policy(request: HttpRequest) -> dict[str, object]:
    require(caller(request), Capability.VIEW_CASES)
    rules = current_policy().policy
    timescales = {
        "stage1.contact": rules.stage1.contact.describe(),
        "stage1.response": rules.stage1.response.describe(),
        "stage1.extension": rules.stage1.extension.describe(),
        "stage2.contact": rules.stage2.contact.describe(),
        "stage2.response": rules.stage2.response.describe(),
        "stage2.extension": rules.stage2.extension.describe(),
    }
    if rules.appeal:
        timescales["appeal.meeting"] = rules.appeal.meeting.describe()
        timescales["appeal.decision"] = rules.appeal.decision.describe()
    ombudsman = rules.ombudsman
    return {
        "name": rules.name,
        "version": rules.version,
        "approved_on": rules.policy.approved_on,
        "stages": rules.stage_count,
        "timescales": timescales,
        "time_limit_months": rules.eligibility.time_limit_months,
        "ombudsman": {
            "name": ombudsman.name,
            "address": ombudsman.address,
            "phone": ombudsman.phone,
            "email": ombudsman.email,
            "website": ombudsman.website,
            "wait": ombudsman.wait.describe(),
        },
        "rules": rules.rule_settings,
        "code_comparison": [p.as_dict() for p in code.compare(rules)],
        "check_by_hand": [p.as_dict() for p in code.by_hand()],
        # issue 12, remedies
        "compensation_rates": rules.remedies.described(),
    }


@router.get("/deadlines", response={200: DeadlinesOut, **READ_ERRORS}, summary="Deadline calculator")
def deadlines(request: HttpRequest, query: Query[DeadlinesQuery]) -> dict[str, object]:
    """Every deadline of the policy in force as if each clock started at ``start``."""
    require(caller(request), Capability.VIEW_CASES)
    rules = current_policy().policy
    calendar = WorkingCalendar.from_rules(rules.calendar, nation=query.nation)
    try:
        start = parse_start(query.start, calendar)
    except ValueError as error:
        raise InvalidInput("start", str(error)) from None
    return {"start": start, "nation": calendar.nation.value, "deadlines": listing(rules, calendar, start)}
