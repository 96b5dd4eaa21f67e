"""issue 15, chainhead: signing the stored chain heads with PUTRIGHT_AUDIT_KEY.

New heads are signed as they are written (``putright.cases.models.timeline.link``). When
the key is set on a system that already has cases, their heads are unsigned, and a
closed case gets no new event to sign it; ``putright audit sign`` checks every chain and
signs the heads of those that hold, here. It trusts what it signs: a chain rewritten
before the key was set stays rewritten, signed.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from putright.cases.models import ChainHead
from putright.cases.models.timeline import audit_key
from putright.procedure import chain

PAGE = 5000


def sign_heads(complaint_ids: Sequence[int]) -> int:
    """Sign these cases' stored heads as they are now, a page of 5,000 per transaction; return how many."""
    key = audit_key()
    if not key:
        raise ValueError("PUTRIGHT_AUDIT_KEY is not set: there is nothing to sign the chain heads with.")
    signed = 0
    for start in range(0, len(complaint_ids), PAGE):
        with transaction.atomic():
            heads = list(
                ChainHead.objects.select_for_update().filter(
                    complaint_id__in=complaint_ids[start : start + PAGE]
                )
            )
            for head in heads:
                head.signature = chain.head_signature(key, head.complaint_id, head.events, head.hash)
            ChainHead.objects.bulk_update(heads, ["signature"])
            signed += len(heads)
    return signed
