"""Writes on the money side: linking a konto, creating a sag, releasing parked dækninger.

Booking on the ledger lives in ``ledger.py``. Each service runs in one transaction, locks what
it changes and audits it; an ``ApplicationError`` leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError, ConflictError

from .choices import PosteringArt, SagStatus, Tilknytning
from .ledger import postering_bogfoer, postering_tilbagefoer
from .models import (
    Bevilling,
    Debitorkonto,
    EIndkomstIndberetning,
    Fordring,
    Parkering,
    Sag,
    Ydelsestype,
)
from .selectors import ll8o_omfatter, ydelsestype_for_kode

__all__ = [
    "FordringValg",
    "debitorkonto_tilknyt",
    "parkeringer_frigiv",
    "postering_bogfoer",
    "postering_tilbagefoer",
    "sag_opret",
]


@dataclass(frozen=True)
class FordringValg:
    """A person's choice for one claim on the task screen (seed 002: angiv reference, skift
    ydelsestype in one go)."""

    kmd_aktiv_reference: str
    ydelsestype_id: int | None


def _nyt_sagsnummer(konto: Debitorkonto) -> str:
    base = f"KY-{konto.kontonummer}"
    nummer, n = base, 1
    while Sag.objects.filter(kommune_id=konto.kommune_id, sagsnummer=nummer).exists():
        n += 1
        nummer = f"{base}-{n}"
    return nummer


def sag_opret(
    *,
    konto: Debitorkonto,
    bevilling: Bevilling | None,
    ydelsestype: Ydelsestype | None,
    user: Any,
    system: str = "system",
) -> Sag:
    """*Sagsoprettelse*: a new KY sag for the konto's borger (MI 32: "ny sag i KY")."""
    sag = Sag.objects.create(
        kommune_id=konto.kommune_id,
        sagsnummer=_nyt_sagsnummer(konto),
        borger_id=konto.borger_id,
        ydelseskode=bevilling.ydelseskode if bevilling else "",
        ydelsestype=ydelsestype,
        status=SagStatus.AABEN,
        oprettet_ved_tilknytning=True,
    )
    if bevilling is not None and bevilling.sag_id is None:
        bevilling.sag = sag
        bevilling.save(update_fields=["sag"])
    audit_log(
        user=user,
        kommune_id=konto.kommune_id,
        handling="sag.opret",
        objekt=sag,
        beskrivelse=f"Sag {sag.sagsnummer} oprettet ved sagsoprettelse for debitorkonto "
        f"{konto.kontonummer}.",
        system=system,
    )
    return sag


def parkeringer_frigiv(*, konto: Debitorkonto, user: Any, system: str = "system") -> int:
    """Release the konto's parked dækninger and afskrivninger whose claim now has a ydelsestype.

    A dækning is then income (*indtægtsføring*) and, where LL § 8 O covers the ydelsestype in
    the income year of the dækning, an eIndkomst row is written to the outbox. A repayment in
    the same year as the payout (the claim's period) is a correction of the payout, not a
    § 8 O deduction, and gets no row (DESIGN §7). Returns how many were released.
    """
    nu = timezone.now()
    parkeret = (
        Parkering.objects.select_for_update()
        .filter(konto=konto, frigivet__isnull=True)
        .select_related("postering__fordring", "konto__borger")
    )
    frigivet = 0
    for parkering in parkeret:
        postering = parkering.postering
        fordring = postering.fordring
        if fordring.ydelsestype_id is None:
            continue
        parkering.frigivet = nu
        parkering.save(update_fields=["frigivet"])
        frigivet += 1
        if postering.art != PosteringArt.DAEKNING:
            continue
        indkomstaar = postering.valoerdato.year
        udbetalingsdato = fordring.periode_fra or fordring.forfaldsdato
        samme_aar = udbetalingsdato is not None and udbetalingsdato.year == indkomstaar
        if not samme_aar and ll8o_omfatter(
            ydelsestype_id=fordring.ydelsestype_id, indkomstaar=indkomstaar
        ):
            EIndkomstIndberetning.objects.create(
                kommune_id=konto.kommune_id,
                postering=postering,
                cpr=konto.borger.cpr,
                indkomstaar=indkomstaar,
                beloeb=parkering.beloeb,
                ydelsestype_id=fordring.ydelsestype_id,
            )
    if frigivet:
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="parkering.frigiv",
            objekt=konto,
            beskrivelse=f"{frigivet} parkerede dækninger/afskrivninger frigivet til "
            "indtægtsføring.",
            system=system,
        )
    return frigivet


@transaction.atomic
def debitorkonto_tilknyt(
    *,
    konto: Debitorkonto,
    bevilling: Bevilling | None,
    sag: Sag | None,
    user: Any,
    manual: bool,
    ydelsestype: Ydelsestype | None = None,
    fordring_valg: Mapping[int, FordringValg] | None = None,
    begrundelse: str = "",
    system: str = "sagstilknytning",
) -> Debitorkonto:
    """Link a debitorkonto to a bevilling and a sag, and stamp its claims (DESIGN §3, §5).

    * ``sag`` given → *sagstilknytning* to that existing sag; ``None`` → *sagsoprettelse*.
    * ``bevilling`` may be ``None`` for særlig støtte and manual claims (MI 32); the person then
      chooses ``ydelsestype``.
    * Each claim gets the bevilling's number as KMD Aktiv reference and the ydelsestype derived
      from its ydelseskode, unless ``fordring_valg`` says otherwise for that claim.
    * Parked dækninger and afskrivninger are released in the same transaction.

    Automation never overrides a person (DESIGN §4.5): with ``manual=False`` a konto or a claim
    linked or referenced by hand raises ``ConflictError`` and nothing changes.
    """
    konto = Debitorkonto.objects.select_for_update().select_related("borger").get(pk=konto.pk)
    fordringer = list(Fordring.objects.select_for_update().filter(konto=konto).order_by("pk"))
    if not manual and (
        konto.tilknytning == Tilknytning.MANUEL
        or any(f.reference_kilde == Tilknytning.MANUEL for f in fordringer)
    ):
        raise ConflictError(
            f"Debitorkonto {konto.kontonummer} er tilknyttet eller refereret manuelt og ændres "
            "ikke af automatikken."
        )
    if bevilling is not None and (
        bevilling.kommune_id != konto.kommune_id or bevilling.borger_id != konto.borger_id
    ):
        raise ApplicationError(
            f"Bevilling {bevilling.bevillingsnummer} tilhører ikke debitorkontoens borger."
        )
    if sag is not None and (sag.kommune_id != konto.kommune_id or sag.borger_id != konto.borger_id):
        raise ApplicationError(f"Sag {sag.sagsnummer} tilhører ikke debitorkontoens borger.")
    if ydelsestype is None and bevilling is not None:
        ydelsestype = ydelsestype_for_kode(bevilling.ydelseskode)
    if bevilling is None and ydelsestype is None and not fordring_valg:
        raise ApplicationError("Vælg en bevilling eller en ydelsestype.")
    fordring_valg = fordring_valg or {}
    ukendte = set(fordring_valg) - {f.pk for f in fordringer}
    if ukendte:
        raise ApplicationError("Der er valgt fordringer, som ikke står på debitorkontoen.")

    oprettet = sag is None
    if sag is None:
        sag = sag_opret(
            konto=konto, bevilling=bevilling, ydelsestype=ydelsestype, user=user, system=system
        )

    maade = Tilknytning.MANUEL if manual else Tilknytning.AUTOMATISK
    tidligere = (konto.bevilling_id, konto.sag_id, konto.tilknytning)
    konto.bevilling = bevilling
    konto.sag = sag
    konto.tilknytning = maade
    konto.tilknyttet_af = user if manual else None
    konto.tilknyttet_tid = timezone.now()
    konto.save(update_fields=["bevilling", "sag", "tilknytning", "tilknyttet_af", "tilknyttet_tid"])

    standard_reference = bevilling.bevillingsnummer if bevilling else ""
    for fordring in fordringer:
        valg = fordring_valg.get(fordring.pk)
        if valg is not None:
            fordring.kmd_aktiv_reference = valg.kmd_aktiv_reference.strip()
            fordring.ydelsestype_id = valg.ydelsestype_id
        else:
            fordring.kmd_aktiv_reference = standard_reference or fordring.kmd_aktiv_reference
            fordring.ydelsestype_id = ydelsestype.pk if ydelsestype else fordring.ydelsestype_id
        fordring.reference_kilde = maade
    Fordring.objects.bulk_update(
        fordringer, ["kmd_aktiv_reference", "ydelsestype", "reference_kilde"]
    )

    frigivet = parkeringer_frigiv(konto=konto, user=user, system=system)
    audit_log(
        user=user,
        kommune_id=konto.kommune_id,
        handling="debitorkonto.tilknyt",
        objekt=konto,
        beskrivelse=(
            f"Debitorkonto {konto.kontonummer} {'sagsoprettet' if oprettet else 'sagstilknyttet'}"
            f" ({maade.label.lower()}): bevilling "
            f"{bevilling.bevillingsnummer if bevilling else 'ingen'}, sag {sag.sagsnummer}, "
            f"ydelsestype {ydelsestype or 'ukendt'}; {len(fordringer)} fordringer stemplet, "
            f"{frigivet} parkerede frigivet."
        ),
        begrundelse=begrundelse,
        data={
            "bevilling_id": bevilling.pk if bevilling else None,
            "sag_id": sag.pk,
            "sagsoprettelse": oprettet,
            "tidligere": list(tidligere),
        },
        system=system,
    )
    return konto
