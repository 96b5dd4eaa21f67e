"""A policy held against the Housing Ombudsman's Complaint Handling Code (2024), point by point.

The Code's figures (working days unless said): acknowledge at stage 1 within 5 of receipt and
respond within 10 of acknowledging, extending by at most 10 without good reason; acknowledge
at stage 2 within 5 of the request, without requiring reasons, and respond within 20 of
acknowledging, extending by at most 20; accept complaints up to 12 months after the matter;
exactly two stages; the Ombudsman directly after the final response, with no wait and no
designated person.

"Stricter" is better for the resident than the Code, "weaker" worse.
"""

from __future__ import annotations

import pytest

from putright.procedure.code import CodePoint, Verdict, by_hand, compare, weaker_points
from putright.procedure.loader import load, parse
from putright.procedure.policy import ExclusionReason, Policy
from tests.procedure.flagship import FLAGSHIP_WEAKER

STRICTER, MEETS, WEAKER = Verdict.STRICTER, Verdict.MEETS, Verdict.WEAKER

POINTS = [
    "stage1.acknowledgement",
    "stage1.response",
    "stage1.extension",
    "stage2.acknowledgement",
    "stage2.reasons",
    "stage2.response",
    "stage2.extension",
    "eligibility.time_limit",
    "stages",
    "ombudsman.access",
    "eligibility.definition",
    "eligibility.exclusions",
    "eligibility.legal_proceedings",
    "informal_resolution",
    "stage1.new_issues",
    "responses.reasons",
    "responses.written",
    "ombudsman.contact",
]


def edited(name: str, *changes: tuple[str, str]) -> Policy:
    """A built-in policy with each ``(old, new)`` change made once."""
    text = load(name).text
    for old, new in changes:
        assert old in text, f"the {name} policy no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return parse(text)


def without_appeal(name: str) -> Policy:
    text = load(name).text
    start, end = text.index("[appeal]"), text.index("[ombudsman]")
    return parse(text[:start] + text[end:])


def verdicts(policy: Policy) -> dict[str, Verdict]:
    return {point.key: point.verdict for point in compare(policy)}


def point(policy: Policy, key: str) -> CodePoint:
    return next(p for p in compare(policy) if p.key == key)


FLAGSHIP = load("flagship").policy
CODE_2024 = load("code-2024").policy


def test_every_point_of_the_code_is_compared_once() -> None:
    assert [p.key for p in compare(FLAGSHIP)] == POINTS
    assert all(p.title and p.paragraph and p.code and p.policy for p in compare(FLAGSHIP))


def test_the_flagship_procedure_against_the_code() -> None:
    assert verdicts(FLAGSHIP) == {
        # Contact within 24 working hours (one working day) against the Code's 5 working days.
        "stage1.acknowledgement": STRICTER,
        # 10 working days from receipt: receipt never comes after the acknowledgement the
        # Code counts its 10 from.
        "stage1.response": STRICTER,
        # One extension of 10 working days without good reason: the Code's most.
        "stage1.extension": MEETS,
        # Contact within 5 working days of the request: the Code's figure.
        "stage2.acknowledgement": MEETS,
        # The customer must choose one of the grounds (a)-(d); the Code says no reason is required.
        "stage2.reasons": WEAKER,
        # 20 working days from the request, the Code's 20 from the acknowledgement.
        "stage2.response": STRICTER,
        # 10 working days against the Code's 20.
        "stage2.extension": STRICTER,
        # 6 months to complain against the Code's 12.
        "eligibility.time_limit": WEAKER,
        # Three stages (the appeal panel) against the Code's two.
        "stages": WEAKER,
        # An 8-week wait or a designated person before the Ombudsman.
        "ombudsman.access": WEAKER,
        # "...affecting you": not a group of residents.
        "eligibility.definition": WEAKER,
        # It excludes threatening or abusive behaviour, which the Code does not allow.
        "eligibility.exclusions": WEAKER,
        # No exclusion for legal proceedings: every such complaint is considered.
        "eligibility.legal_proceedings": MEETS,
        # "Our earliest opportunity to resolve the issue informally": a stage 0.
        "informal_resolution": WEAKER,
        # Section 6: every new issue is a new complaint from the beginning.
        "stage1.new_issues": WEAKER,
        # No reasons asked for each point's outcome.
        "responses.reasons": WEAKER,
        # The stage 1 resolution may be given by phone or in person.
        "responses.written": WEAKER,
        # PO Box 152, Liverpool: the Ombudsman's old address.
        "ombudsman.contact": WEAKER,
    }


def test_the_flagship_procedure_is_weaker_than_the_code_on_exactly_eleven_points() -> None:
    assert {p.key for p in weaker_points(FLAGSHIP)} == set(FLAGSHIP_WEAKER)


def test_the_weaker_points_say_what_the_policy_and_the_code_each_require() -> None:
    time_limit = point(FLAGSHIP, "eligibility.time_limit")
    assert time_limit.policy == "6 months"
    assert "12 months" in time_limit.code
    access = point(FLAGSHIP, "ombudsman.access")
    assert "8 weeks" in access.policy
    assert "designated person" in access.policy
    assert point(FLAGSHIP, "stages").policy == "3 stages"
    assert point(FLAGSHIP, "stage1.acknowledgement").policy == "24 working hours from receipt"


def test_the_code_2024_policy_meets_the_code_on_every_point() -> None:
    assert verdicts(CODE_2024) == dict.fromkeys(POINTS, MEETS)
    assert weaker_points(CODE_2024) == []


# --- Edited policies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "key", "verdict"),
    [
        # Stage 1 response.
        pytest.param(
            edited(
                "flagship",
                (
                    'response = { working_days = 10, from = "receipt" }',
                    'response = { working_days = 15, from = "receipt" }',
                ),
            ),
            "stage1.response",
            WEAKER,
            id="15-days-from-receipt",
        ),
        pytest.param(
            edited(
                "code-2024",
                (
                    'response = { working_days = 10, from = "contact" }',
                    'response = { working_days = 15, from = "contact" }',
                ),
            ),
            "stage1.response",
            WEAKER,
            id="15-days-from-contact",
        ),
        pytest.param(
            edited(
                "code-2024",
                (
                    'response = { working_days = 10, from = "contact" }',
                    'response = { working_days = 8, from = "contact" }',
                ),
            ),
            "stage1.response",
            STRICTER,
            id="8-days-from-contact",
        ),
        # Time limit for complaining.
        pytest.param(
            edited("code-2024", ("time_limit_months = 12", "time_limit_months = 18")),
            "eligibility.time_limit",
            STRICTER,
            id="18-months",
        ),
        pytest.param(
            edited("flagship", ("time_limit_months = 6", "time_limit_months = 12")),
            "eligibility.time_limit",
            MEETS,
            id="12-months",
        ),
        pytest.param(
            edited("code-2024", ("time_limit_months = 12", "time_limit_months = 11")),
            "eligibility.time_limit",
            WEAKER,
            id="11-months",
        ),
        # Stage 1 acknowledgement, in working days or working hours.
        pytest.param(
            edited(
                "code-2024",
                (
                    'contact = { working_days = 5, from = "receipt" }',
                    'contact = { working_days = 6, from = "receipt" }',
                ),
            ),
            "stage1.acknowledgement",
            WEAKER,
            id="acknowledge-in-6-days",
        ),
        pytest.param(
            edited(
                "flagship",
                (
                    'contact = { working_hours = 24, from = "receipt" }',
                    'contact = { working_hours = 120, from = "receipt" }',
                ),
            ),
            "stage1.acknowledgement",
            MEETS,
            id="acknowledge-in-120-working-hours",
        ),
        pytest.param(
            edited(
                "flagship",
                (
                    'contact = { working_hours = 24, from = "receipt" }',
                    'contact = { working_hours = 144, from = "receipt" }',
                ),
            ),
            "stage1.acknowledgement",
            WEAKER,
            id="acknowledge-in-144-working-hours",
        ),
        # Extensions: the total allowed without good reason.
        pytest.param(
            edited(
                "code-2024",
                ("extension = { working_days = 10 }", "extension = { working_days = 5 }"),
                ("extensions_without_good_reason = 1", "extensions_without_good_reason = 2"),
            ),
            "stage1.extension",
            MEETS,
            id="two-extensions-of-5-days",
        ),
        pytest.param(
            edited("code-2024", ("extensions_without_good_reason = 1", "extensions_without_good_reason = 2")),
            "stage1.extension",
            WEAKER,
            id="two-extensions-of-10-days",
        ),
        pytest.param(
            edited("code-2024", ("extensions_without_good_reason = 1", "extensions_without_good_reason = 0")),
            "stage1.extension",
            STRICTER,
            id="no-extension-without-good-reason",
        ),
        pytest.param(
            edited("code-2024", ("extension = { working_days = 20 }", "extension = { working_days = 25 }")),
            "stage2.extension",
            WEAKER,
            id="stage-2-extension-of-25-days",
        ),
        # Stage 2.
        pytest.param(
            edited(
                "code-2024",
                (
                    'contact = { working_days = 5, from = "request" }',
                    'contact = { working_days = 10, from = "request" }',
                ),
            ),
            "stage2.acknowledgement",
            WEAKER,
            id="acknowledge-review-in-10-days",
        ),
        pytest.param(
            edited(
                "code-2024",
                (
                    'response = { working_days = 20, from = "contact" }',
                    'response = { working_days = 25, from = "contact" }',
                ),
            ),
            "stage2.response",
            WEAKER,
            id="review-in-25-days",
        ),
        pytest.param(
            edited(
                "flagship",
                (
                    'response = { working_days = 20, from = "request" }',
                    'response = { working_days = 21, from = "request" }',
                ),
            ),
            "stage2.response",
            WEAKER,
            id="review-in-21-days-from-request",
        ),
        pytest.param(
            edited("flagship", ("reasons_required = true", "reasons_required = false")),
            "stage2.reasons",
            MEETS,
            id="no-reasons-required",
        ),
        pytest.param(
            edited("code-2024", ("reasons_required = false", "reasons_required = true")),
            "stage2.reasons",
            WEAKER,
            id="reasons-required",
        ),
        # The way to the Ombudsman.
        pytest.param(
            edited("code-2024", ("designated_person_route = false", "designated_person_route = true")),
            "ombudsman.access",
            WEAKER,
            id="designated-person-only",
        ),
        pytest.param(
            edited("code-2024", ("wait = { weeks = 0 }", "wait = { weeks = 2 }")),
            "ombudsman.access",
            WEAKER,
            id="two-week-wait-only",
        ),
        # Stages.
        pytest.param(without_appeal("flagship"), "stages", MEETS, id="appeal-removed"),
    ],
)
def test_an_edited_policy_is_judged_on_the_point_it_changes(
    policy: Policy, key: str, verdict: Verdict
) -> None:
    assert point(policy, key).verdict is verdict


def test_a_stricter_time_limit_changes_nothing_else() -> None:
    policy = edited("code-2024", ("time_limit_months = 12", "time_limit_months = 18"))
    changed = {k: v for k, v in verdicts(policy).items() if v is not MEETS}
    assert changed == {"eligibility.time_limit": STRICTER}


def test_the_flagship_procedure_brought_up_to_the_code_has_no_weaker_point() -> None:
    text = load("flagship").text
    start, end = text.index("[appeal]"), text.index("[ombudsman]")
    text = text[:start] + text[end:]
    for old, new in [
        ("reasons_required = true", "reasons_required = false"),
        ("time_limit_months = 6", "time_limit_months = 12"),
        ("wait = { weeks = 8 }", "wait = { weeks = 0 }"),
        ("designated_person_route = true", "designated_person_route = false"),
        ("affecting you.", "affecting a resident or group of residents."),
        ('reason = "unacceptable_behaviour"', 'reason = "duplicate"'),
        ("informal_resolution = true", "informal_resolution = false"),
        ("new_issues_join_open_complaint = false", "new_issues_join_open_complaint = true"),
        ("written_response = false", "written_response = true"),
        ("reasons_for_each_point = false", "reasons_for_each_point = true"),
        ("reasons_for_each_point = false", "reasons_for_each_point = true"),
        ("PO Box 152, Liverpool, L33 7WQ", "PO Box 1484, Unit D, Preston, PR2 0ET"),
    ]:
        assert old in text
        text = text.replace(old, new, 1)
    start = text.index('[[eligibility.exclusions]]\nreason = "duplicate"\ntext = "You use')
    text = text[:start] + text[text.index("[[eligibility.exclusions]]", start + 1) :]
    policy = parse(text)
    assert weaker_points(policy) == []
    # ...and it keeps the points where it was already better than the Code.
    assert {k for k, v in verdicts(policy).items() if v is STRICTER} == {
        "stage1.acknowledgement",
        "stage1.response",
        "stage2.response",
        "stage2.extension",
    }


# --- What the policy says in words and settings ---------------------------------------------------


def test_the_definition_must_cover_a_group_of_residents() -> None:
    definition = point(FLAGSHIP, "eligibility.definition")
    assert definition.paragraph == "1.2"
    assert "affecting a resident or group of residents" in definition.code
    assert "affecting you" in definition.policy
    assert (
        definition.note == "the policy's definition does not cover a complaint made for a group of residents"
    )
    assert point(CODE_2024, "eligibility.definition").verdict is MEETS


def test_a_definition_without_lack_of_action_is_weaker() -> None:
    policy = edited("code-2024", ("actions or lack of action", "actions"))
    definition = point(policy, "eligibility.definition")
    assert definition.verdict is WEAKER
    assert definition.note == "the policy's definition leaves out: “actions or lack of action”"


def test_unacceptable_behaviour_is_not_an_exclusion_the_code_allows() -> None:
    exclusions = point(FLAGSHIP, "eligibility.exclusions")
    assert (exclusions.verdict, exclusions.paragraph) == (WEAKER, "2.2")
    assert "unacceptable behaviour" in exclusions.policy
    assert exclusions.note.startswith(
        "the Code does not allow excluding a complaint for unacceptable behaviour"
    )
    assert point(CODE_2024, "eligibility.exclusions").verdict is MEETS


@pytest.mark.parametrize(
    ("text", "verdict", "said"),
    [
        pytest.param(
            "The matter is the subject of legal proceedings that have been issued at court",
            MEETS,
            "excluded once proceedings are issued",
            id="issued",
        ),
        pytest.param(
            "You have said you will take legal action against us",
            WEAKER,
            "You have said you will take legal action against us",
            id="threatened",
        ),
    ],
)
def test_a_legal_proceedings_exclusion_must_wait_for_the_claim_to_be_issued(
    text: str, verdict: Verdict, said: str
) -> None:
    policy = edited(
        "code-2024",
        (
            "The complaint is not about our service, our staff or those acting for us",
            text,
        ),
    )
    legal = point(policy, "eligibility.legal_proceedings")
    assert (legal.verdict, legal.policy, legal.paragraph) == (verdict, said, "2.2")
    assert "issued" in legal.code


def test_a_policy_without_a_legal_proceedings_exclusion_meets_the_code_and_is_told_it_may_have_one() -> None:
    legal = point(FLAGSHIP, "eligibility.legal_proceedings")
    assert (legal.verdict, legal.policy) == (MEETS, "no such exclusion")
    assert "the Code would allow excluding it" in legal.note


def test_the_codes_policy_excludes_legal_proceedings_once_the_claim_is_filed() -> None:
    legal = point(CODE_2024, "eligibility.legal_proceedings")
    assert (legal.verdict, legal.policy) == (MEETS, "excluded once proceedings are issued")
    assert CODE_2024.eligibility.exclusion(ExclusionReason.LEGAL_PROCEEDINGS) is not None
    assert point(CODE_2024, "eligibility.exclusions").verdict is MEETS


@pytest.mark.parametrize(
    "text",
    [
        "Legal proceedings about the matter have not yet started",
        "You have told us you will take us to court",
        "Legal proceedings have been threatened or started",
        "Court proceedings may be issued about the matter",
    ],
)
def test_a_legal_proceedings_exclusion_that_does_not_wait_for_the_claim_is_weaker(text: str) -> None:
    codes_words = (
        "Legal proceedings about the matter have started: the details of the claim, such as the claim "
        "form and particulars of claim, have been filed at court"
    )
    policy = edited("code-2024", (codes_words, text))
    legal = point(policy, "eligibility.legal_proceedings")
    assert (legal.verdict, legal.policy) == (WEAKER, text)


def test_informal_resolution_is_a_stage_0_the_code_does_not_allow() -> None:
    informal = point(FLAGSHIP, "informal_resolution")
    assert (informal.verdict, informal.paragraph, informal.policy) == (
        WEAKER,
        "5.2",
        "an informal resolution before stage 1",
    )
    assert point(CODE_2024, "informal_resolution").policy == "no informal stage"
    turned_on = edited("code-2024", ("informal_resolution = false", "informal_resolution = true"))
    assert point(turned_on, "informal_resolution").verdict is WEAKER


def test_related_new_issues_join_the_open_complaint_before_the_stage_1_response() -> None:
    new_issues = point(FLAGSHIP, "stage1.new_issues")
    assert (new_issues.verdict, new_issues.paragraph, new_issues.policy) == (
        WEAKER,
        "6.8",
        "each new issue is a new complaint",
    )
    joined = point(CODE_2024, "stage1.new_issues")
    assert (joined.verdict, joined.policy) == (MEETS, "added to the open complaint")
    assert CODE_2024.stage1.new_issues_join_open_complaint is True
    assert FLAGSHIP.stage1.new_issues_join_open_complaint is False
    # Left out of a policy (as in texts stored before the setting existed): a new complaint.
    left_out = edited("code-2024", ("new_issues_join_open_complaint = true\n", ""))
    assert point(left_out, "stage1.new_issues").verdict is WEAKER


def test_reasons_for_each_point_are_required_at_both_stages() -> None:
    reasons = point(FLAGSHIP, "responses.reasons")
    assert (reasons.verdict, reasons.paragraph, reasons.policy) == (
        WEAKER,
        "6.7 (stage 1); stage 2: section 6",
        "not required at stage 1 or stage 2",
    )
    at_stage_1_only = edited("code-2024", ("reasons_for_each_point = true", "reasons_for_each_point = false"))
    at_1 = point(at_stage_1_only, "responses.reasons")
    assert (at_1.policy, at_1.paragraph) == ("not required at stage 1", "6.7 (stage 1)")
    short_at_stage_2 = edited(
        "code-2024",
        (
            "reasons_for_each_point = true\nreasons_required",
            "reasons_for_each_point = false\nreasons_required",
        ),
    )
    at_2 = point(short_at_stage_2, "responses.reasons")
    assert (at_2.verdict, at_2.policy, at_2.paragraph) == (
        WEAKER,
        "not required at stage 2",
        "stage 2: section 6",
    )
    assert point(CODE_2024, "responses.reasons").policy == "required at each stage"


def test_a_policy_that_allows_a_spoken_stage_1_response_only_is_weaker() -> None:
    written = point(FLAGSHIP, "responses.written")
    assert (written.verdict, written.paragraph) == (WEAKER, "6.9 (stage 1)")  # stage 2 is written
    assert written.policy == "may be given by phone or in person only at stage 1"
    assert point(CODE_2024, "responses.written").verdict is MEETS


def test_the_ombudsmans_old_liverpool_address_is_out_of_date() -> None:
    contact = point(FLAGSHIP, "ombudsman.contact")
    assert contact.verdict is WEAKER
    assert "PO Box 152, Liverpool, L33 7WQ" in contact.policy
    assert contact.note == (
        "out of date: address PO Box 152, Liverpool, L33 7WQ is now PO Box 1484, Unit D, Preston, PR2 0ET"
    )
    assert point(CODE_2024, "ombudsman.contact").verdict is MEETS


@pytest.mark.parametrize(
    ("field", "written"),
    [
        ("address", "Housing Ombudsman Service, PO Box 1484, Unit D, Preston, PR2 0ET"),
        ("address", "P.O. Box 1484,  Unit D, PRESTON PR20ET."),
        ("phone", "0300-111-3000"),
        ("phone", "+44 300 111 3000"),
        ("email", "Info@Housing-Ombudsman.org.uk"),
        ("website", "https://www.housing-ombudsman.org.uk/"),
        ("website", "housing-ombudsman.org.uk"),
    ],
)
def test_the_ombudsmans_details_written_another_way_are_still_current(field: str, written: str) -> None:
    current = getattr(CODE_2024.ombudsman, field)
    policy = edited("code-2024", (f'{field} = "{current}"', f'{field} = "{written}"'))
    contact = point(policy, "ombudsman.contact")
    assert (contact.verdict, contact.note) == (MEETS, "")


def test_an_old_address_written_the_new_way_is_still_out_of_date() -> None:
    policy = edited(
        "code-2024",
        (
            'address = "PO Box 1484, Unit D, Preston, PR2 0ET"',
            'address = "Housing Ombudsman Service, P.O. Box 152, Liverpool L33 7WQ"',
        ),
    )
    contact = point(policy, "ombudsman.contact")
    assert contact.verdict is WEAKER
    assert contact.note == (
        "out of date: address Housing Ombudsman Service, P.O. Box 152, Liverpool L33 7WQ "
        "is now PO Box 1484, Unit D, Preston, PR2 0ET"
    )


def test_points_no_policy_file_shows_are_to_be_checked_by_hand_and_never_weaker() -> None:
    hand = by_hand()
    assert {p.verdict for p in hand} == {Verdict.CHECK_BY_HAND}
    assert [(p.title, p.paragraph) for p in hand] == [
        ("Service requests and the definition in practice", "1.4; section 1"),
        ("Exclusions explained, with the Ombudsman", "section 2"),
        ("Accessibility, adjustments and representatives", "section 3"),
        ("Complaint handling staff", "section 4"),
        ("Records of each complaint", "section 5"),
        ("Unacceptable behaviour and restrictions", "section 5"),
        ("Stage 2 by someone not involved at stage 1", "6.13"),
        ("Respond when the answer is known; track what is outstanding", "section 6"),
        ("Putting things right", "section 7"),
        ("Annual report and self-assessment", "8.1"),
        ("Learning from complaints", "9.1"),
        ("A senior lead and a member responsible for complaints", "9.4; 9.5"),
    ]
    assert not {p.key for p in hand} & {p.key for p in compare(FLAGSHIP)}
