"""The caseworker's screens of the money side."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.start, name="start"),
    path("borgere/soeg/", views.borger_soeg, name="borger_soeg"),
    path("borgere/<int:pk>/", views.borger_detalje, name="borger"),
    path("konti/<int:pk>/", views.debitorkonto_detalje, name="debitorkonto"),
]
