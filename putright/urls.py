from django.contrib import admin
from django.urls import path

from putright.api.main import api
from putright.health import health

admin.site.site_header = "putright administration"
admin.site.site_title = "putright"
admin.site.index_title = "Complaints, people and organisations"

urlpatterns = [
    path("health", health, name="health"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
