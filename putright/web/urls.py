"""The workspace's URLs, under /work/: each area's own list, then every step page."""

from __future__ import annotations

from django.urls import include, path

from putright.web.steps import pages
from putright.web.steps.framework import urls as step_urls
from putright.web.views import (
    auth,
    cases,
    concerns,
    home,
    intake,
    learning_lists,  # issue 12, points
    letters,
    notes,
    organisations,
    templates_admin,
)
from putright.web.views import case as case_page

app_name = "web"

urlpatterns = [
    *auth.urlpatterns,
    path(
        "work/",
        include(
            [
                *home.urlpatterns,
                *cases.urlpatterns,
                *intake.urlpatterns,
                *case_page.urlpatterns,
                *letters.urlpatterns,
                *notes.urlpatterns,
                *templates_admin.urlpatterns,
                *concerns.urlpatterns,
                *organisations.urlpatterns,
                *step_urls(pages.ALL),
                # issue 12, points: the learning lists
                *learning_lists.urlpatterns,
            ]
        ),
    ),
]
