"""Login lock-out: after ``KY_LOGIN_FORSOEG`` failed logins a username is locked.

django-axes counts the failures and refuses a login — even with the right password — while the
lock lasts (``KY_LOGIN_SPAERRING_MINUTTER``). This module gives the lock its Danish face (the
login page with a message, status 429), writes every lock-out to the audit trail, and lets Drift
lift a lock for a person of their own kommune (the Bruger admin), audited too.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .audit import audit_log, audit_rows_create
from .logmaskering import cpr_masker
from .models import Bruger
from .omdirigering import sikker_tilbage
from .views import LoginForm


def spaerring_minutter() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def spaerret_svar(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, unbound, with the message that the account is locked."""
    return render(
        request,
        "registration/login.html",
        {
            "form": LoginForm(request),
            "next": sikker_tilbage(request, request.POST.get("next"), ""),
            "spaerret": True,
            "forsoeg": settings.AXES_FAILURE_LIMIT,
            "minutter": spaerring_minutter(),
        },
        status=429,
    )


def spaerring_audit(
    sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **_: Any
) -> None:
    """Audit a lock-out (and every refused try while it lasts): django-axes' signal."""
    brugernavn = username or ""
    beskrivelse = (
        f"Login spærret i {spaerring_minutter()} minutter efter "
        f"{settings.AXES_FAILURE_LIMIT} mislykkede forsøg."
    )
    bruger = Bruger.objects.filter(username=brugernavn).first()
    if bruger is not None:
        audit_log(
            user=None,
            system="login",
            kommune_id=bruger.kommune_id,
            handling="login.spaerret",
            objekt=bruger,
            beskrivelse=f"Bruger '{bruger}': {beskrivelse}",
            data={"ip": ip_address},
        )
        return
    audit_rows_create(
        [
            {
                "user": None,
                "system": "login",
                "kommune_id": None,
                "handling": "login.spaerret",
                "objekt_type": Bruger._meta.label_lower,
                "objekt_id": "",
                "beskrivelse": f"Ukendt brugernavn: {beskrivelse}",
                "data": {"brugernavn": cpr_masker(brugernavn[:150]), "ip": ip_address},
            }
        ]
    )


def spaerringer() -> QuerySet[AccessAttempt]:
    """django-axes' rows of the usernames that are locked out right now."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )


def bruger_login_spaerring_ophaev(*, user: Any, bruger: Bruger) -> bool:
    """Lift ``bruger``'s lock-out (and forget the failed tries); audited. False if none."""
    with transaction.atomic():
        ophaevet = axes_reset(username=bruger.get_username()) > 0
        if ophaevet:
            audit_log(
                user=user,
                kommune_id=bruger.kommune_id,
                handling="login.spaerring_ophaevet",
                objekt=bruger,
                beskrivelse=f"Login-spærring for bruger '{bruger}' ophævet i administrationen.",
            )
    return ophaevet
