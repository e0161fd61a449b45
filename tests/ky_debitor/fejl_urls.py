"""The app's URLs plus one view that fails, to see the 500 page and its log line."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from ky_debitor.urls import urlpatterns as app_urls


def fejler(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"Uventet data for CPR {request.POST.get('cpr', '')}")


# The permission table refuses a URL it does not name (ky_debitor/adgang.py), so the failing
# view borrows the name of a page every role may open.
urlpatterns = [path("fejler/", fejler, name="start"), *app_urls]
