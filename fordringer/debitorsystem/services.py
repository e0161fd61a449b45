"""Messages from the debitorsystem (SF1590 via the Beskedfordeler, DESIGN §6, seed 003).

The debitorsystem sends KY the dækninger and afskrivninger it has made on a claim and the
status changes of its debitorkonti. Each message carries the sender's id and is received once:

* it is stored (``IndgaaendeBesked``, unique per kommune and id) in the same transaction as
  what it books, so a redelivery finds it and gets the stored outcome back, and two
  deliveries at once wait for each other on the unique key;
* a dækning or afskrivning is booked by ``ledger.postering_bogfoer``, the one booking path of
  screens and import alike, which also parks it where DESIGN §5 says (KMD Aktiv konto not
  linked, or claim without ydelsestype); a dækning that is booked, not parked, is income at
  once, and the ledger writes the eIndkomst line it calls for (``fordringer.eindkomst``, the
  rule that releasing a parked dækning uses too);
* bad input (unknown fordring, amount above the restance, a date in the future, …) raises
  ``ApplicationError`` with a Danish message and nothing is stored or booked, so the sender
  may correct the message and send it again under the same id.

The sender acts as its API key's user, which belongs to one kommune: claims and konti are
looked up through ``.for_user(user)``, so another kommune's claim is simply not found.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fordringer.choices import (
    DaekningArt,
    Frigivelsestype,
    IndgaaendeResultat,
    IndgaaendeType,
    KontoStatus,
)
from fordringer.kontostatus.services import kontostatus_opdater
from fordringer.ledger.services import aktoer_navn, postering_bogfoer
from fordringer.models import (
    Debitorkonto,
    EIndkomstLinje,
    Fordring,
    Indbetaling,
    IndgaaendeBesked,
    Parkering,
)
from ky_debitor.audit import audit_log
from ky_debitor.errors import ApplicationError

if TYPE_CHECKING:
    from ky_debitor.models import Bruger

SYSTEM = "debitorsystem"


class BeskedIdGenbrugt(ApplicationError):
    """The message id was used before for a message with other content."""

    http_status = 422


@dataclass(frozen=True)
class DaekningBesked:
    """A dækning, afskrivning or nedregulering the debitorsystem made on a claim."""

    besked_id: str
    fordringsid: str
    art: str
    beloeb: Decimal
    valoerdato: dt.date
    indbetalingsid: str = ""


@dataclass(frozen=True)
class KontostatusBesked:
    """A debitorkonto changed status and/or frigivelsestype in the debitorsystem."""

    besked_id: str
    kontonummer: str
    status: str | None = None
    frigivelsestype: str | None = None


def _indhold(besked: DaekningBesked | KontostatusBesked) -> tuple[dict[str, Any], str]:
    indhold = json.loads(json.dumps(asdict(besked), default=str))
    tekst = json.dumps(indhold, sort_keys=True, ensure_ascii=False)
    return indhold, hashlib.sha256(tekst.encode()).hexdigest()


def _modtag(
    *,
    user: Bruger,
    type: IndgaaendeType,
    besked: DaekningBesked | KontostatusBesked,
    behandl: Callable[[IndgaaendeBesked], None],
) -> tuple[IndgaaendeBesked, bool]:
    """Store the message and let ``behandl`` act on it, once; returns (message, new).

    The row is written first, so a second delivery of the same id at the same time waits on
    the unique key until the first commits, and then replays it.
    """
    besked_id = besked.besked_id.strip()
    if not besked_id:
        raise ApplicationError("Besked-id mangler.", felt="besked_id")
    kommune_id = getattr(user, "kommune_id", None)
    if kommune_id is None:
        raise ApplicationError("Afsenderen hører ikke til en kommune.")
    indhold, indhold_hash = _indhold(besked)
    with transaction.atomic():
        try:
            with transaction.atomic():
                modtaget = IndgaaendeBesked.objects.create(
                    kommune_id=kommune_id,
                    besked_id=besked_id,
                    type=type,
                    indhold=indhold,
                    indhold_hash=indhold_hash,
                    modtaget_af=aktoer_navn(user, SYSTEM),
                )
        except IntegrityError:
            tidligere = IndgaaendeBesked.objects.get(kommune_id=kommune_id, besked_id=besked_id)
            if tidligere.type != type or tidligere.indhold_hash != indhold_hash:
                raise BeskedIdGenbrugt(
                    f"Besked-id {besked_id} er allerede modtaget med et andet indhold. "
                    "Intet er ændret.",
                    felt="besked_id",
                ) from None
            return tidligere, False
        behandl(modtaget)
        modtaget.save()
        return modtaget, True


def debitorsystem_daekning_modtag(
    *, user: Bruger, besked: DaekningBesked
) -> tuple[IndgaaendeBesked, bool]:
    """Book a dækning/afskrivning from the debitorsystem once (see the module docstring)."""

    def behandl(modtaget: IndgaaendeBesked) -> None:
        try:
            art = DaekningArt(besked.art)
        except ValueError:
            raise ApplicationError(
                f"Ukendt art '{besked.art}'. Brug {', '.join(DaekningArt.values)}.", felt="art"
            ) from None
        if besked.valoerdato > timezone.localdate():
            raise ApplicationError(
                f"Valørdatoen {besked.valoerdato:%d-%m-%Y} ligger i fremtiden.", felt="valoerdato"
            )
        fordring = (
            Fordring.objects.for_user(user)
            .select_related("konto__borger")
            .filter(fordringsid=besked.fordringsid.strip())
            .first()
        )
        if fordring is None:
            raise ApplicationError(
                f"Fordring {besked.fordringsid} findes ikke i kommunen.", felt="fordringsid"
            )
        indbetaling = None
        if besked.indbetalingsid.strip():
            indbetaling = (
                Indbetaling.objects.for_user(user)
                .filter(indbetalingsid=besked.indbetalingsid.strip())
                .first()
            )
            if indbetaling is None:
                raise ApplicationError(
                    f"Indbetaling {besked.indbetalingsid} findes ikke i kommunen.",
                    felt="indbetalingsid",
                )
        postering = postering_bogfoer(
            fordring=fordring,
            art=art.value,
            beloeb=besked.beloeb,
            valoerdato=besked.valoerdato,
            user=user,
            indbetaling=indbetaling,
            tekst=f"{art.label} fra debitorsystemet (besked {modtaget.besked_id})",
            system=SYSTEM,
        )
        modtaget.postering = postering
        modtaget.konto_id = fordring.konto_id
        # A booked dækning is a payment KY has registered (seed 000); a parked one waits.
        kontostatus_opdater(kommune_id=fordring.kommune_id, konto_ids=[fordring.konto_id])
        if Parkering.objects.filter(postering=postering).exists():
            modtaget.resultat = IndgaaendeResultat.PARKERET
            return
        modtaget.resultat = IndgaaendeResultat.BOGFOERT
        # The ledger wrote the eIndkomst line the dækning calls for, if any.
        modtaget.eindkomst = EIndkomstLinje.objects.filter(postering=postering).exists()

    return _modtag(user=user, type=IndgaaendeType.DAEKNING, besked=besked, behandl=behandl)


def debitorsystem_kontostatus_modtag(
    *, user: Bruger, besked: KontostatusBesked
) -> tuple[IndgaaendeBesked, bool]:
    """Record a debitorkonto's new status and/or frigivelsestype from the debitorsystem,
    once, and audit the change (the debitorsystem reports "debitorkonto statusskift", seed
    003, 1e). A reported status is stored as reported; without one, the status follows from
    the new frigivelsestype by the rule of ``kontostatus.regel``."""

    def behandl(modtaget: IndgaaendeBesked) -> None:
        if besked.status is None and besked.frigivelsestype is None:
            raise ApplicationError("Angiv en ny status og/eller en ny frigivelsestype.")
        if besked.status is not None and besked.status not in KontoStatus.values:
            raise ApplicationError(f"Ukendt status '{besked.status}'.", felt="status")
        if (
            besked.frigivelsestype is not None
            and besked.frigivelsestype not in Frigivelsestype.values
        ):
            raise ApplicationError(
                f"Ukendt frigivelsestype '{besked.frigivelsestype}'.", felt="frigivelsestype"
            )
        konto = (
            Debitorkonto.objects.for_user(user)
            .select_for_update()
            .filter(kontonummer=besked.kontonummer.strip())
            .first()
        )
        if konto is None:
            raise ApplicationError(
                f"Debitorkonto {besked.kontonummer} findes ikke i kommunen.", felt="kontonummer"
            )
        modtaget.konto = konto
        foer = {"status": konto.status, "frigivelsestype": konto.frigivelsestype}
        efter = {
            "status": besked.status or konto.status,
            "frigivelsestype": besked.frigivelsestype or konto.frigivelsestype,
        }
        if efter == foer:
            modtaget.resultat = IndgaaendeResultat.UAENDRET
            return
        konto.status, konto.frigivelsestype = efter["status"], efter["frigivelsestype"]
        konto.save(update_fields=["status", "frigivelsestype"])
        if besked.status is None:
            # Only the frigivelsestype was reported: KY derives the status from it as from
            # every other fact; a status the debitorsystem reports stands as reported.
            kontostatus_opdater(kommune_id=konto.kommune_id, konto_ids=[konto.pk])
            konto.refresh_from_db(fields=["status"])
            efter["status"] = konto.status
        modtaget.resultat = IndgaaendeResultat.STATUS_AENDRET
        audit_log(
            user=user,
            kommune_id=konto.kommune_id,
            handling="debitorkonto.statusskift",
            objekt=konto,
            beskrivelse=(
                f"Debitorsystemet meldte statusskift på debitorkonto {konto.kontonummer}: "
                f"status {KontoStatus(foer['status']).label} → {konto.get_status_display()}, "
                f"frigivelsestype {Frigivelsestype(foer['frigivelsestype']).label} → "
                f"{konto.get_frigivelsestype_display()} (besked {modtaget.besked_id})."
            ),
            data={"foer": foer, "efter": efter, "besked_id": modtaget.besked_id},
            system=SYSTEM,
        )

    return _modtag(user=user, type=IndgaaendeType.KONTOSTATUS, besked=besked, behandl=behandl)
