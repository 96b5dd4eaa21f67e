"""What every workspace page needs: the landlord's name and the user's navigation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can

#: The navigation: (label, url name, capability needed, path prefix that marks it current).
NAVIGATION = (
    ("My work", "web:home", Capability.VIEW_CASES, "/work/"),
    ("All complaints", "web:case-list", Capability.VIEW_CASES, "/work/complaints/"),
    ("Log a complaint", "web:log-complaint", Capability.LOG_COMPLAINT, "/work/log/"),
    ("Team", "web:team", Capability.VIEW_STAFF, "/work/team/"),
    ("Letter templates", "web:templates", Capability.EDIT_TEMPLATES, "/work/templates/"),
    # conduct: the lead's own queue of referred concerns
    ("My concerns", "web:concerns", Capability.MANAGE_CONCERNS, "/work/concerns/"),
    # issue 12, lessons: lessons from complaints and the changes they lead to
    ("Learning actions", "web:learning-actions", Capability.VIEW_CASES, "/work/learning/"),
    # issue 12, yswd: drafted by officers, approved by managers (every role that approves also drafts)
    ("You said, we did", "web:you-said-list", Capability.DRAFT_YOU_SAID, "/work/you-said-we-did/"),
    # issue 12, points: the themes, root causes and service areas
    ("Learning lists", "web:learning-lists", Capability.MANAGE_LEARNING_LISTS, "/work/lists/"),
    # issue 13, dash: the reports dashboard, for managers and the board
    ("Reports", "web:reports", Capability.VIEW_REPORTS, "/work/reports/"),
    # issue 15, vuln: a customer's subject access export, for the roles that make it
    ("Subject access", "web:subject-access", Capability.SUBJECT_ACCESS, "/work/subject-access/"),
)


def workspace(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    items = []
    if isinstance(user, User) and user.is_active:
        path = request.path
        for label, name, capability, prefix in NAVIGATION:
            if can(user, capability):
                url = reverse(name)
                current = path.startswith(prefix) if prefix != "/work/" else path == url
                items.append({"label": label, "url": url, "current": current})
    return {"landlord_name": settings.PUTRIGHT_LANDLORD_NAME, "navigation": items}
