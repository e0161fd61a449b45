"""API tokens for systems: made and revoked by Drift in the admin, checked on every request.

A token reads ``ky_<præfiks>_<hemmelighed>`` and is sent as ``Authorization: Bearer <token>``.
Only the SHA-256 of the whole token is stored; the token itself is shown once, when it is made.

A token acts as its holder (``indehaver``): the person who made it, or the person a platform
operator made it for. A request with it has the roles the key's role and the holder's current
roles have in common, so a key never exceeds its holder, and a holder who loses a role loses it
on their keys too. Four eyes therefore compare persons whatever the channel (``fysisk_person``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .audit import audit_log
from .errors import ApplicationError
from .models import ApiNoegle, Bruger, Kommune
from .roles import Rolle
from .rolletildeling import rolle_tildeling_tjek

PRAEFIKS = "ky"
NAVN_MAKS = 100


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _er_person(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def fysisk_person(user: Any) -> Any:
    """The natural person behind ``user``.

    A request with a key already acts as the key's holder. The own user of a key made before
    keys had holders stands for that key's holder; anyone else is themselves."""
    if not getattr(user, "pk", None):
        return user
    gammel = (
        ApiNoegle.objects.filter(bruger_id=user.pk, indehaver__isnull=False)
        .select_related("indehaver")
        .first()
    )
    return gammel.indehaver if gammel is not None else user


def samme_person(a: Any, b: Any) -> bool:
    """Do ``a`` and ``b`` (users, or requests' users) stand for the same natural person?"""
    pk_a, pk_b = getattr(fysisk_person(a), "pk", None), getattr(fysisk_person(b), "pk", None)
    return pk_a is not None and pk_a == pk_b


def api_noegle_valider(
    *, user: Any, kommune: Kommune, rolle: Rolle | str, indehaver: Any = None
) -> tuple[Rolle, Bruger]:
    """Check that ``user`` may make a key of ``kommune`` with ``rolle`` held by ``indehaver``
    (default: ``user``); the role and the holder, or ``ApplicationError``."""
    try:
        rolle = Rolle(rolle)
    except ValueError as exc:
        raise ApplicationError(f"Ukendt rolle '{rolle}'.") from exc
    indehaver = indehaver if indehaver is not None else user
    platform = getattr(user, "is_superuser", False) or not _er_person(user)
    if not platform and getattr(indehaver, "pk", None) != user.pk:
        raise ApplicationError(
            "Du kan kun oprette API-nøgler, som du selv er indehaver af: nøglen handler på "
            "vegne af den, der opretter den."
        )
    if not isinstance(indehaver, Bruger) or indehaver.is_superuser:
        raise ApplicationError("Vælg den person i kommunen, som nøglen skal handle på vegne af.")
    if not indehaver.is_active or ApiNoegle.objects.filter(bruger_id=indehaver.pk).exists():
        raise ApplicationError(f"{indehaver.get_username()} er ikke en aktiv person.")
    if indehaver.kommune_id != kommune.pk:
        raise ApplicationError(
            f"Nøglens indehaver ({indehaver.get_username()}) hører ikke til kommunen {kommune}."
        )
    rolle_tildeling_tjek(user, [rolle.value])
    if not indehaver.groups.filter(name=rolle.value).exists():
        raise ApplicationError(
            f"{indehaver.get_username()} har ikke rollen {rolle.value}, og en nøgle kan ikke "
            "have en rolle, dens indehaver ikke selv har."
        )
    return rolle, indehaver


@transaction.atomic
def api_noegle_opret(
    *, user: Any, kommune: Kommune, rolle: Rolle | str, navn: str, indehaver: Any = None
) -> tuple[ApiNoegle, str]:
    """Make a token of ``kommune`` with ``rolle`` that acts as ``indehaver`` (default: the
    maker; only a platform operator names another person). The maker grants only a role they
    hold themselves, and the holder must hold it too (``api_noegle_valider``).

    Returns the token row and the token itself, which is never stored and must be shown now.
    """
    navn = navn.strip()
    if not navn:
        raise ApplicationError("Giv nøglen et navn, så man kan se, hvilket system der bruger den.")
    if len(navn) > NAVN_MAKS:
        raise ApplicationError(f"Navnet må højst være {NAVN_MAKS} tegn.")
    rolle, indehaver = api_noegle_valider(
        user=user, kommune=kommune, rolle=rolle, indehaver=indehaver
    )
    praefiks = secrets.token_hex(4)
    token = f"{PRAEFIKS}_{praefiks}_{secrets.token_urlsafe(32)}"
    noegle = ApiNoegle.objects.create(
        navn=navn,
        kommune=kommune,
        rolle=rolle.value,
        indehaver=indehaver,
        praefiks=praefiks,
        hash=_hash(token),
        oprettet_af=user if getattr(user, "pk", None) else None,
    )
    giver = user.get_username() if _er_person(user) else "system"
    audit_log(
        user=user,
        kommune_id=kommune.pk,
        handling="api_noegle.opret",
        objekt=noegle,
        beskrivelse=(
            f"{giver} gav API-nøglen '{navn}' rollen {rolle.value}; den handler på vegne af "
            f"{indehaver.get_username()}."
        ),
        data={
            "rolle": rolle.value,
            "indehaver_id": indehaver.pk,
            "indehaver": indehaver.get_username(),
            "praefiks": praefiks,
        },
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
        ApiNoegle.objects.select_related("indehaver")
        .filter(praefiks=dele[1], tilbagekaldt__isnull=True)
        .first()
    )
    if noegle is None or not hmac.compare_digest(noegle.hash, _hash(token)):
        return None
    return noegle


class ApiNoegleAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer ky_…``: the request acts as the token's holder, with the roles
    the key's role and the holder's current roles have in common."""

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
        if noegle is None:
            raise exceptions.AuthenticationFailed("API-nøglen er ukendt eller tilbagekaldt.")
        person = noegle.indehaver
        if (
            person is None
            or not person.is_active
            or person.is_superuser
            or person.kommune_id != noegle.kommune_id
        ):
            raise exceptions.AuthenticationFailed(
                "API-nøglens indehaver er ikke længere en aktiv person i nøglens kommune."
            )
        # Read by ``roles.has_role``: never more than the key's role, nor than the holder's.
        person._ky_roller = {noegle.rolle} & set(person.groups.values_list("name", flat=True))
        person.ky_api_noegle = noegle  # named by the audit trail beside the person
        ApiNoegle.objects.filter(pk=noegle.pk).update(sidst_brugt=timezone.now())
        return person, noegle

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
