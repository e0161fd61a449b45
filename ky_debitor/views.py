"""Logging on and off. The screens of the domain live in the apps (``fordringer.konto.views``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse

from .saml import views as saml_views
from .saml.konfiguration import saml_aktiv


class LoginForm(AuthenticationForm):
    """Django's login form with the wording a Danish caseworker expects."""

    username = forms.CharField(
        label="Brugernavn",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Adgangskode",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": (
            "Forkert brugernavn eller adgangskode. Bemærk, at der skelnes mellem store og små "
            "bogstaver."
        ),
        "inactive": "Brugeren er spærret. Kontakt din administrator.",
    }


class LoginView(auth_views.LoginView):
    """With SAML configured the page offers the kommune's login; the password form stays for
    the break-glass Drift account only (``saml.backend.LokalBackend`` refuses anyone else)."""

    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "saml_aktiv": saml_aktiv(),
            "noedadgang": bool(settings.KY_SAML_NOEDADGANG),
        }


login = LoginView.as_view()

# Django's LogoutView accepts POST only, so a link cannot log anyone out.
_lokal_logout = auth_views.LogoutView.as_view()


def logout(request: HttpRequest) -> HttpResponse:
    """Log off; a person logged on through the kommune's login is logged off there too
    (single logout), others as before."""
    if request.method == "POST" and saml_aktiv() and "_saml2_subject_id" in request.saml_session:  # type: ignore[attr-defined]
        return saml_views.log_af(request)
    return _lokal_logout(request)
