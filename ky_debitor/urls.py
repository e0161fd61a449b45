"""URL root: wires the apps in."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "KY Debitor: administration"
admin.site.site_title = "KY Debitor"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("ky_debitor.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("ky_debitor.urls_auth")),
    path("", include("fordringer.urls")),
    path("", include("rapporter.urls")),
    path("", include("opgavepakker.urls")),
]
