"""issue 15, anonymise: the private links and drafts of a complaint being anonymised (registered in ``apps``).

A link names the customer's email and lets its holder in: deleted, so it no longer works. The
draft the complaint was written in keeps no answers, and its files are deleted after commit.
"""

from __future__ import annotations

from putright.cases.models import Complaint
from putright.portal.models import CaseLink, Draft, DraftFile


def scrub_links_and_drafts(case: Complaint) -> list[str]:
    CaseLink.objects.filter(complaint=case).delete()
    drafts = Draft.objects.filter(complaint=case)
    draft_files = DraftFile.objects.filter(draft__in=drafts)
    files = [name for name in draft_files.values_list("file", flat=True) if name]
    draft_files.delete()
    drafts.update(answers={})
    return files
