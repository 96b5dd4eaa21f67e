"""A complaints policy as data: the timescales and rules of one procedure.

A landlord's procedure is a promise with dates in it. Those dates live here,
in a validated model loaded from a TOML file (see ``loader``), never in code,
so that another landlord, or the same landlord after a policy review, changes
the numbers without changing putright. The model knows nothing of Django.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from putright.procedure.learning import RemedyPurpose

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]


class _Strict(BaseModel):
    """A policy section: unknown keys are errors, so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Unit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    WEEKS = "weeks"


UNIT_WORDS = {
    Unit.WORKING_HOURS: ("working hour", "working hours"),
    Unit.WORKING_DAYS: ("working day", "working days"),
    Unit.WEEKS: ("week", "weeks"),
}


class Period(_Strict):
    """A length of time in exactly one unit: ``{ working_days = 10 }``."""

    working_hours: int | None = Field(default=None, ge=1, le=24 * 60)
    working_days: int | None = Field(default=None, ge=1, le=250)
    weeks: int | None = Field(default=None, ge=0, le=104)

    @model_validator(mode="after")
    def _exactly_one_unit(self) -> Self:
        given = [u for u in Unit if getattr(self, u.value) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of working_hours, working_days or weeks")
        return self

    @property
    def unit(self) -> Unit:
        return next(u for u in Unit if getattr(self, u.value) is not None)

    @property
    def amount(self) -> int:
        value = getattr(self, self.unit.value)
        assert isinstance(value, int)
        return value

    def describe(self) -> str:
        singular, plural = UNIT_WORDS[self.unit]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


class Anchor(StrEnum):
    """The event a clock starts from."""

    RECEIPT = "receipt"  # the complaint (or the escalation request) arrived
    REQUEST = "request"  # the customer asked for a review or an appeal
    CONTACT = "contact"  # we made contact, or acknowledged, at this stage
    MEETING = "meeting"  # the appeal meeting
    FINAL_RESPONSE = "final_response"


class Clock(Period):
    """A period counted from an anchor: ``{ working_days = 10, from = "receipt" }``."""

    anchor: Anchor = Field(alias="from")

    def describe(self) -> str:
        return f"{super().describe()} from {self.anchor.value.replace('_', ' ')}"


class Nation(StrEnum):
    """The UK nations whose bank holidays differ."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


class Meta(_Strict):
    name: Text
    version: Annotated[str, StringConstraints(pattern=r"^\d+(\.\d+)*$")]
    approved_on: dt.date
    organisation: Text
    owner: Text | None = None
    note: str = ""


class CalendarRules(_Strict):
    nation: Nation = Nation.ENGLAND_AND_WALES
    timezone: Text = "Europe/London"
    cutoff: dt.time = dt.time(17, 0)
    closure_days: tuple[dt.date, ...] = ()


class Choice(_Strict):
    """A lettered ground or criterion the customer can choose, as the policy words it."""

    key: Key
    text: Text


class ExclusionReason(StrEnum):
    """The reasons the procedure allows for not accepting a complaint."""

    OUT_OF_TIME = "out_of_time"
    FIRST_REQUEST_FOR_SERVICE = "first_request_for_service"
    NEIGHBOUR_OR_ASB = "neighbour_or_asb"
    UNACCEPTABLE_BEHAVIOUR = "unacceptable_behaviour"
    NOT_ABOUT_US = "not_about_us"
    DUPLICATE = "duplicate"
    #: The Code (2.2) allows excluding a matter once legal proceedings have been issued
    #: (the claim filed at court), not when they are only threatened.
    LEGAL_PROCEEDINGS = "legal_proceedings"


class Exclusion(_Strict):
    reason: ExclusionReason
    text: Text
    signpost: str = ""


class Eligibility(_Strict):
    definition: Text
    time_limit_months: int = Field(ge=1, le=120)
    #: Whether front-line staff may resolve a matter informally at triage, before stage 1
    #: (the seed's "earliest opportunity to resolve the issue informally"). The Code (5.2)
    #: allows no such "stage 0", so its policy turns it off. The default is the behaviour
    #: before the setting existed, so a policy text stored with an old complaint still reads.
    informal_resolution: bool = True
    exclusions: tuple[Exclusion, ...] = ()
    reasons_to_complain: tuple[Choice, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _refuse_repeats("exclusions", [e.reason.value for e in self.exclusions])
        _refuse_repeats("reasons_to_complain", [c.key for c in self.reasons_to_complain])
        return self

    def exclusion(self, reason: ExclusionReason) -> Exclusion | None:
        return next((e for e in self.exclusions if e.reason == reason), None)


class Stage(_Strict):
    """A stage of the procedure in which we investigate and respond."""

    title: Text
    handler: Text
    contact: Clock
    response: Clock
    extension: Period
    extensions_without_good_reason: int = Field(default=1, ge=0, le=5)
    #: Whether the response must be in writing (a letter or an email), not by phone or in
    #: person (the Code, 6.9 at stage 1).
    written_response: bool = False
    #: Whether the response must give the reasons for each point's outcome (the Code, 6.7).
    #: Both default to the behaviour before they existed, so stored old policy texts still read;
    #: the shipped files state them explicitly.
    reasons_for_each_point: bool = False

    @model_validator(mode="after")
    def _extension_in_working_days(self) -> Self:
        if self.extension.unit is not Unit.WORKING_DAYS:
            raise ValueError("extension must be in working_days")
        if self.response.unit is not Unit.WORKING_DAYS:
            raise ValueError("response must be in working_days")
        return self


class Stage1(Stage):
    #: Whether a related new issue raised before the stage 1 response is added to the open
    #: complaint (the Code, 6.8) rather than made a new complaint from the beginning (the
    #: seed procedure's section 6). Off by default: the behaviour before the setting existed.
    new_issues_join_open_complaint: bool = False

    @model_validator(mode="after")
    def _anchors(self) -> Self:
        _require_anchor("contact", self.contact, {Anchor.RECEIPT})
        _require_anchor("response", self.response, {Anchor.RECEIPT, Anchor.CONTACT})
        return self


class Stage2(Stage):
    grounds: tuple[Choice, ...] = Field(min_length=1)
    #: Whether the customer must choose a ground to be reviewed. The Code
    #: (6.12) says a resident must not be required to give reasons.
    reasons_required: bool

    @model_validator(mode="after")
    def _anchors(self) -> Self:
        _require_anchor("contact", self.contact, {Anchor.REQUEST})
        _require_anchor("response", self.response, {Anchor.REQUEST, Anchor.CONTACT})
        _refuse_repeats("grounds", [g.key for g in self.grounds])
        return self


class PanelRole(StrEnum):
    BOARD_MEMBER = "board_member"
    RESIDENT = "resident"
    EXECUTIVE = "executive"
    INDEPENDENT = "independent"


class Appeal(_Strict):
    """An optional third stage heard by a panel. The Code allows only two stages."""

    title: Text
    handler: Text
    meeting: Clock
    decision: Clock
    criteria: tuple[Choice, ...] = Field(min_length=1)
    panel: tuple[PanelRole, ...] = Field(min_length=1)
    companion_allowed: bool = True
    legal_representative_allowed: bool = False
    refusal_rule: Text

    @model_validator(mode="after")
    def _anchors(self) -> Self:
        _require_anchor("meeting", self.meeting, {Anchor.REQUEST})
        _require_anchor("decision", self.decision, {Anchor.MEETING})
        _refuse_repeats("criteria", [c.key for c in self.criteria])
        _refuse_repeats("panel", [r.value for r in self.panel])
        return self


class Ombudsman(_Strict):
    name: Text
    address: Text
    phone: Text
    email: Text
    website: Text
    wait: Period
    designated_person_route: bool

    @model_validator(mode="after")
    def _wait_in_weeks(self) -> Self:
        if self.wait.unit is not Unit.WEEKS:
            raise ValueError("wait must be in weeks")
        return self


class RatePer(StrEnum):
    DAY = "day"
    WEEK = "week"
    OCCASION = "occasion"


class CompensationRate(_Strict):
    """One of the landlord's own compensation rates, e.g. £5 a day without heating."""

    key: Key
    label: Text
    amount: Decimal = Field(gt=0, max_digits=9, decimal_places=2)
    per: RatePer
    purpose: RemedyPurpose
    #: The most this rate pays for one complaint, if the landlord's policy caps it.
    cap: Decimal | None = Field(default=None, gt=0, max_digits=9, decimal_places=2)


class Remedies(_Strict):
    """How things are put right (the Code, section 7): the landlord's own compensation rates."""

    rates: tuple[CompensationRate, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> Self:
        _refuse_repeats("rates", [r.key for r in self.rates])
        return self

    def rate(self, key: str) -> CompensationRate | None:
        return next((r for r in self.rates if r.key == key), None)

    def described(self) -> list[dict[str, str | None]]:
        """The rates as plain data: the one shape of ``policy check --json`` and ``GET /policy``."""
        return [
            {
                "key": r.key,
                "label": r.label,
                "amount": f"{r.amount:.2f}",
                "per": r.per.value,
                "purpose": r.purpose.value,
                "cap": None if r.cap is None else f"{r.cap:.2f}",
            }
            for r in self.rates
        ]


class Learning(_Strict):
    """What a complaint must record of its learning (procedure section 9; the Code, section 9)."""

    #: Whether closing needs a theme on every point and a root cause on every upheld or partly
    #: upheld point. Off by default: stored policy texts from before the setting keep closing as
    #: they did; the shipped files turn it on.
    required_at_closure: bool = False


class Policy(_Strict):
    """One complaints procedure: what counts, the stages, their clocks, the way out."""

    policy: Meta
    calendar: CalendarRules = CalendarRules()
    eligibility: Eligibility
    stage1: Stage1
    stage2: Stage2
    appeal: Appeal | None = None
    ombudsman: Ombudsman
    learning: Learning = Field(default_factory=Learning)
    remedies: Remedies = Field(default_factory=Remedies)

    @property
    def name(self) -> str:
        return self.policy.name

    @property
    def version(self) -> str:
        return self.policy.version

    @property
    def stage_count(self) -> int:
        return 3 if self.appeal else 2

    @property
    def rule_settings(self) -> dict[str, bool]:
        """The yes-or-no rules the procedure follows (and the Code check reads), by name."""
        return {
            "informal_resolution": self.eligibility.informal_resolution,
            "stage1.written_response": self.stage1.written_response,
            "stage1.reasons_for_each_point": self.stage1.reasons_for_each_point,
            "stage1.new_issues_join_open_complaint": self.stage1.new_issues_join_open_complaint,
            "stage2.written_response": self.stage2.written_response,
            "stage2.reasons_for_each_point": self.stage2.reasons_for_each_point,
            "stage2.reasons_required": self.stage2.reasons_required,
            "learning.required_at_closure": self.learning.required_at_closure,
        }

    def stage(self, number: int) -> Stage:
        if number == 1:
            return self.stage1
        if number == 2:
            return self.stage2
        raise ValueError(f"stage {number} has no response clock")


def _require_anchor(field: str, clock: Clock, allowed: set[Anchor]) -> None:
    if clock.anchor not in allowed:
        names = " or ".join(sorted(a.value for a in allowed))
        raise ValueError(f"{field} must be counted from {names}, not {clock.anchor.value}")


def _refuse_repeats(field: str, keys: list[str]) -> None:
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"{field} lists {', '.join(repeated)} more than once")
