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
    oidc,  # issue 14, oidc
    organisations,
    remedies,  # issue 12, remedies
    reports,  # issue 13, dash
    templates_admin,
    you_said,  # issue 12, yswd
)
from putright.web.views import case as case_page
from putright.web.views import publishing as you_said_publishing  # issue 12, publish
from putright.web.views.annual import urlpatterns as annual_urls  # issue 13, tsm
from putright.web.views.erasure import urlpatterns as erasure_urls  # issue 15, anonymise
from putright.web.views.lessons import urlpatterns as lesson_urls  # issue 12, lessons
from putright.web.views.report_export import urlpatterns as report_export_urls  # issue 13, export
from putright.web.views.subject_access import urlpatterns as subject_access_urls  # issue 15, sar
from putright.web.views.tsm import urlpatterns as tsm_urls  # issue 13, tsm
from putright.web.views.vulnerabilities import urlpatterns as vulnerability_urls  # issue 15, vuln

app_name = "web"

urlpatterns = [
    *auth.urlpatterns,
    *oidc.urlpatterns,  # issue 14, oidc
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
                # issue 12, publish: publishing a quarter of "You said, we did"
                *you_said_publishing.urlpatterns,
                # issue 12, remedies
                *remedies.urlpatterns,
                # issue 12, lessons: learning actions
                *lesson_urls,
                # issue 12, yswd: "You said, we did" entries
                *you_said.urlpatterns,
                # issue 12, points: the learning lists
                *learning_lists.urlpatterns,
                # issue 13, export: the flat export for business-intelligence tools
                *report_export_urls,
                # issue 13, dash: the reports dashboard
                *reports.urlpatterns,
                # issue 13, tsm: the Tenant Satisfaction Measures and the complaints behind them
                *tsm_urls,
                # issue 13, tsm: the annual report, its evidence, and the documents kept
                *annual_urls,
                # issue 15, sar: a customer's subject access export
                *subject_access_urls,
                # issue 15, vuln: disclosed vulnerabilities, from the case page
                *vulnerability_urls,
                # issue 15, anonymise: a customer's right to erasure
                *erasure_urls,
            ]
        ),
    ),
]
