"""The public pages: the complaint form under /complain/, a customer's case under /your-complaint/."""

from __future__ import annotations

from putright.portal.views import case, complain

app_name = "portal"

urlpatterns = [*complain.urlpatterns, *case.urlpatterns]
