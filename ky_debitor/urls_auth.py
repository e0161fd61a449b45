"""Logging on and off (with SAML: ``ky_debitor.saml``)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("log-paa/", views.login, name="login"),
    path("log-af/", views.logout, name="logout"),
    path("", include("ky_debitor.saml.urls")),
]
