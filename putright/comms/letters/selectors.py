"""Reads for the pages: the letters of a case, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Max, OuterRef, Subquery

from putright.cases.models import Complaint
from putright.comms.letters.services import templates
from putright.comms.models import Letter, LetterKind, LetterTemplate


def letters_for_case(complaint: Complaint) -> list[Letter]:
    """Every letter of ``complaint``, oldest first, with who sent and posted it and the template version.

    One query, however many letters.
    """
    return list(
        Letter.objects.filter(complaint_id=complaint.pk)
        .select_related("template", "sent_by", "posted_by")
        .order_by("sent_at", "pk")
    )


def letter_on_case(complaint_id: int, letter_id: int) -> Letter | None:
    """One letter of one complaint (None for another complaint's letter), ready to name its file."""
    return (
        Letter.objects.filter(pk=letter_id, complaint_id=complaint_id)
        .select_related("complaint__policy", "complaint__organisation")
        .first()
    )


def newest_templates() -> dict[str, LetterTemplate]:
    """The version each kind of letter is made from now, by kind (one query; shipped words if unsaved)."""
    newest = (
        LetterTemplate.objects.filter(kind=OuterRef("kind"))
        .values("kind")
        .annotate(top=Max("version"))
        .values("top")
    )
    found = {
        template.kind: template
        for template in LetterTemplate.objects.filter(version=Subquery(newest)).select_related("created_by")
    }
    return {kind: found.get(kind) or templates.current(LetterKind(kind)) for kind in LetterKind.values}
