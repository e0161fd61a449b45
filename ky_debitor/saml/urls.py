"""The SAML endpoints; their names are the ones djangosaml2 reverses."""

from django.urls import path

from . import views

urlpatterns = [
    path("saml/metadata/", views.metadata, name="saml2_metadata"),
    path("saml/log-paa/", views.login, name="saml2_login"),
    path("saml/acs/", views.acs, name="saml2_acs"),
    path("saml/ls/", views.ls, name="saml2_ls"),
    path("saml/ls/post/", views.ls, name="saml2_ls_post"),
]
