"""The complaints policy as the public reads it: plain words made from the policy in force.

The Code (3.4) asks a landlord to publish its complaints policy, and the
leaflet promises "Our full Complaints Policy can be downloaded from our
website". The page and its PDF are written here from the policy's own data
(never a copy of it), so a new policy version publishes itself: its
definition, what it will not consider, each stage with its timescales, the
appeal if there is one, and how to reach the Housing Ombudsman.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from putright.procedure.policy import Anchor, Clock, Nation, Policy, Stage, Stage2
from putright.procedure.wording import and_list, long_date

#: What each clock is counted from, as the reader is told it.
ANCHOR_WORDS = {
    Anchor.RECEIPT: "of receiving your complaint",
    Anchor.REQUEST: "of your request",
    Anchor.CONTACT: "of our first contact with you about it",
    Anchor.MEETING: "of the meeting",
    Anchor.FINAL_RESPONSE: "of our final response",
}
NATION_WORDS = {
    Nation.ENGLAND_AND_WALES: "England and Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}
TIMES = {1: "once", 2: "twice"}
PANEL_WORDS = {
    "board_member": "a member of our board",
    "resident": "a resident",
    "executive": "an executive",
    "independent": "an independent member",
}


@dataclass(frozen=True)
class Section:
    """A heading with its paragraphs, then (if any) a bulleted list, then more paragraphs."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PublishedPolicy:
    title: str
    summary: str
    sections: list[Section]


def within(clock: Clock) -> str:
    """ "within 10 working days of receiving your complaint"."""
    return f"within {clock.describe().rsplit(' from ', 1)[0]} {ANCHOR_WORDS[clock.anchor]}"


def publish(policy: Policy) -> PublishedPolicy:
    """The policy in plain words, section by section."""
    meta = policy.policy
    approved = f"approved on {long_date(meta.approved_on)}"
    owner = f", owned by the {meta.owner}" if meta.owner else ""
    sections = [
        _definition(policy),
        _not_considered(policy),
        _how_to_complain(policy),
        _stage(policy.stage1, "We will look into your complaint and put things right where we can."),
        _stage(policy.stage2, "If you are not happy with our stage 1 response, you can ask for a review."),
    ]
    if policy.appeal is not None:
        sections.append(_appeal(policy))
    sections += [_ombudsman(policy), _working_days(policy)]
    return PublishedPolicy(
        title=meta.name,
        summary=f"Version {meta.version}, {approved}{owner}. {meta.organisation}.",
        sections=sections,
    )


def _definition(policy: Policy) -> Section:
    rules = policy.eligibility
    return Section(
        "What a complaint is",
        [
            f"A complaint is {_sentence(rules.definition[0].lower() + rules.definition[1:])}",
            "You can complain if:",
        ],
        [choice.text for choice in rules.reasons_to_complain],
        [
            (
                f"Please tell us within {rules.time_limit_months} months of the problem happening, or of you "
                "finding out about it."
            ),
        ],
    )


def _not_considered(policy: Policy) -> Section:
    exclusions = policy.eligibility.exclusions
    teams = [e.signpost for e in exclusions if e.signpost]
    after = (
        [f"Where another team deals with it ({and_list(teams)}), we will put you in touch with them."]
        if teams
        else []
    )
    after.append(
        "If we do not accept your complaint, we will tell you why, and you can ask the Ombudsman for help."
    )
    return Section(
        "What we will not consider as a complaint",
        ["We will not consider a complaint where:"] if exclusions else ["We consider every complaint."],
        [e.text for e in exclusions],
        after,
    )


def _how_to_complain(policy: Policy) -> Section:
    return Section(
        "How to complain",
        [
            (
                "You can complain on our website, by phone, by email, by letter or in person, or someone can "
                "complain for you if you agree. Tell us if you need any help, for example large print or "
                "another language, and we will make reasonable adjustments."
            ),
            _first_contact(policy),
        ],
    )


def _first_contact(policy: Policy) -> str:
    """Whether a matter may be put right at first contact (the seed's informal resolution, Code 5.2).

    Where it may, the reader is told it stays their choice: asking for a formal
    complaint is never refused because we offered to sort it out at once.
    """
    if policy.eligibility.informal_resolution:
        return (
            "When you first contact us, we may be able to put things right straight away, without a formal "
            "complaint. You can still ask us to take it as a formal complaint at any time, and we will."
        )
    return (
        "We do not have an informal stage: when you tell us you are unhappy and want it dealt with as a "
        "complaint, we take it to stage 1 straight away."
    )


def _stage(stage: Stage, opening: str) -> Section:
    extension = "If we need more time, we will tell you why and give you a new date. "
    allowed = stage.extensions_without_good_reason
    extension += (
        f"We can extend {TIMES.get(allowed, f'{allowed} times')} by up to {stage.extension.describe()}; "
        "any longer only with a good reason, which we will explain to you."
        if allowed
        else f"We extend only with a good reason, by up to {stage.extension.describe()}."
    )
    how = (
        "We will give you our response in writing."
        if stage.written_response
        else "We will give you our response by phone, in person or in writing."
    )
    decision = "our decision on each point of your complaint (upheld, partially upheld or not upheld)"
    if stage.reasons_for_each_point:
        decision += " with the reasons for each decision"
    paragraphs = [
        opening,
        (
            f"Who handles it: {_sentence(stage.handler)} We will contact you {within(stage.contact)}, "
            f"and give you our response {within(stage.response)}."
        ),
        extension,
        (
            f"{how} It gives {decision}, what we will do to put things right, and what to do if you are "
            "still unhappy."
        ),
    ]
    items: list[str] = []
    if isinstance(stage, Stage2):
        if stage.reasons_required:
            paragraphs.append("When you ask for a review, tell us which of these applies:")
        else:
            paragraphs.append(
                "You do not have to give a reason to ask for a review. It helps us to know, for example:"
            )
        items = [ground.text for ground in stage.grounds]
    return Section(stage.title, paragraphs, items)


def _appeal(policy: Policy) -> Section:
    appeal = policy.appeal
    assert appeal is not None
    panel = and_list([PANEL_WORDS.get(role.value, role.value.replace("_", " ")) for role in appeal.panel])
    after = [
        (
            f"We will arrange the meeting with you {within(appeal.meeting)}. The panel is {panel}. It "
            f"gives its decision {within(appeal.decision)}, and that is our final response."
        ),
        _sentence(appeal.refusal_rule),
    ]
    if appeal.companion_allowed:
        bring = "someone with you for support"
        if not appeal.legal_representative_allowed:
            bring += ", but not a legal representative such as a solicitor"
        after.append(f"You can bring {bring}.")
    return Section(
        appeal.title,
        [
            (
                f"If you are still unhappy after the review, you can appeal to the {appeal.handler}. Tell us "
                "which of these applies:"
            )
        ],
        [criterion.text for criterion in appeal.criteria],
        after,
    )


def _ombudsman(policy: Policy) -> Section:
    rule = policy.ombudsman
    if rule.wait.amount == 0:
        when = (
            f"You can contact the {rule.name} at any time for help with your complaint. Once you have "
            "our final response, you can ask the Ombudsman to investigate it."
        )
    else:
        when = f"You can ask the {rule.name} to investigate {rule.wait.describe()} after our final response"
        when += (
            ", or sooner through a designated person (an MP, a local councillor or a designated tenant "
            "panel) if you give them your consent."
            if rule.designated_person_route
            else "."
        )
    return Section(
        "The Housing Ombudsman",
        [when, "The Ombudsman is free, independent and impartial. You can contact them:"],
        [
            f"by phone: {rule.phone}",
            f"by email: {rule.email}",
            f"online: {rule.website}",
            f"by post: {rule.name}, {rule.address}",
        ],
    )


def _working_days(policy: Policy) -> Section:
    nation = NATION_WORDS[policy.calendar.nation]
    paragraphs = [
        (
            f"Working days are Monday to Friday, not counting bank holidays in {nation}. A complaint that "
            f"reaches us after {policy.calendar.cutoff:%H:%M} or on a day that is not a working day counts "
            "from the next working day."
        ),
    ]
    closures = [long_date(day) for day in policy.calendar.closure_days]
    if closures:
        paragraphs.append(f"Our offices are also closed on {and_list(closures)}; these are not working days.")
    return Section("How we count time", paragraphs)


def _sentence(text: str) -> str:
    """The text on one line, with a full stop at its end."""
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else f"{text}."
