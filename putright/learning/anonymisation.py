"""issue 15, anonymise: what learning holds on a complaint being anonymised (registered in ``apps``).

Remedies keep their kind, amount, purpose, rate, status and dates (the reports sum them); their
description and payment reference are replaced (a filled one stays filled: ``kept``). A point
keeps its theme, service area and root cause; the note of what went wrong (free text) goes.
"""

from __future__ import annotations

from putright.cases.models import Complaint
from putright.cases.services.anonymisation import kept
from putright.learning.models import PointLearning, Remedy


def scrub_learning(case: Complaint) -> list[str]:
    Remedy.objects.filter(complaint=case).update(
        description=kept("description"), payment_reference=kept("payment_reference")
    )
    PointLearning.objects.filter(point__complaint=case).update(root_cause_note=kept("root_cause_note"))
    return []
