from django.contrib import admin
from django.urls import include, path

from putright.api.main import api
from putright.health import health, ready
from putright.web.views.auth import SecondFactorAdminSite

# The admin asks for the workspace's sign-in and a code from an authenticator app.
admin.site.__class__ = SecondFactorAdminSite

admin.site.site_header = "putright administration"
admin.site.site_title = "putright"
admin.site.index_title = "Complaints, people and organisations"

# The public pages (the complaint form, a customer's case) are at the root;
# the staff workspace is under /work/.
urlpatterns = [
    path("health", health, name="health"),
    # issue 14, observe: readiness (503 while migrations are pending or the database is down)
    path("ready", ready, name="ready"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("putright.web.urls")),
    path("", include("putright.portal.urls")),
]
