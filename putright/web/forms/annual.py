"""The annual report's own words: evidence per provision of the Code, and the governing body's response."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.procedure.codepoint import CodePoint
from putright.reports.services.evidence import TEXT_LIMIT
from putright.web.forms.base import GovukForm, text_area

RESPONSE_FIELD = "governing_body_response"


def evidence_field(key: str) -> str:
    return f"evidence_{key.replace('.', '__')}"


class AnnualTextsForm(GovukForm):
    """One text box per provision, then the governing body's response; all optional."""

    def __init__(
        self, *args: Any, provisions: list[CodePoint], texts: dict[str, str], response: str, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.provisions = provisions
        for point in provisions:
            self.fields[evidence_field(point.key)] = forms.CharField(
                label=f"{point.paragraph} {point.title}",
                help_text=f"The Code: {point.code}. The policy check: {point.verdict.label}.",
                required=False,
                max_length=TEXT_LIMIT,
                initial=texts.get(point.key, ""),
                widget=text_area(3),
            )
        self.fields[RESPONSE_FIELD] = forms.CharField(
            label="The governing body's response",
            help_text="What the board (or its member responsible for complaints) said of the report.",
            required=False,
            max_length=TEXT_LIMIT,
            initial=response,
            widget=text_area(6),
        )

    def evidence(self) -> dict[str, str]:
        return {point.key: self.cleaned_data[evidence_field(point.key)] for point in self.provisions}
