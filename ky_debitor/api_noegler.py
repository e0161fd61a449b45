"""API tokens for systems: made and revoked by Drift in the admin, checked on every request.

A token reads ``ky_<præfiks>_<hemmelighed>`` and is sent as ``Authorization: Bearer <token>``.
Only the SHA-256 of the whole token is stored; the token itself is shown once, when it is made.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .audit import audit_log
from .errors import ApplicationError
from .models import ApiNoegle, Bruger, Kommune
from .roles import Rolle

PRAEFIKS = "ky"
NAVN_MAKS = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_noegle_opret(
    *, user: Any, kommune: Kommune, rolle: Rolle | str, navn: str
) -> tuple[ApiNoegle, str]:
    """Make a token and its own user (the role's group, the kommune, no password).

    Returns the token row and the token itself, which is never stored and must be shown now.
    """
    navn = navn.strip()
    if not navn:
        raise ApplicationError("Giv nøglen et navn, så man kan se, hvilket system der bruger den.")
    if len(navn) > NAVN_MAKS:
        raise ApplicationError(f"Navnet må højst være {NAVN_MAKS} tegn.")
    try:
        rolle = Rolle(rolle)
    except ValueError as exc:
        raise ApplicationError(f"Ukendt rolle '{rolle}'.") from exc
    praefiks = secrets.token_hex(4)
    token = f"{PRAEFIKS}_{praefiks}_{secrets.token_urlsafe(32)}"
    bruger = Bruger(
        username=f"api-{kommune.kode}-{praefiks}",
        first_name=navn[:150],
        last_name="(API)",
        kommune=kommune,
    )
    bruger.set_unusable_password()
    bruger.save()
    bruger.groups.set([Group.objects.get(name=rolle.value)])
    noegle = ApiNoegle.objects.create(
        navn=navn,
        kommune=kommune,
        rolle=rolle.value,
        bruger=bruger,
        praefiks=praefiks,
        hash=_hash(token),
        oprettet_af=user if getattr(user, "pk", None) else None,
    )
    audit_log(
        user=user,
        kommune_id=kommune.pk,
        handling="api_noegle.opret",
        objekt=noegle,
        beskrivelse=f"API-nøgle '{navn}' oprettet med rollen {rolle.value}.",
    )
    return noegle, token


@transaction.atomic
def api_noegle_tilbagekald(*, user: Any, noegle_id: int) -> ApiNoegle:
    """Revoke a token of the user's kommune: from now on it authenticates nothing. Revoking
    twice changes nothing. ``ApiNoegle.DoesNotExist`` for another kommune's token."""
    noegle = ApiNoegle.objects.for_user(user).select_for_update().get(pk=noegle_id)
    if noegle.tilbagekaldt is not None:
        return noegle
    noegle.tilbagekaldt, noegle.tilbagekaldt_af = timezone.now(), user
    noegle.save(update_fields=["tilbagekaldt", "tilbagekaldt_af"])
    noegle.bruger.is_active = False
    noegle.bruger.save(update_fields=["is_active"])
    audit_log(
        user=user,
        kommune_id=noegle.kommune_id,
        handling="api_noegle.tilbagekald",
        objekt=noegle,
        beskrivelse=f"API-nøgle '{noegle.navn}' tilbagekaldt.",
    )
    return noegle


def api_noegle_find(token: str) -> ApiNoegle | None:
    """The active token ``token`` names, or None. Compared in constant time."""
    dele = token.split("_", 2)
    if len(dele) != 3 or dele[0] != PRAEFIKS:
        return None
    noegle = (
        ApiNoegle.objects.select_related("bruger")
        .filter(praefiks=dele[1], tilbagekaldt__isnull=True)
        .first()
    )
    if noegle is None or not hmac.compare_digest(noegle.hash, _hash(token)):
        return None
    return noegle


class ApiNoegleAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer ky_…``: the request acts as the token's own user."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Bruger, ApiNoegle] | None:
        dele = authentication.get_authorization_header(request).split()
        if not dele or dele[0].lower() != self.keyword.lower().encode():
            return None
        if len(dele) != 2:
            raise exceptions.AuthenticationFailed("Ugyldig Authorization-header.")
        try:
            token = dele[1].decode("ascii")
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Ugyldig API-nøgle.") from exc
        noegle = api_noegle_find(token)
        if noegle is None or not noegle.bruger.is_active:
            raise exceptions.AuthenticationFailed("API-nøglen er ukendt eller tilbagekaldt.")
        ApiNoegle.objects.filter(pk=noegle.pk).update(sidst_brugt=timezone.now())
        return noegle.bruger, noegle

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiNoegleSchema(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema as an HTTP bearer scheme."""

    target_class = ApiNoegleAuthentication
    name = "apiNoegle"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "API-nøgle (ky_…), oprettet af Drift i administrationen.",
        }
