"""The forms that place and lift a legal hold on a case (issue 15, retention)."""

from __future__ import annotations

from django import forms

from putright.procedure.guards import LEGAL_HOLD_REASON_LIMIT
from putright.web.forms.base import text_area
from putright.web.forms.case import CaseStepForm


class PlaceLegalHoldForm(CaseStepForm):
    ask_when = False

    reason = forms.CharField(
        label="Why must this complaint be kept?",
        max_length=LEGAL_HOLD_REASON_LIMIT,
        widget=text_area(3),
        help_text="The claim, inquiry or request it is kept for, for example “Disrepair claim, "
        "solicitor's letter of 3 March”. While the hold stands, its personal details are not removed "
        "when its retention period ends.",
        error_messages={"required": "Give the reason for the legal hold"},
    )


class LiftLegalHoldForm(CaseStepForm):
    ask_when = False

    reason = forms.CharField(
        label="Why is the hold no longer needed?",
        max_length=LEGAL_HOLD_REASON_LIMIT,
        widget=text_area(3),
        help_text="Once lifted, the complaint's personal details are removed at the next daily run "
        "if its retention period has ended.",
        error_messages={"required": "Give the reason for lifting the legal hold"},
    )
