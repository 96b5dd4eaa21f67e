"""Compare a policy, point by point, with the Housing Ombudsman's Complaint Handling Code.

The Code has been statutory since 1 April 2024. A landlord may go further than
it (be stricter), never less far (be weaker). ``compare`` says which, for each
point the Code fixes in numbers or a policy's words can show, with the Code's
requirement beside the policy's and the paragraph to look up; ``by_hand`` lists
the points a policy file cannot show. "Stricter" always means better for the resident:
shorter timescales, a longer time limit for complaining, fewer hurdles.
"""

from __future__ import annotations

from putright.procedure import code_reading
from putright.procedure.code_reading import by_hand
from putright.procedure.codepoint import CODE_NAME, CodePoint, Verdict
from putright.procedure.policy import Anchor, Clock, Period, Policy, Stage, Unit

__all__ = ["CODE_NAME", "CodePoint", "Verdict", "by_hand", "compare", "weaker_points"]


def compare(policy: Policy) -> list[CodePoint]:
    """Every point of the Code that a policy can be held against: its numbers, then its words
    and settings (``code_reading``). The points to check by hand are ``by_hand()``."""
    return [
        _acknowledgement("stage1.acknowledgement", "Stage 1 acknowledgement", "6.2", policy.stage1),
        _response("stage1.response", "Stage 1 response", "6.3", policy.stage1, 10),
        _extension("stage1.extension", "Stage 1 extension", "6.4", policy.stage1, 10),
        _acknowledgement("stage2.acknowledgement", "Stage 2 acknowledgement", "6.11", policy.stage2),
        _reasons_for_review(policy),
        _response("stage2.response", "Stage 2 response", "6.14", policy.stage2, 20),
        _extension("stage2.extension", "Stage 2 extension", "6.15", policy.stage2, 20),
        _time_limit(policy),
        _stages(policy),
        _ombudsman_access(policy),
        *code_reading.read(policy),
    ]


def weaker_points(policy: Policy) -> list[CodePoint]:
    """The points where the policy falls short of the Code."""
    return [p for p in compare(policy) if p.verdict is Verdict.WEAKER]


def _by_number(policy_figure: float, code_figure: float) -> Verdict:
    if policy_figure < code_figure:
        return Verdict.STRICTER
    if policy_figure > code_figure:
        return Verdict.WEAKER
    return Verdict.MEETS


def _in_working_days(period: Period) -> float:
    if period.unit is Unit.WORKING_HOURS:
        return period.amount / 24
    if period.unit is Unit.WORKING_DAYS:
        return period.amount
    return period.amount * 5


def _acknowledgement(key: str, title: str, paragraph: str, stage: Stage) -> CodePoint:
    anchor = "receipt" if key.startswith("stage1") else "the escalation request"
    return CodePoint(
        key,
        title,
        paragraph,
        code=f"5 working days from {anchor}",
        policy=stage.contact.describe(),
        verdict=_by_number(_in_working_days(stage.contact), 5),
    )


def _response(key: str, title: str, paragraph: str, stage: Stage, code_days: int) -> CodePoint:
    clock: Clock = stage.response
    code = f"{code_days} working days from acknowledgement"
    if clock.anchor is Anchor.CONTACT:
        return CodePoint(key, title, paragraph, code, clock.describe(), _by_number(clock.amount, code_days))
    # Counted from receipt (or the request), which never comes after the
    # acknowledgement: as many days or fewer is never later than the Code.
    if clock.amount <= code_days:
        note = "counted from an earlier event than the Code's acknowledgement"
        return CodePoint(key, title, paragraph, code, clock.describe(), Verdict.STRICTER, note)
    note = "an acknowledgement on the day of receipt would leave the response later than the Code allows"
    return CodePoint(key, title, paragraph, code, clock.describe(), Verdict.WEAKER, note)


def _extension(key: str, title: str, paragraph: str, stage: Stage, code_days: int) -> CodePoint:
    allowance = stage.extensions_without_good_reason
    total = stage.extension.amount * allowance
    described = f"{stage.extension.describe()}, {allowance} extension(s) without good reason"
    return CodePoint(
        key,
        title,
        paragraph,
        code=f"at most {code_days} working days without good reason",
        policy=described,
        verdict=_by_number(total, code_days),
    )


def _reasons_for_review(policy: Policy) -> CodePoint:
    required = policy.stage2.reasons_required
    return CodePoint(
        "stage2.reasons",
        "Reasons for asking for stage 2",
        "6.12",
        code="the resident must not be required to explain their reasons",
        policy="the resident must choose a ground" if required else "no reason required",
        verdict=Verdict.WEAKER if required else Verdict.MEETS,
    )


def _time_limit(policy: Policy) -> CodePoint:
    months = policy.eligibility.time_limit_months
    verdict = _by_number(-months, -12)  # a longer limit is better for the resident
    return CodePoint(
        "eligibility.time_limit",
        "Time limit for raising a complaint",
        "2.3",
        code="accept complaints made within 12 months of the matter or of becoming aware of it",
        policy=f"{months} months",
        verdict=verdict,
    )


def _stages(policy: Policy) -> CodePoint:
    count = policy.stage_count
    verdict = Verdict.MEETS if count == 2 else Verdict.WEAKER
    note = "" if count == 2 else "a further stage delays the resident's access to the Ombudsman"
    return CodePoint(
        "stages",
        "Number of stages",
        "6.10",
        code="exactly 2 stages; stage 2 is the final response",
        policy=f"{count} stages",
        verdict=verdict,
        note=note,
    )


def _ombudsman_access(policy: Policy) -> CodePoint:
    ombudsman = policy.ombudsman
    hurdles = []
    if ombudsman.wait.amount:
        hurdles.append(f"a wait of {ombudsman.wait.describe()} after the final response")
    if ombudsman.designated_person_route:
        hurdles.append("referral through a designated person")
    return CodePoint(
        "ombudsman.access",
        "Access to the Housing Ombudsman",
        "6.10; BSA 2022",
        code="directly after the final response: no wait and no designated person since 1 October 2022",
        policy="; ".join(hurdles) if hurdles else "directly after the final response",
        verdict=Verdict.WEAKER if hurdles else Verdict.MEETS,
    )
