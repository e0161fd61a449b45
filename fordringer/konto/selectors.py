"""Reads over the money side. Every tenant read starts from ``.for_user(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from fordringer.choices import Kilde, OmposteringRolle, PosteringArt, Tilknytning
from fordringer.cpr import cpr_normaliser
from fordringer.konto import taellinger as taelling
from fordringer.models import (
    Bevilling,
    Borger,
    Debitorkonto,
    Fordring,
    Parkering,
    Postering,
    Sag,
)
from ky_debitor.models import AuditEvent
from ky_debitor.money import NUL, MoneyField, afrund, fra_oere
from ky_debitor.taellinger import taellinger

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger


def borger_soeg(*, user: Bruger | AnonymousUser, q: str, limit: int = 50) -> QuerySet[Borger]:
    """Find borgere of the user's kommune by CPR (with or without dash) or by part of the name."""
    q = q.strip()
    borgere = Borger.objects.for_user(user)
    if not q:
        return borgere.none()
    digits = q.replace("-", "")
    if digits.isdigit():
        if len(digits) == 10:
            try:
                return borgere.filter(cpr=cpr_normaliser(q))[:limit]
            except Exception:
                return borgere.none()
        return borgere.filter(cpr__startswith=digits)[:limit]
    return borgere.filter(navn__icontains=q)[:limit]


def debitorkonto_for_user(*, user: Bruger | AnonymousUser, pk: int) -> Debitorkonto:
    return (
        Debitorkonto.objects.for_user(user)
        .select_related("borger", "bevilling", "sag", "kommune", "tilknyttet_af", "samlet_i")
        .get(pk=pk)
    )


def fordringer_for_konto(konto: Debitorkonto) -> QuerySet[Fordring]:
    return (
        konto.fordringer.select_related("ydelsestype")
        .annotate(
            parkeret=Sum(
                "posteringer__parkering__beloeb",
                filter=Q(posteringer__parkering__frigivet__isnull=True),
            )
        )
        .order_by("forfaldsdato", "fordringsid")
    )


@dataclass(frozen=True)
class KontoudtogLinje:
    dato: dt.date
    bogfoert: dt.datetime
    fordringsid: str
    art: str
    tekst: str
    beloeb: Decimal
    saldo: Decimal
    parkeret: bool
    tilbagefoert: bool


def kontoudtog(konto: Debitorkonto) -> list[KontoudtogLinje]:
    """The konto's ledger lines in date order with the running balance after each line.

    Seed 004: a dækning moved to or from another borger shows as "Ompostering" on both
    borgeres' kontoudtog; a move within one borger does not show as one - the rolled-back
    entries and their reversals (same value date, summing to zero) are left out, so the
    current dækning is what the borger sees. The audit trail keeps the whole history.
    """
    posteringer = list(
        Postering.objects.filter(fordring__konto=konto)
        .select_related("fordring", "parkering", "tilbagefoert_af", "ompostering_link__ompostering")
        .order_by("valoerdato", "bogfoert", "id")
    )
    skjult: set[int] = set()
    for p in posteringer:
        link = getattr(p, "ompostering_link", None)
        if (
            link is not None
            and p.art == PosteringArt.TILBAGEFOERSEL
            and not link.ompostering.til_anden_borger
        ):
            skjult |= {p.pk, p.tilbagefoerer_id or 0}
    saldo = NUL
    linjer = []
    for p in posteringer:
        if p.pk in skjult:  # a hidden entry and its reversal add up to zero
            continue
        saldo += p.beloeb
        parkering = getattr(p, "parkering", None)
        link = getattr(p, "ompostering_link", None)
        ompostering = (
            link is not None
            and link.ompostering.til_anden_borger
            and link.rolle != OmposteringRolle.RENTE
        )
        linjer.append(
            KontoudtogLinje(
                dato=p.valoerdato,
                bogfoert=p.bogfoert,
                fordringsid=p.fordring.fordringsid,
                art="Ompostering" if ompostering else p.get_art_display(),
                tekst=p.tekst,
                beloeb=p.beloeb,
                saldo=saldo,
                parkeret=parkering is not None and parkering.frigivet is None,
                tilbagefoert=hasattr(p, "tilbagefoert_af") and p.tilbagefoert_af.pk not in skjult,
            )
        )
    return linjer


def restance_fra_ledger(fordring: Fordring) -> Decimal:
    """The restance as the ledger alone says it is (the running total must agree)."""
    total = fordring.posteringer.aggregate(s=Sum("beloeb"))["s"]
    # SQLite sums decimals as floats; the ledger's figure is whole øre.
    return afrund(total) if total is not None else NUL


def parkeret_for_konto(konto: Debitorkonto) -> Decimal:
    total = Parkering.objects.filter(konto=konto, frigivet__isnull=True).aggregate(s=Sum("beloeb"))[
        "s"
    ]
    return total if total is not None else NUL


# --- Screens: overview, borger and konto pages ------------------------------------------------


@dataclass(frozen=True)
class Noegletal:
    """The key figures of a kommune's KMD Aktiv conversion, shown on the start page."""

    konti_i_alt: int
    konti_tilknyttet: int
    konti_ikke_tilknyttet: int
    parkeret_antal: int
    parkeret_beloeb: Decimal
    restance: Decimal


def kommune_noegletal(*, user: Bruger | AnonymousUser) -> Noegletal:
    """Counts of the user's kommune's KMD Aktiv konti, its parked dækninger and afskrivninger
    and the restance of its KMD Aktiv fordringer: the figures the writes keep
    (``fordringer.konto.taellinger``), one small query whatever the kommune's size."""
    tal = taellinger(user)

    def vaerdi(noegle: str) -> int:
        return tal.get((noegle, 0), 0)

    i_alt, tilknyttet = vaerdi(taelling.KONTI_KMD), vaerdi(taelling.KONTI_TILKNYTTET)
    return Noegletal(
        konti_i_alt=i_alt,
        konti_tilknyttet=tilknyttet,
        konti_ikke_tilknyttet=i_alt - tilknyttet,
        parkeret_antal=vaerdi(taelling.PARKERET_ANTAL),
        parkeret_beloeb=fra_oere(vaerdi(taelling.PARKERET_OERE)),
        restance=fra_oere(vaerdi(taelling.RESTANCE_KMD_OERE)),
    )


def kommune_noegletal_optalt(*, user: Bruger | AnonymousUser) -> Noegletal:
    """The same figures counted from the tables (a scan of every konto, claim and parkering):
    the reference ``manage.py taellinger --kontroller`` and the tests hold the kept ones to."""
    konti = Debitorkonto.objects.for_user(user).filter(kilde=Kilde.KMD_AKTIV)
    antal = konti.aggregate(
        i_alt=Count("pk"),
        tilknyttet=Count("pk", filter=~Q(tilknytning=Tilknytning.INGEN)),
    )
    parkeret = (
        Parkering.objects.for_user(user)
        .filter(frigivet__isnull=True)
        .aggregate(antal=Count("pk"), beloeb=Sum("beloeb"))
    )
    restance = (
        Fordring.objects.for_user(user)
        .filter(konto__kilde=Kilde.KMD_AKTIV)
        .aggregate(s=Sum("restance"))["s"]
    )
    return Noegletal(
        konti_i_alt=antal["i_alt"],
        konti_tilknyttet=antal["tilknyttet"],
        konti_ikke_tilknyttet=antal["i_alt"] - antal["tilknyttet"],
        parkeret_antal=parkeret["antal"],
        # SQLite sums decimals as floats: rounded to the øre as the kept figures are exact.
        parkeret_beloeb=afrund(parkeret["beloeb"] or NUL),
        restance=afrund(restance or NUL),
    )


def borger_for_user(*, user: Bruger | AnonymousUser, pk: int) -> Borger:
    """One borger of the user's kommune (``Borger.DoesNotExist`` for anyone else's)."""
    return Borger.objects.for_user(user).select_related("kommune").get(pk=pk)


def debitorkonti_for_borger(
    *, user: Bruger | AnonymousUser, borger: Borger
) -> QuerySet[Debitorkonto]:
    """The borger's konti with their restance and unreleased parked amount."""
    restance = (
        Fordring.objects.filter(konto=OuterRef("pk"))
        .values("konto")
        .annotate(s=Sum("restance"))
        .values("s")
    )
    parkeret = (
        Parkering.objects.filter(konto=OuterRef("pk"), frigivet__isnull=True)
        .values("konto")
        .annotate(s=Sum("beloeb"))
        .values("s")
    )
    return (
        Debitorkonto.objects.for_user(user)
        .filter(borger=borger)
        .select_related("sag", "bevilling")
        .annotate(
            restance_i_alt=Coalesce(Subquery(restance), NUL, output_field=MoneyField()),
            parkeret_i_alt=Coalesce(Subquery(parkeret), NUL, output_field=MoneyField()),
        )
        .order_by("kontonummer")
    )


def bevillinger_for_borger(*, user: Bruger | AnonymousUser, borger: Borger) -> QuerySet[Bevilling]:
    return (
        Bevilling.objects.for_user(user)
        .filter(borger=borger)
        .select_related("sag")
        .order_by("periode_fra", "bevillingsnummer")
    )


def sager_for_borger(*, user: Bruger | AnonymousUser, borger: Borger) -> QuerySet[Sag]:
    return (
        Sag.objects.for_user(user)
        .filter(borger=borger)
        .select_related("ydelsestype")
        .order_by("sagsnummer")
    )


@dataclass(frozen=True)
class KontoTotaler:
    hovedstol: Decimal
    restance: Decimal
    parkeret: Decimal


def konto_totaler(konto: Debitorkonto) -> KontoTotaler:
    """Totals of the konto's fordringer and of its unreleased parked dækninger/afskrivninger."""
    totaler = konto.fordringer.aggregate(hovedstol=Sum("hovedstol"), restance=Sum("restance"))
    return KontoTotaler(
        hovedstol=totaler["hovedstol"] if totaler["hovedstol"] is not None else NUL,
        restance=totaler["restance"] if totaler["restance"] is not None else NUL,
        parkeret=parkeret_for_konto(konto),
    )


def audit_for_konto(konto: Debitorkonto) -> QuerySet[AuditEvent]:
    """The audit trail of a konto and of all its fordringer, newest first.

    The claims' ids are read first and handed over as values, so PostgreSQL looks each up in
    the (objekt_type, objekt_id) index; as a subquery it read every claim's audit event of the
    kommune (11,470 of them in the bench kommune: 13 ms a konto page)."""
    fordring_ider = [
        str(pk) for pk in Fordring.objects.filter(konto=konto).values_list("pk", flat=True)
    ]
    return (
        AuditEvent.objects.filter(kommune_id=konto.kommune_id)
        .filter(
            Q(objekt_type=Debitorkonto._meta.label_lower, objekt_id=str(konto.pk))
            | Q(objekt_type=Fordring._meta.label_lower, objekt_id__in=fordring_ider)
        )
        .select_related("bruger")
        .order_by("-tidspunkt", "-id")
    )


@dataclass(frozen=True)
class BorgerTraef:
    """One row of the borger search: the borger and how many of their konti are unlinked.

    ``konto`` is set when the search found the borger by a kontonummer or a fordrings-ID:
    the konto it names, and ``fundet_paa`` says which (in Danish)."""

    borger: Borger
    konti: int
    ikke_tilknyttet: int
    konto: Debitorkonto | None = None
    fundet_paa: str = ""


def konto_soeg(*, user: Bruger | AnonymousUser, q: str) -> list[tuple[Debitorkonto, str]]:
    """The user's kommune's konto with kontonummer ``q`` and the konto of the claim with
    fordrings-ID ``q`` (exact, after trimming), each with how it was found, in Danish."""
    q = q.strip()
    if not q:
        return []
    konti = Debitorkonto.objects.for_user(user).select_related("borger")
    traef = [(k, f"Kontonummer {k.kontonummer}") for k in konti.filter(kontonummer=q)[:1]]
    fordring = (
        Fordring.objects.for_user(user)
        .filter(fordringsid=q)
        .select_related("konto__borger")
        .first()
    )
    if fordring is not None:
        traef.append((fordring.konto, f"Fordrings-ID {fordring.fordringsid}"))
    return traef


def borger_soeg_med_konti(
    *, user: Bruger | AnonymousUser, q: str, limit: int = 50
) -> list[BorgerTraef]:
    """``borger_soeg`` with each borger's number of konti and of unlinked KMD Aktiv konti,
    so a caseworker can tell two people of the same name apart. A kontonummer or fordrings-ID
    finds its konto's borger too; those hits come first (four queries in all)."""
    via_konto = konto_soeg(user=user, q=q)
    borgere = [k.borger for k, _ in via_konto] + list(borger_soeg(user=user, q=q, limit=limit))
    antal = {
        raekke["borger"]: raekke
        for raekke in Debitorkonto.objects.for_user(user)
        .filter(borger__in=borgere)
        .values("borger")
        .annotate(
            konti=Count("pk"),
            ikke_tilknyttet=Count(
                "pk", filter=Q(kilde=Kilde.KMD_AKTIV, tilknytning=Tilknytning.INGEN)
            ),
        )
    }

    def traef(borger: Borger, konto: Debitorkonto | None = None, fundet: str = "") -> BorgerTraef:
        return BorgerTraef(
            borger=borger,
            konti=antal.get(borger.pk, {}).get("konti", 0),
            ikke_tilknyttet=antal.get(borger.pk, {}).get("ikke_tilknyttet", 0),
            konto=konto,
            fundet_paa=fundet,
        )

    fundne = [traef(k.borger, k, fundet) for k, fundet in via_konto]
    return fundne + [traef(b) for b in borgere[len(via_konto) :]][: limit - len(fundne)]
