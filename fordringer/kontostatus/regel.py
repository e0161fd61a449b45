"""The debitorkonto's status as KY derives it (seed 000), in its two forms side by side.

``kontostatus`` is the rule over a konto's facts, readable and tested branch by branch;
``kontostatus_udtryk`` is the same rule as one SQL expression, so many konti are recomputed in
one statement (``services.kontostatus_opdater``). A test compares the two over many generated
konti; change them together.

The facts:

* LUKKET comes from outside: the KMD Aktiv extract or the debitorsystem's status message
  (seed 003, 1e: "beskeder … med debitorkonto statusskift"). KY never closes a konto itself,
  not even when it is paid in full, so a closed konto stays closed until the outside reopens it.
* VENTER_PAA_DAEKNING (seed 000, "Håndtering af status 'Venter_på_Dækning'"): "KMD Aktiv
  debitorkonto har fordringer, der er under opkrævning. Det vil sige fordringer med restance,
  som står med opkrævningstilstand 'Opkræv', hvor KY ikke har registeret indbetalinger på
  fordringerne." A payment KY has registered is a dækning in the ledger that is neither
  reversed nor parked: a dækning on a KMD Aktiv konto that is not yet linked waits in
  "Dækninger og afskrivninger af KMD Aktiv fordringer" (DESIGN §5) and is registered on the
  claim when the linking releases it, so the task package "Venter på dækning med dækninger"
  holds konti in this status with parked dækninger. An afskrivning is no payment.
* AFVENTER_FRIGIVELSE (seed 000, questions on "Vurder, saml og frigiv debitorkonto"): "Det er
  frigivelsestypen på debitorkontoen der afgør om fordringerne er blevet frigivet eller ej";
  the report Detaljer_Debitor's "Status" column says "Afventer frigivelse" for the claims that
  are still to be released. A konto waits for release when it is not released
  (frigivelsestype other than FRIGIVET), owes something, and KY knows the sag of its claims:
  a KY konto, or a KMD Aktiv konto that has been sagstilknyttet.
* Otherwise AKTIV.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Exists, OuterRef, Q, Value, When

from fordringer.choices import (
    Frigivelsestype,
    Kilde,
    KontoStatus,
    Opkraevningstilstand,
    PosteringArt,
    Tilknytning,
)
from fordringer.models import Fordring, Postering


@dataclass(frozen=True)
class FordringFakta:
    restance: Decimal
    opkraevningstilstand: str
    # KY has a dækning on the claim that is neither reversed nor waiting in parking.
    ky_daekning: bool


@dataclass(frozen=True)
class KontoFakta:
    kilde: str
    # The stored status; only LUKKET (set from outside) carries over.
    status: str
    frigivelsestype: str
    tilknytning: str
    fordringer: tuple[FordringFakta, ...]


def _venter_paa_daekning(fordring: FordringFakta) -> bool:
    """Seed 000: a claim "med restance, som står med opkrævningstilstand 'Opkræv', hvor KY
    ikke har registeret indbetalinger"."""
    return (
        fordring.restance > 0
        and fordring.opkraevningstilstand == Opkraevningstilstand.OPKRAEV
        and not fordring.ky_daekning
    )


def kontostatus(konto: KontoFakta) -> KontoStatus:
    """The konto's status from its facts (module docstring)."""
    # Seed 003, 1e: the debitorsystem reports "debitorkonto statusskift"; closing is its call.
    if konto.status == KontoStatus.LUKKET:
        return KontoStatus.LUKKET
    # Seed 000: "Status 'VENTER_PAA_DAEKNING', betyder at KMD Aktiv debitorkonto har
    # fordringer, der er under opkrævning …".
    if konto.kilde == Kilde.KMD_AKTIV and any(map(_venter_paa_daekning, konto.fordringer)):
        return KontoStatus.VENTER_PAA_DAEKNING
    # Seed 000: "Det er frigivelsestypen på debitorkontoen der afgør om fordringerne er blevet
    # frigivet eller ej"; Detaljer_Debitor shows the claims still to release as "Afventer
    # frigivelse".
    if (
        konto.frigivelsestype != Frigivelsestype.FRIGIVET
        and (konto.kilde == Kilde.KY or konto.tilknytning != Tilknytning.INGEN)
        and any(f.restance > 0 for f in konto.fordringer)
    ):
        return KontoStatus.AFVENTER_FRIGIVELSE
    return KontoStatus.AKTIV


def kontostatus_udtryk() -> Case:
    """``kontostatus`` as an expression over ``Debitorkonto`` rows: the same branches in the
    same order, each fact an ``EXISTS`` over the konto's claims and their ledger."""
    med_restance = Fordring.objects.filter(konto_id=OuterRef("pk"), restance__gt=0)
    ky_daekning = Postering.objects.filter(
        Q(parkering__isnull=True) | Q(parkering__frigivet__isnull=False),
        fordring_id=OuterRef("pk"),
        art=PosteringArt.DAEKNING,
        tilbagefoert_af__isnull=True,
    )
    venter = Exists(
        med_restance.filter(opkraevningstilstand=Opkraevningstilstand.OPKRAEV).filter(
            ~Exists(ky_daekning)
        )
    )
    return Case(
        When(status=KontoStatus.LUKKET, then=Value(KontoStatus.LUKKET.value)),
        When(
            Q(kilde=Kilde.KMD_AKTIV) & venter,
            then=Value(KontoStatus.VENTER_PAA_DAEKNING.value),
        ),
        When(
            ~Q(frigivelsestype=Frigivelsestype.FRIGIVET)
            & (Q(kilde=Kilde.KY) | ~Q(tilknytning=Tilknytning.INGEN))
            & Exists(med_restance),
            then=Value(KontoStatus.AFVENTER_FRIGIVELSE.value),
        ),
        default=Value(KontoStatus.AKTIV.value),
        output_field=CharField(),
    )
