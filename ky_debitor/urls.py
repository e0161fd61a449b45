"""URL root: wires the apps in."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "KY Debitor: administration"
admin.site.site_title = "KY Debitor"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ky_debitor.urls_auth")),
    path("", include("fordringer.urls")),
    path("", include("rapporter.urls")),
    path("", include("opgavepakker.urls")),
]
