"""The app's URLs plus one view that fails, to see the 500 page and its log line."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ky_debitor.urls import urlpatterns as app_urls


def fejler(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"Uventet data for CPR {request.POST.get('cpr', '')}")


urlpatterns = [path("fejler/", fejler), *app_urls]
