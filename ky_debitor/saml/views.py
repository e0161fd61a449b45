"""The SAML endpoints (djangosaml2's views, answering only when SAML is configured) and the
Danish pages of a refused login.

The addresses are stable and are what a kommune registers at Fælleskommunal Adgangsstyring:
``/saml/metadata/`` (our metadata and entity id), ``/saml/acs/`` (assertions, HTTP-POST) and
``/saml/ls/`` (single logout). ``/saml/log-paa/`` sends the person to the IdP with a signed
AuthnRequest (HTTP-Redirect).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from djangosaml2 import views as saml_views
from saml2.response import (
    SignatureError,
    StatusError,
    StatusInvalidAuthnResponseStatement,
    UnsolicitedResponse,
)
from saml2.validate import ResponseLifetimeExceed, ToEarly

from .konfiguration import saml_aktiv
from .services import IngenRolle, SamlAfvist

logger = logging.getLogger(__name__)

IKKE_SAT_OP = "Log på via kommunens login (SAML) er ikke sat op."
UGODTAGET = "Svaret fra kommunens login kunne ikke godtages (forkert modtager eller indhold)."


def _fejltekst(exception: Any) -> str:
    """The Danish sentence for why pysaml2 refused an answer from the IdP."""
    if isinstance(exception, ResponseLifetimeExceed | ToEarly):
        return (
            "Svaret fra kommunens login er udløbet eller endnu ikke gyldigt. Kontrollér, at "
            "computerens ur går rigtigt, og log på igen."
        )
    if isinstance(exception, SignatureError):
        return "Svaret fra kommunens login er ikke underskrevet korrekt og kan ikke godtages."
    if isinstance(exception, UnsolicitedResponse):
        return (
            "Svaret fra kommunens login hører ikke til et login, der er startet her, eller det "
            "er brugt før. Log på igen fra start."
        )
    if isinstance(exception, StatusInvalidAuthnResponseStatement):
        return UGODTAGET
    if isinstance(exception, StatusError):
        return "Kommunens login afviste at logge dig på."
    if isinstance(exception, SamlAfvist):
        return exception.message
    return UGODTAGET


def login_fejl(
    request: HttpRequest, exception: Any = None, status: int = 403, **kwargs: Any
) -> HttpResponse:
    """``SAML_ACS_FAILURE_RESPONSE_FUNCTION``: a refused answer, with no session."""
    logger.warning("SAML-login afvist: %s", type(exception).__name__)
    return render(
        request,
        "registration/saml_fejl.html",
        {"overskrift": "Du blev ikke logget på", "fejl": _fejltekst(exception)},
        status=403,
    )


class _KunMedSaml:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not saml_aktiv():
            raise Http404(IKKE_SAT_OP)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class Metadata(_KunMedSaml, saml_views.MetadataView):
    pass


class Login(_KunMedSaml, saml_views.LoginView):
    pass


# The IdP posts from its own site, so no CSRF token: the signed answer to our own request is
# the proof (djangosaml2 exempts its own dispatch; ours, in front of it, must say so too).
@method_decorator(csrf_exempt, name="dispatch")
class Acs(_KunMedSaml, saml_views.AssertionConsumerServiceView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except IngenRolle as fejl:
            return render(
                request,
                "registration/saml_fejl.html",
                {
                    "overskrift": "Du har ingen adgang til KY Debitor",
                    "fejl": fejl.message,
                    "ingen_rolle": True,
                },
                status=403,
            )
        except (SamlAfvist, StatusInvalidAuthnResponseStatement) as fejl:
            # The latter: pysaml2 dropped the assertion (a wrong recipient or destination) and
            # says so only when djangosaml2 asks for its content, outside its own error handling.
            return login_fejl(request, fejl)


@method_decorator(csrf_exempt, name="dispatch")
class Ls(_KunMedSaml, saml_views.LogoutView):
    pass


class LogAf(_KunMedSaml, saml_views.LogoutInitView):
    """Single logout started here: by POST from the header's "Log af" (never by a link)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        svar = super().get(request, *args, **kwargs)
        if svar.status_code >= 400:
            # Logged off here already; the IdP could not be told (its session is unknown).
            logger.warning("Single logout kunne ikke sendes til IdP (status %s).", svar.status_code)
            return self._til_login()
        return svar

    def handle_unsupported_slo_exception(
        self, request: HttpRequest, exception: Any, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return self._til_login()

    def _til_login(self) -> HttpResponse:
        return HttpResponseRedirect(resolve_url(settings.LOGOUT_REDIRECT_URL))


metadata = Metadata.as_view()
login = Login.as_view()
acs = Acs.as_view()
ls = Ls.as_view()
log_af = LogAf.as_view()
