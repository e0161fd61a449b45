"""URLs of "Dataudtræk" and "Mine udtræk"."""

from django.urls import path

from . import views

urlpatterns = [
    path("dataudtraek/", views.dataudtraek, name="dataudtraek"),
    path("dataudtraek/hent/", views.udtraek_hent, name="udtraek_hent"),
    path("dataudtraek/mine/", views.mine_udtraek, name="mine_udtraek"),
    path("dataudtraek/mine/<int:pk>/", views.eksport_detalje, name="eksport"),
    path("dataudtraek/mine/<int:pk>/fil/", views.eksport_fil, name="eksport_fil"),
]
