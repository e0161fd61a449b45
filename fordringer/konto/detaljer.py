"""Reads for the detail screens of use case 18.01: a fordring (19.04 Hent Fordring) and an
indbetaling (19.05 Hent Indbetaling).

A caseworker answering "what did my payment cover?" or "why is this claim what it is?" needs the
whole history, not the citizen's tidied kontoudtog: here every entry shows, reversals and the
entries they reverse included, each with the payment it came from and the ompostering that made
it. Every read starts from ``.for_user(user)``, so another kommune's object is not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import QuerySet, Sum

from fordringer.models import (
    Borger,
    Fordring,
    Indbetaling,
    Kundekredit,
    Ompostering,
    Postering,
    Sagsbehandlerfordeling,
)
from ky_debitor.audit import audit_for
from ky_debitor.models import AuditEvent
from ky_debitor.money import NUL, afrund

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger


@dataclass(frozen=True)
class Historiklinje:
    """One ledger entry as the detail screens show it, with the balance after it."""

    postering: Postering
    saldo: Decimal

    @property
    def parkeret(self) -> bool:
        parkering = getattr(self.postering, "parkering", None)
        return parkering is not None and parkering.frigivet is None

    @property
    def tilbagefoert(self) -> bool:
        return hasattr(self.postering, "tilbagefoert_af")

    @property
    def ompostering(self) -> Ompostering | None:
        link = getattr(self.postering, "ompostering_link", None)
        return link.ompostering if link is not None else None


def _med_relationer(posteringer: QuerySet[Postering]) -> QuerySet[Postering]:
    return posteringer.select_related(
        "fordring__konto",
        "indbetaling",
        "parkering",
        "tilbagefoert_af",
        "tilbagefoerer",
        "ompostering_link__ompostering",
    )


# --- 19.04 Hent Fordring --------------------------------------------------------------------


def fordring_for_user(*, user: Bruger | AnonymousUser, pk: int) -> Fordring:
    """One claim of the user's kommune with its konto, borger, sag and bevilling
    (``Fordring.DoesNotExist`` for anyone else's)."""
    return (
        Fordring.objects.for_user(user)
        .select_related(
            "konto__borger", "konto__sag__ydelsestype", "konto__bevilling", "ydelsestype"
        )
        .get(pk=pk)
    )


def fordring_historik(fordring: Fordring) -> list[Historiklinje]:
    """Every entry of the claim in value-date order, with the running balance after each:
    the last balance is the claim's restance as the ledger says it."""
    saldo = NUL
    linjer = []
    for postering in _med_relationer(fordring.posteringer.all()).order_by(
        "valoerdato", "bogfoert", "id"
    ):
        saldo += postering.beloeb
        linjer.append(Historiklinje(postering, saldo))
    return linjer


def fordring_parkeret(fordring: Fordring) -> Decimal:
    """The claim's dækninger and afskrivninger still waiting to be released."""
    total = fordring.posteringer.filter(
        parkering__isnull=False, parkering__frigivet__isnull=True
    ).aggregate(s=Sum("parkering__beloeb"))["s"]
    return afrund(total) if total is not None else NUL


def fordring_audit(fordring: Fordring) -> QuerySet[AuditEvent]:
    """Who did what to the claim, newest first."""
    return audit_for(fordring).filter(kommune_id=fordring.kommune_id).order_by("-tidspunkt", "-id")


# --- 19.05 Hent Indbetaling -----------------------------------------------------------------


def indbetaling_for_user(*, user: Bruger | AnonymousUser, pk: int) -> Indbetaling:
    """One payment of the user's kommune (``Indbetaling.DoesNotExist`` for anyone else's)."""
    return Indbetaling.objects.for_user(user).select_related("borger").get(pk=pk)


@dataclass(frozen=True)
class IndbetalingDaekning:
    """What the payment covered: its entries, and what of it still covers claims."""

    linjer: list[Historiklinje]
    daekker_nu: Decimal  # the payment's dækninger net of their reversals, as a positive amount


def indbetaling_daekning(indbetaling: Indbetaling) -> IndbetalingDaekning:
    """Every entry made from the payment (dækninger and their reversals: a reversal carries
    the payment of the entry it reverses, ``ledger.services``), oldest first. The running
    figure is what of the payment covers claims after each entry."""
    posteringer = _med_relationer(Postering.objects.filter(indbetaling=indbetaling)).order_by(
        "valoerdato", "bogfoert", "id"
    )
    daekker = NUL
    linjer = []
    for postering in posteringer:
        daekker -= postering.beloeb
        linjer.append(Historiklinje(postering, daekker))
    return IndbetalingDaekning(linjer=linjer, daekker_nu=daekker)


def indbetaling_omposteringer(indbetaling: Indbetaling) -> QuerySet[Ompostering]:
    """Every ompostering that moved (or allocated) money of the payment, newest first."""
    return (
        Ompostering.objects.filter(
            posteringer__postering__indbetaling=indbetaling, kommune_id=indbetaling.kommune_id
        )
        .select_related("fra_borger", "til_borger", "oprettet_af")
        .distinct()
        .order_by("-oprettet", "-id")
    )


def indbetaling_sagsbehandlerfordeling(
    indbetaling: Indbetaling,
) -> QuerySet[Sagsbehandlerfordeling]:
    """Amounts of the payment that waited, or wait, for a person to allocate them."""
    return (
        Sagsbehandlerfordeling.objects.filter(
            indbetaling=indbetaling, kommune_id=indbetaling.kommune_id
        )
        .select_related("behandlet_af")
        .order_by("oprettet", "id")
    )


def kredit_paa_kunden(borger: Borger) -> Decimal:
    """What stands on the customer, waiting for the next settlement run (seed 004 b)."""
    total = Kundekredit.objects.filter(
        kommune_id=borger.kommune_id, borger=borger, rest__gt=0
    ).aggregate(s=Sum("rest"))["s"]
    return afrund(total) if total is not None else NUL
