"""Logging on and off."""

from django.urls import path

from . import views

urlpatterns = [
    path("log-paa/", views.login, name="login"),
    path("log-af/", views.logout, name="logout"),
]
