"""The demo publishes four quarters of "You said, we did" for each landlord, one corrected once."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.utils import timezone

from putright.learning.models import EntryStatus, Publication, YouSaidEntry
from putright.learning.quarters import Quarter


def test_the_demo_publishes_four_quarters_per_landlord_one_corrected(db, client):
    call_command("demo", complaints=25, stdout=io.StringIO())
    current = Quarter.containing(timezone.localdate())
    wanted = [current.previous()]
    for _ in range(3):
        wanted.append(wanted[-1].previous())
    for short in ("FH", "SH", "VHT"):
        found = Publication.objects.filter(organisation__short_name=short)
        assert {p.quarter_start for p in found} == {q.start for q in wanted}
        assert sorted(p.version for p in found) == [1, 1, 1, 1, 2]
        corrected = found.get(version=2)
        assert corrected.correction_note
        for item in found:
            assert 2 <= len(item.entries) <= 4
        entries = YouSaidEntry.objects.filter(organisation__short_name=short)
        assert all(e.status == EntryStatus.APPROVED and e.drafted_by != e.approved_by for e in entries)
        page = client.get(f"/you-said-we-did/{short}/")
        assert page.status_code == 200
        assert f"You said, we did: {wanted[0].label}" in page.content.decode()
    # A second load leaves what was published as it was.
    before = Publication.objects.count()
    call_command("demo", complaints=25, if_empty=True, stdout=io.StringIO())
    assert Publication.objects.count() == before
