"""A login through the kommune's identity provider: the person created or updated just in
time, their roles replaced by what the assertion grants, all audited (issue #21).

The assertion's signature, audience, recipient, times and request have been checked by pysaml2
before ``saml_login`` is called; here the content decides:

1. the assertion is refused if it has logged someone on before (``BrugtAssertion``);
2. the privilege groups (``privilegier``) give roles by the ``Rolleprivilegium`` rows of the
   kommune named by each group's kommune constraint (``KY_SAML_KOMMUNE_AFGRAENSNING``); a
   group without it gives only national roles (the national administrator);
3. no role → refused (``IngenRolle``), nothing stored; roles in more than one kommune →
   refused, as a person belongs to one kommune here;
4. the person (found by NameID) is created or updated: name, e-mail, kommune, admin access,
   the other data constraints (stored, not enforced: docs/adr/0010), and their roles set to
   exactly those granted. Roles given and taken away are audited by ``rolletildeling``; the
   login itself is audited with the privileges and constraints it came with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from saml2.saml import NameID

from ..audit import audit_log
from ..errors import ApplicationError
from ..models import Bruger, BrugtAssertion, Kommune, Rolleprivilegium
from ..roles import Rolle
from ..rolletildeling import tildeler
from .privilegier import Privilegiegruppe, privilegier_laes

# The roles whose work includes admin screens (runs, API keys, by-hand amounts, national tables).
ADMIN_ROLLER = frozenset({Rolle.DRIFT, Rolle.PROJEKTLEDER, Rolle.BOGHOLDER, Rolle.NATIONAL})
AKTOER = "Fælleskommunal Adgangsstyring"

# Attributes read for the person's name and e-mail (pysaml2's friendly names, else the URIs).
NAVNEATTRIBUTTER = {
    "cn": ("cn", "urn:oid:2.5.4.3"),
    "fornavn": ("givenName", "urn:oid:2.5.4.42"),
    "efternavn": ("sn", "surname", "urn:oid:2.5.4.4"),
    "email": ("mail", "email", "urn:oid:0.9.2342.19200300.100.1.3"),
}


class SamlAfvist(ApplicationError):
    """The assertion was valid, but gives no login here; ``message`` is shown to the person."""


class IngenRolle(SamlAfvist):
    """The person is known at the kommune, but no privilege of theirs maps to a role here."""


@dataclass(frozen=True)
class Adgang:
    """What an assertion grants: one kommune (None: national) and the roles there."""

    kommune: Kommune | None
    roller: frozenset[Rolle]
    privilegier: tuple[str, ...]
    dataafgraensninger: tuple[dict[str, Any], ...]


def _kommunekoder(gruppe: Privilegiegruppe) -> list[int]:
    koder = []
    for vaerdi in gruppe.afgraensninger.get(settings.KY_SAML_KOMMUNE_AFGRAENSNING, ()):
        try:
            koder.append(int(vaerdi.strip()))
        except ValueError:
            continue  # not a kommunekode: this group grants nothing in a kommune
    return koder


def adgang_udled(*, grupper: list[Privilegiegruppe]) -> Adgang:
    """The kommune and roles the privilege groups grant (steps 2 and 3 of the module)."""
    alle = {p for g in grupper for p in g.privilegier}
    raekker = list(Rolleprivilegium.objects.filter(privilegium__in=alle).select_related("kommune"))
    tildelt: set[tuple[int | None, Rolle]] = set()
    for gruppe in grupper:
        koder = _kommunekoder(gruppe)
        for r in raekker:
            if r.privilegium not in gruppe.privilegier:
                continue
            if r.kommune is None and not koder:
                tildelt.add((None, Rolle(r.rolle)))
            elif r.kommune is not None and r.kommune.kode in koder:
                tildelt.add((r.kommune.kode, Rolle(r.rolle)))
    if not tildelt:
        raise IngenRolle(
            "Dit login fra kommunen giver ingen rolle i KY Debitor, så du er ikke logget på."
        )
    kommuner = {kode for kode, _ in tildelt}
    if len(kommuner) > 1:
        raise SamlAfvist(
            "Dit login giver roller i flere kommuner (eller både nationalt og i en kommune). "
            "En bruger af KY Debitor hører til én kommune; bed din administrator om at "
            "begrænse dine jobfunktionsroller, eller brug et login pr. kommune."
        )
    (kode,) = kommuner
    kommune = Kommune.objects.get(kode=kode) if kode is not None else None
    oevrige = tuple(
        {"privilegier": list(g.privilegier), "navn": navn, "vaerdier": list(vaerdier)}
        for g in grupper
        for navn, vaerdier in sorted(g.afgraensninger.items())
        if navn != settings.KY_SAML_KOMMUNE_AFGRAENSNING
        and any(p in {r.privilegium for r in raekker} for p in g.privilegier)
    )
    return Adgang(
        kommune=kommune,
        roller=frozenset(r for _, r in tildelt),
        privilegier=tuple(sorted(alle)),
        dataafgraensninger=oevrige,
    )


def _attribut(ava: dict[str, list[str]], navne: tuple[str, ...]) -> str:
    for navn in navne:
        if ava.get(navn):
            return str(ava[navn][0]).strip()
    return ""


def _brugernavn(name_id: str) -> str:
    """The NameID itself when it fits and is no local account's name, else a stable hash."""
    if len(name_id) <= 150 and not Bruger.objects.filter(username=name_id).exists():
        return name_id
    return "saml-" + hashlib.sha256(name_id.encode()).hexdigest()[:32]


def _assertion_brug(assertion_info: dict[str, Any]) -> None:
    """Record the assertion as used; refuse one that was used before (replay)."""
    assertion_id = str(assertion_info.get("assertion_id") or "")
    if not assertion_id:
        raise SamlAfvist("Svaret fra kommunens login mangler en assertion. Prøv igen.")
    nu = timezone.now()
    udloeber = nu + dt.timedelta(hours=1)
    if slut := assertion_info.get("not_on_or_after"):
        udloeber = dt.datetime.fromisoformat(str(slut).replace("Z", "+00:00"))
    udloeber += dt.timedelta(seconds=int(settings.KY_SAML_TIDSAFVIGELSE))
    BrugtAssertion.objects.filter(udloeber__lt=nu).delete()
    try:
        with transaction.atomic():
            BrugtAssertion.objects.create(assertion_id=assertion_id, udloeber=udloeber)
    except IntegrityError as fejl:
        raise SamlAfvist(
            "Svaret fra kommunens login er allerede brugt en gang. Log på igen fra start."
        ) from fejl


def saml_login(*, session_info: dict[str, Any], assertion_info: dict[str, Any]) -> Bruger:
    """The person a checked assertion logs on, created or updated; roles replaced; audited.

    Raises ``SamlAfvist`` (``IngenRolle`` when no role is granted); nothing is then stored."""
    try:
        return _saml_login(session_info=session_info, assertion_info=assertion_info)
    except IntegrityError as fejl:
        # The same person's first login twice at once: one of them made the person first.
        raise SamlAfvist(
            "Du blev logget på to steder på samme tid, og det ene login blev afvist. Prøv igen."
        ) from fejl


def _saml_login(*, session_info: dict[str, Any], assertion_info: dict[str, Any]) -> Bruger:
    name_id = session_info.get("name_id")
    tekst = (name_id.text if isinstance(name_id, NameID) else str(name_id or "")).strip()
    if not tekst:
        raise SamlAfvist("Svaret fra kommunens login siger ikke, hvem du er (NameID mangler).")
    ava: dict[str, list[str]] = session_info.get("ava") or {}
    grupper = privilegier_laes(list(ava.get(settings.KY_SAML_PRIVILEGIE_ATTRIBUT, [])))

    with transaction.atomic():
        adgang = adgang_udled(grupper=grupper)
        _assertion_brug(assertion_info)
        bruger = Bruger.objects.select_for_update().filter(saml_name_id=tekst).first()
        ny = bruger is None
        if bruger is None:
            bruger = Bruger(username=_brugernavn(tekst), saml_name_id=tekst)
            bruger.set_unusable_password()
        elif not bruger.is_active:
            raise SamlAfvist("Din bruger i KY Debitor er spærret. Kontakt Drift i din kommune.")
        fornavn = _attribut(ava, NAVNEATTRIBUTTER["fornavn"])
        efternavn = _attribut(ava, NAVNEATTRIBUTTER["efternavn"])
        if not fornavn and (cn := _attribut(ava, NAVNEATTRIBUTTER["cn"])):
            fornavn, _, efternavn = cn.rpartition(" ") if " " in cn else (cn, "", "")
        bruger.first_name, bruger.last_name = fornavn[:150], efternavn[:150]
        bruger.email = _attribut(ava, NAVNEATTRIBUTTER["email"])[:254]
        bruger.kommune = adgang.kommune
        bruger.is_staff = bool(adgang.roller & ADMIN_ROLLER)
        bruger.dataafgraensninger = list(adgang.dataafgraensninger)
        bruger.save()

        foer = sorted(bruger.groups.values_list("name", flat=True)) if not ny else []
        efter = sorted(r.value for r in adgang.roller)
        with tildeler(None):
            bruger.groups.set(Group.objects.filter(name__in=efter))
        if hasattr(bruger, "_ky_roller"):
            del bruger._ky_roller
        kommune_tekst = str(adgang.kommune) if adgang.kommune else "national"
        audit_log(
            user=bruger,
            kommune_id=bruger.kommune_id,
            handling="login.saml",
            objekt=bruger,
            beskrivelse=(
                f"{bruger.get_username()} logget på via {AKTOER} ({kommune_tekst}) med "
                f"rollerne {', '.join(efter)}" + (" (bruger oprettet)." if ny else ".")
            ),
            data={
                "roller_foer": foer,
                "roller": efter,
                "kommune": adgang.kommune.kode if adgang.kommune else None,
                "privilegier": list(adgang.privilegier),
                "dataafgraensninger": list(adgang.dataafgraensninger),
                "assertion_id": str(assertion_info.get("assertion_id") or ""),
                "oprettet": ny,
            },
        )
    return bruger
