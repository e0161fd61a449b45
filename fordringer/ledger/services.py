"""The ledger: the one way money is booked on a claim (DESIGN §4.2).

``postering_bogfoer`` locks the claim (and the payment), checks the invariants in Python so the
person gets a Danish message, writes the append-only entry and moves the running totals in the
same transaction. The database constraints catch anything that slips past.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from fordringer.choices import DEBET_ARTER, KREDIT_ARTER, PARKERBARE_ARTER, Kilde, PosteringArt
from fordringer.eindkomst.services import eindkomst_afstem
from fordringer.models import Debitorkonto, Fordring, Indbetaling, Parkering, Postering
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError
from ky_debitor.money import NUL, format_beloeb

if TYPE_CHECKING:
    from ky_debitor.models import Bruger


def aktoer_navn(user: Bruger | None, system: str) -> str:
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.get_username())
    return system


def skal_parkeres(*, konto: Debitorkonto, fordring: Fordring, art: str) -> bool:
    """A dækning or afskrivning on a KMD Aktiv claim waits until the konto is linked and the
    claim carries a ydelsestype: only then can KY decide on indtægtsføring and § 8 O."""
    return (
        art in PARKERBARE_ARTER
        and konto.kilde == Kilde.KMD_AKTIV
        and (not konto.er_tilknyttet or fordring.ydelsestype_id is None)
    )


@dataclass(frozen=True)
class _Bogfoering:
    """One entry, checked against the locked claim (and payment), about to be written."""

    fordring: Fordring
    art: PosteringArt
    beloeb: Decimal  # signed: debits raise the restance, credits lower it
    ny_restance: Decimal
    indbetaling: Indbetaling | None
    nyt_daekket: Decimal | None  # the payment's new covered amount, when there is one
    tilbagefoerer: Postering | None


@transaction.atomic
def postering_bogfoer(
    *,
    fordring: Fordring,
    art: PosteringArt | str,
    beloeb: Decimal,
    valoerdato: dt.date,
    user: Bruger | None,
    tekst: str = "",
    begrundelse: str = "",
    indbetaling: Indbetaling | None = None,
    tilbagefoerer: Postering | None = None,
    ekstern_id: str = "",
    system: str = "system",
) -> Postering:
    """Book one ledger entry on ``fordring``.

    ``beloeb`` is given as a positive amount for every kind but ``TILBAGEFOERSEL``; the sign
    follows the kind (debits raise the restance, credits lower it). Refuses, changing nothing:
    a restance below zero, a payment covering more than its amount, a second reversal.
    ``user`` None is the system named by ``system`` (an import, a linking run).
    """
    art = PosteringArt(art)
    if not isinstance(beloeb, Decimal):
        raise ApplicationError("Beløb skal være et decimaltal, ikke et kommatal.")
    plan = _plan_laas(
        fordring=fordring,
        art=art,
        beloeb=beloeb,
        indbetaling=indbetaling,
        tilbagefoerer=tilbagefoerer,
    )
    postering = _skriv(
        plan,
        valoerdato=valoerdato,
        tekst=tekst,
        ekstern_id=ekstern_id,
        aktoer=aktoer_navn(user, system),
    )
    _audit(plan, postering=postering, user=user, begrundelse=begrundelse, system=system)
    return postering


def _plan_laas(
    *,
    fordring: Fordring,
    art: PosteringArt,
    beloeb: Decimal,
    indbetaling: Indbetaling | None,
    tilbagefoerer: Postering | None,
) -> _Bogfoering:
    """Lock the konto, the claim and the payment, and check the entry against them."""
    # Lock order everywhere: konto, then its claims. Linking locks the konto too, so a dækning
    # cannot slip in as parked while the konto is being linked and its parked ones released.
    konto = Debitorkonto.objects.select_for_update().get(pk=fordring.konto_id)
    fordring = Fordring.objects.select_for_update().get(pk=fordring.pk)
    fordring.konto = konto

    if art == PosteringArt.TILBAGEFOERSEL:
        if tilbagefoerer is None:
            raise ApplicationError("En tilbageførsel skal pege på den postering, den tilbagefører.")
        if tilbagefoerer.fordring_id != fordring.pk:
            raise ApplicationError("Tilbageførslen skal ske på samme fordring som posteringen.")
        if Postering.objects.filter(tilbagefoerer=tilbagefoerer).exists():
            raise ApplicationError("Posteringen er allerede tilbageført.")
        signed = -tilbagefoerer.beloeb
        indbetaling = tilbagefoerer.indbetaling
    else:
        if beloeb <= 0:
            raise ApplicationError("Beløbet skal være større end 0,00 kr.")
        signed = beloeb if art in DEBET_ARTER else -beloeb
        assert art in DEBET_ARTER or art in KREDIT_ARTER

    ny_restance = fordring.restance + signed
    if ny_restance < 0:
        raise ApplicationError(
            f"Beløbet {format_beloeb(abs(signed))} kr. overstiger fordringens restance "
            f"{format_beloeb(fordring.restance)} kr."
        )
    nyt_daekket = None
    if indbetaling is not None:
        indbetaling, nyt_daekket = _indbetaling_laas(indbetaling, art=art, signed=signed)
    return _Bogfoering(fordring, art, signed, ny_restance, indbetaling, nyt_daekket, tilbagefoerer)


def _indbetaling_laas(
    indbetaling: Indbetaling, *, art: PosteringArt, signed: Decimal
) -> tuple[Indbetaling, Decimal]:
    """Lock the payment; returns it with what it covers once the entry is booked."""
    if art in DEBET_ARTER:
        raise ApplicationError("Kun dækninger og afskrivninger kan knyttes til en indbetaling.")
    indbetaling = Indbetaling.objects.select_for_update().get(pk=indbetaling.pk)
    # A credit uses the payment (signed < 0); reversing it gives the amount back.
    nyt_daekket = indbetaling.daekket - signed
    if nyt_daekket > indbetaling.beloeb:
        raise ApplicationError(
            f"Indbetalingen {indbetaling.indbetalingsid} har kun "
            f"{format_beloeb(indbetaling.beloeb - indbetaling.daekket)} kr. tilbage "
            "at dække med."
        )
    if nyt_daekket < NUL:
        raise ApplicationError("Indbetalingens dækning kan ikke blive negativ.")
    return indbetaling, nyt_daekket


def _skriv(
    plan: _Bogfoering, *, valoerdato: dt.date, tekst: str, ekstern_id: str, aktoer: str
) -> Postering:
    """The payment's covered amount, the entry, the claim's running total, the parking of a
    dækning or afskrivning that must wait (DESIGN §5) or the release of a reversed one, and
    the eIndkomst lines a booked or reversed dækning calls for."""
    fordring, indbetaling = plan.fordring, plan.indbetaling
    if indbetaling is not None and plan.nyt_daekket is not None:
        indbetaling.daekket = plan.nyt_daekket
        indbetaling.save(update_fields=["daekket"])

    postering = Postering.objects.create(
        kommune_id=fordring.kommune_id,
        fordring=fordring,
        art=plan.art,
        beloeb=plan.beloeb,
        valoerdato=valoerdato,
        indbetaling=indbetaling,
        tilbagefoerer=plan.tilbagefoerer,
        ekstern_id=ekstern_id,
        tekst=tekst[:255],
        aktoer=aktoer,
    )
    fordring.restance = plan.ny_restance
    fordring.save(update_fields=["restance"])

    if plan.art in PARKERBARE_ARTER and skal_parkeres(
        konto=fordring.konto, fordring=fordring, art=plan.art
    ):
        Parkering.objects.create(
            kommune_id=fordring.kommune_id,
            postering=postering,
            konto=fordring.konto,
            beloeb=-plan.beloeb,
        )
    if plan.art == PosteringArt.TILBAGEFOERSEL and plan.tilbagefoerer is not None:
        # A reversed parked entry no longer waits for anything.
        Parkering.objects.filter(postering=plan.tilbagefoerer, frigivet__isnull=True).update(
            frigivet=postering.bogfoert
        )
    if plan.art == PosteringArt.DAEKNING or (
        plan.tilbagefoerer is not None and plan.tilbagefoerer.art == PosteringArt.DAEKNING
    ):
        # What the borger's income says follows the money in the same transaction.
        eindkomst_afstem(fordring_ids=[fordring.pk])
    return postering


def _audit(
    plan: _Bogfoering, *, postering: Postering, user: Bruger | None, begrundelse: str, system: str
) -> None:
    fordring, art, signed = plan.fordring, plan.art, plan.beloeb
    audit_log(
        user=user,
        kommune_id=fordring.kommune_id,
        handling=f"postering.{art.value.lower()}",
        objekt=fordring,
        beskrivelse=(
            f"{art.label} {format_beloeb(signed)} kr. bogført på fordring {fordring.fordringsid} "
            f"med valør {postering.valoerdato:%d-%m-%Y}; restance nu "
            f"{format_beloeb(plan.ny_restance)} kr."
        ),
        begrundelse=begrundelse,
        data={"postering_id": postering.pk, "beloeb": str(signed), "art": art.value},
        system=system,
    )


def postering_tilbagefoer(
    *,
    postering: Postering,
    user: Bruger | None,
    begrundelse: str,
    valoerdato: dt.date | None = None,
) -> Postering:
    """Reverse ``postering`` with an entry of the opposite amount that points at it."""
    if not begrundelse.strip():
        raise ApplicationError("Angiv en begrundelse for tilbageførslen.")
    return postering_bogfoer(
        fordring=postering.fordring,
        art=PosteringArt.TILBAGEFOERSEL,
        beloeb=-postering.beloeb,
        valoerdato=valoerdato or postering.valoerdato,
        user=user,
        tekst=f"Tilbageførsel af {postering.get_art_display().lower()}",
        begrundelse=begrundelse,
        tilbagefoerer=postering,
    )
