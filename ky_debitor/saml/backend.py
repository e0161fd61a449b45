"""Django's authentication backends for the two ways in.

``SamlBackend`` logs on the person of an assertion that djangosaml2 and pysaml2 have checked
(``services.saml_login``). ``LokalBackend`` is the username and password of before: with SAML
off, as it was; with SAML on, only for the break-glass Drift account ``KY_SAML_NOEDADGANG``,
and every such login is audited.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from ..audit import audit_log
from ..models import Bruger
from ..roles import Rolle, has_role
from .konfiguration import saml_aktiv
from .services import saml_login


class SamlBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        session_info: dict[str, Any] | None = None,
        assertion_info: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> Bruger | None:
        if session_info is None or not saml_aktiv():
            return None
        return saml_login(session_info=session_info, assertion_info=assertion_info or {})


class LokalBackend(ModelBackend):
    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if not saml_aktiv():
            return super().authenticate(request, username=username, password=password, **kwargs)
        noedadgang = str(settings.KY_SAML_NOEDADGANG)
        if not noedadgang or username != noedadgang:
            return None
        bruger = super().authenticate(request, username=username, password=password, **kwargs)
        if bruger is None or not has_role(bruger, Rolle.DRIFT):
            return None
        audit_log(
            user=bruger,
            kommune_id=bruger.kommune_id,
            handling="login.noedadgang",
            objekt=bruger,
            beskrivelse=(
                f"Nødadgangen '{bruger.get_username()}' logget på med lokal adgangskode, "
                "mens kommunens login (SAML) er slået til."
            ),
            data={"ip": request.META.get("REMOTE_ADDR") if request is not None else None},
        )
        return bruger
