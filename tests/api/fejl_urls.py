"""The app's URLs plus one API view that fails, to see the API's 500 answer."""

from django.urls import include, path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ky_debitor.urls import urlpatterns as app_urls


class Fejler(APIView):
    def get(self, request: Request) -> Response:
        raise ValueError(f"Uventet data for CPR {request.query_params.get('cpr', '')}")


# The permission table refuses a URL it does not name (ky_debitor/adgang.py), so the failing
# view borrows the name of an endpoint every role may use.
fejl_api = ([path("fejler/", Fejler.as_view(), name="borger_soeg")], "api")
urlpatterns = [path("api/v1/test/", include(fejl_api)), *app_urls]
