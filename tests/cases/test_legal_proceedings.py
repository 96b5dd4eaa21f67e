"""Not accepting a complaint because legal proceedings about it have been issued (the Code, 2.2).

The Code's policy ("code-2024") has the exclusion, in the Code's words; the
seed procedure does not, so there it is refused. The triage page asks about it
as a question, and the not-accepted letter gives the policy's words.
"""

from __future__ import annotations

import pytest

from putright.cases.errors import StepNotAllowed
from putright.cases.services import triage
from putright.comms.letters.letter_context import letter_context
from putright.procedure.policy import ExclusionReason
from putright.web.forms.triage import QUESTIONS
from tests.cases.helpers import at, refused

CODES_WORDS = (
    "Legal proceedings about the matter have started: the details of the claim, such as the claim form "
    "and particulars of claim, have been filed at court"
)


@pytest.mark.usefixtures("code_2024")
def test_under_the_codes_policy_a_complaint_in_issued_proceedings_is_not_accepted(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        triage.not_accept(
            complaint,
            reason="legal_proceedings",
            explanation="The claim about the disrepair was filed at the county court on 2 February.",
            actor=frontline,
        )
    complaint.refresh_from_db()
    assert (complaint.state, complaint.exclusion_reason) == ("not_accepted", "legal_proceedings")
    assert complaint.get_exclusion_reason_display() == "Legal proceedings"
    assert letter_context(complaint, "not_accepted")["exclusion_reason"] == CODES_WORDS


def test_the_seed_procedure_has_no_legal_proceedings_exclusion(log, frontline):
    with at("Mon 2026-03-02 14:00"):
        complaint = log("2026-03-02 10:00")
        with refused(complaint, StepNotAllowed, "The policy does not allow “legal proceedings” as a reason."):
            triage.not_accept(complaint, reason="legal_proceedings", explanation="Court", actor=frontline)


def test_triage_asks_about_every_exclusion_reason_in_its_own_words():
    assert set(QUESTIONS) == set(ExclusionReason)
    assert QUESTIONS[ExclusionReason.LEGAL_PROCEEDINGS] == (
        "Have legal proceedings about the matter been issued (a claim filed at court), not only threatened?"
    )
