"""Logging on and off. The screens of the domain live in the apps (``fordringer.konto.views``)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


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


login = auth_views.LoginView.as_view(
    template_name="registration/login.html",
    authentication_form=LoginForm,
    redirect_authenticated_user=True,
)

# Django's LogoutView accepts POST only, so a link cannot log anyone out.
logout = auth_views.LogoutView.as_view()
