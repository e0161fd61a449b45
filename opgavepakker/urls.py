"""The caseworker's workspace: packages, task list and the "Opret fordringssag" screen."""

from django.urls import path

from . import views

urlpatterns = [
    path("mine-opgaver/", views.mine_opgaver, name="mine_opgaver"),
    path("opgaver/", views.opgave_liste, name="opgave_liste"),
    path("opgaver/tildel/", views.opgaver_tildel, name="opgaver_tildel"),
    path(
        "opgaver/manglende-ydelsestype/",
        views.manglende_ydelsestype,
        name="manglende_ydelsestype",
    ),
    path("maanedlige-samlinger/", views.maanedlige_samlinger, name="maanedlige_samlinger"),
    path(
        "maanedlige-samlinger/<int:pk>/udfoert/",
        views.maanedlig_samling_afslut_view,
        name="maanedlig_samling_afslut",
    ),
    path("opgaver/<int:pk>/", views.opgave, name="opgave"),
    path("opgaver/<int:pk>/tag/", views.opgave_tag, name="opgave_tag"),
    path("opgaver/<int:pk>/aflever/", views.opgave_aflever, name="opgave_aflever"),
    path("opgaver/<int:pk>/kvittering/", views.opgave_kvittering, name="opgave_kvittering"),
    path("opgavepakker/<int:pakke_pk>/naeste/", views.naeste_opgave, name="naeste_opgave"),
]
