"""The landlord's own words in the annual report: evidence per provision, the governing body's response."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.cases.errors import InvalidInput
from putright.reports.models import CodeEvidence, GoverningBodyResponse

#: The longest evidence or response text kept (about four printed pages).
TEXT_LIMIT = 10_000


@transaction.atomic
def save_annual_texts(
    *,
    year: int,
    organisation: Organisation | None,
    evidence: Mapping[str, str],
    governing_body_response: str,
    known_provisions: set[str],
    actor: User,
) -> None:
    """Keep the evidence per provision and the governing body's response for ``year``: all or none.

    Only the provisions of the Code the report lists (``known_provisions``) are kept; the caller
    checks the user may prepare reports for ``organisation``.
    """
    unknown = sorted(set(evidence) - known_provisions)
    if unknown:
        raise InvalidInput("evidence", f"no provision {', '.join(unknown)} in the self-assessment")
    for key, text in [*evidence.items(), ("governing_body_response", governing_body_response)]:
        if len(text) > TEXT_LIMIT:
            raise InvalidInput(key, f"keep it to {TEXT_LIMIT:,} characters")
    now = timezone.now()
    for provision, text in evidence.items():
        CodeEvidence.objects.update_or_create(
            year=year,
            organisation=organisation,
            provision=provision,
            defaults={"text": text.strip(), "updated_at": now, "updated_by": actor},
        )
    GoverningBodyResponse.objects.update_or_create(
        year=year,
        organisation=organisation,
        defaults={"text": governing_body_response.strip(), "updated_at": now, "updated_by": actor},
    )
