"""Reads over the money side. Every tenant read starts from ``.for_user(user)``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from ky_debitor.money import NUL

from .cpr import cpr_normaliser
from .models import (
    Borger,
    Debitorkonto,
    Fordring,
    LL8ODaekning,
    Parkering,
    Postering,
    Ydelseskode,
    Ydelsestype,
)


def ydelsestype_for_kode(kode: str) -> Ydelsestype | None:
    """The ydelsestype a KMD Aktiv benefit code maps to, or None for an unknown/empty code."""
    kode = (kode or "").strip().upper()
    if not kode:
        return None
    match = Ydelseskode.objects.select_related("ydelsestype").filter(kode=kode).first()
    return match.ydelsestype if match else None


def ydelseskode_tabel() -> dict[str, int]:
    """The whole code → ydelsestype id table (it has a dozen rows), for bulk work."""
    return dict(Ydelseskode.objects.values_list("kode", "ydelsestype_id"))


def ll8o_omfatter(*, ydelsestype_id: int, indkomstaar: int) -> bool:
    """Does LL § 8 O cover a repayment of this ydelsestype in this income year (DESIGN §7)?"""
    return LL8ODaekning.objects.filter(
        Q(til_indkomstaar__isnull=True) | Q(til_indkomstaar__gte=indkomstaar),
        ydelsestype_id=ydelsestype_id,
        fra_indkomstaar__lte=indkomstaar,
    ).exists()


def borger_soeg(*, user: Any, q: str, limit: int = 50) -> QuerySet[Borger]:
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


def debitorkonto_for_user(*, user: Any, pk: int) -> Debitorkonto:
    return (
        Debitorkonto.objects.for_user(user)
        .select_related("borger", "bevilling", "sag", "kommune", "tilknyttet_af")
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
    """The konto's ledger lines in date order with the running balance after each line."""
    posteringer = (
        Postering.objects.filter(fordring__konto=konto)
        .select_related("fordring", "parkering", "tilbagefoert_af")
        .order_by("valoerdato", "bogfoert", "id")
    )
    saldo = NUL
    linjer = []
    for p in posteringer:
        saldo += p.beloeb
        parkering = getattr(p, "parkering", None)
        linjer.append(
            KontoudtogLinje(
                dato=p.valoerdato,
                bogfoert=p.bogfoert,
                fordringsid=p.fordring.fordringsid,
                art=p.get_art_display(),
                tekst=p.tekst,
                beloeb=p.beloeb,
                saldo=saldo,
                parkeret=parkering is not None and parkering.frigivet is None,
                tilbagefoert=hasattr(p, "tilbagefoert_af"),
            )
        )
    return linjer


def restance_fra_ledger(fordring: Fordring) -> Decimal:
    """The restance as the ledger alone says it is (the running total must agree)."""
    total = fordring.posteringer.aggregate(s=Sum("beloeb"))["s"]
    return total if total is not None else NUL


def parkeret_for_konto(konto: Debitorkonto) -> Decimal:
    total = Parkering.objects.filter(konto=konto, frigivet__isnull=True).aggregate(s=Sum("beloeb"))[
        "s"
    ]
    return total if total is not None else NUL
