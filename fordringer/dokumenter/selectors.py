"""What each document says, read from the ledger: one small data object per document type.

The PDF templates (``templates/fordringer/dokumenter/pdf/``) only lay these out; every figure
is computed here, from the same selectors the screens use (``fordringer.konto.selectors``), so
a kontoudtog on paper and on screen agree line by line (seed 004: an ompostering across borgere
shows as "Ompostering" on both borgeres' kontoudtog).
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum

from fordringer.choices import OmposteringRolle, PosteringArt
from fordringer.konto.selectors import KontoudtogLinje, kontoudtog
from fordringer.models import (
    Borger,
    Debitorkonto,
    Dokument,
    Fordring,
    Ompostering,
    OmposteringPostering,
    Samlingsbeslutning,
    Udbetaling,
)
from ky_debitor.money import NUL

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ky_debitor.models import Bruger, Kommune


@dataclass(frozen=True)
class Brevhoved:
    """The sender: the kommune's name, its address lines and logo (when configured)."""

    navn: str
    adresse: list[str]
    logo: str  # a data: URI, or "" when the kommune has no logo
    dato: dt.date


# The one kommune whose official name is in the genitive.
_OFFICIELT_NAVN = {"København": "Københavns Kommune"}


def kommune_navn(navn: str) -> str:
    """The kommune's official name as a letter is signed: "Aarhus Kommune", "Københavns
    Kommune"."""
    if navn.endswith("Kommune"):
        return navn
    return _OFFICIELT_NAVN.get(navn, f"{navn} Kommune")


def brevhoved(kommune: Kommune, *, dato: dt.date) -> Brevhoved:
    logo = ""
    if kommune.logo:
        try:
            with kommune.logo.open("rb") as fil:
                data = fil.read()
        except OSError:
            data = b""
        mime = mimetypes.guess_type(kommune.logo.name or "")[0] or ""
        if data and mime in ("image/png", "image/jpeg"):
            logo = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
    return Brevhoved(
        navn=kommune_navn(kommune.navn),
        adresse=[linje.strip() for linje in kommune.adresse.splitlines() if linje.strip()],
        logo=logo,
        dato=dato,
    )


# --- Kontoudtog -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Udtogslinje:
    """A ledger line as the borger reads it: the kind and the booked text once ("Rente (Gebyrloven
    § 3)", not "Rente: Rente (…)")."""

    dato: dt.date
    fordringsid: str
    art: str
    beskrivelse: str
    beloeb: Decimal
    saldo: Decimal
    parkeret: bool


def _udtogslinje(linje: KontoudtogLinje) -> Udtogslinje:
    tekst = linje.tekst.strip()
    if not tekst or tekst.lower() == linje.art.lower():
        beskrivelse = linje.art
    elif tekst.lower().startswith(linje.art.lower()):
        beskrivelse = tekst
    else:
        beskrivelse = f"{linje.art}: {tekst}"
    return Udtogslinje(
        dato=linje.dato,
        fordringsid=linje.fordringsid,
        art=linje.art,
        beskrivelse=beskrivelse,
        beloeb=linje.beloeb,
        saldo=linje.saldo,
        parkeret=linje.parkeret,
    )


@dataclass(frozen=True)
class Kontoudtog:
    """A konto's ledger over a period: the balance before it, every line in it with the running
    balance, the balance at its end, and the period's totals by kind."""

    konto: Debitorkonto
    borger: Borger
    fra: dt.date | None
    til: dt.date
    primo: Decimal
    ultimo: Decimal
    linjer: list[Udtogslinje]
    hovedstol: Decimal
    renter: Decimal
    gebyrer: Decimal
    indbetalt: Decimal
    afskrevet: Decimal
    omposteret: Decimal
    andet: Decimal


def kontoudtog_data(*, konto: Debitorkonto, fra: dt.date | None, til: dt.date) -> Kontoudtog:
    """The kontoudtog for ``fra`` to ``til`` (both included; no ``fra``: from the first entry)."""
    alle = kontoudtog(konto)
    primo = NUL
    ultimo = NUL
    linjer = []
    for linje in alle:
        if fra is not None and linje.dato < fra:
            primo = ultimo = linje.saldo
        elif linje.dato <= til:
            linjer.append(linje)
            ultimo = linje.saldo
    summer: dict[str, Decimal] = {}
    for linje in linjer:
        summer[linje.art] = summer.get(linje.art, NUL) + linje.beloeb
    kendte = {
        PosteringArt.HOVEDSTOL.label,
        PosteringArt.RENTE.label,
        PosteringArt.GEBYR.label,
        PosteringArt.DAEKNING.label,
        PosteringArt.AFSKRIVNING.label,
        PosteringArt.NEDREGULERING.label,
        "Ompostering",
    }
    return Kontoudtog(
        konto=konto,
        borger=konto.borger,
        fra=fra,
        til=til,
        primo=primo,
        ultimo=ultimo,
        linjer=[_udtogslinje(linje) for linje in linjer],
        hovedstol=summer.get(PosteringArt.HOVEDSTOL.label, NUL),
        renter=summer.get(PosteringArt.RENTE.label, NUL),
        gebyrer=summer.get(PosteringArt.GEBYR.label, NUL),
        indbetalt=summer.get(PosteringArt.DAEKNING.label, NUL),
        afskrevet=summer.get(PosteringArt.AFSKRIVNING.label, NUL)
        + summer.get(PosteringArt.NEDREGULERING.label, NUL),
        omposteret=summer.get("Ompostering", NUL),
        andet=sum((v for k, v in summer.items() if k not in kendte), NUL),
    )


def kontoudtog_antal_linjer(konto: Debitorkonto) -> int:
    """How many ledger entries the konto has: the size that decides background rendering."""
    from fordringer.models import Postering

    return Postering.objects.filter(fordring__konto=konto).count()


# --- Kontooversigt --------------------------------------------------------------------------


@dataclass(frozen=True)
class OversigtFordring:
    fordring: Fordring
    parkeret: Decimal
    parkeret_hvorfor: str


@dataclass(frozen=True)
class OversigtKonto:
    konto: Debitorkonto
    fordringer: list[OversigtFordring]
    restance: Decimal
    parkeret: Decimal


@dataclass(frozen=True)
class Kontooversigt:
    borger: Borger
    konti: list[OversigtKonto]
    restance: Decimal
    parkeret: Decimal


def parkeret_aarsag(*, konto: Debitorkonto, fordring: Fordring) -> str:
    """Why a dækning or afskrivning waits (DESIGN §5), in words a borger understands."""
    if not konto.er_tilknyttet:
        return "Kontoen er endnu ikke knyttet til en sag i KY."
    if fordring.ydelsestype_id is None:
        return "Fordringens ydelsestype er endnu ikke kendt."
    return "Beløbet afventer frigivelse."


def kontooversigt_data(*, borger: Borger) -> Kontooversigt:
    """All the borger's konti, the restance of each claim, and what is parked and why."""
    konti = []
    for konto in Debitorkonto.objects.filter(borger=borger).order_by("kontonummer"):
        fordringer = [
            OversigtFordring(
                fordring=f,
                parkeret=f.parkeret or NUL,
                parkeret_hvorfor=parkeret_aarsag(konto=konto, fordring=f) if f.parkeret else "",
            )
            for f in konto.fordringer.select_related("ydelsestype")
            .annotate(
                parkeret=Sum(
                    "posteringer__parkering__beloeb",
                    filter=Q(posteringer__parkering__frigivet__isnull=True),
                )
            )
            .order_by("forfaldsdato", "fordringsid")
        ]
        konti.append(
            OversigtKonto(
                konto=konto,
                fordringer=fordringer,
                restance=sum((f.fordring.restance for f in fordringer), NUL),
                parkeret=sum((f.parkeret for f in fordringer), NUL),
            )
        )
    return Kontooversigt(
        borger=borger,
        konti=konti,
        restance=sum((k.restance for k in konti), NUL),
        parkeret=sum((k.parkeret for k in konti), NUL),
    )


# --- Letters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Flytning:
    """One claim an ompostering took money from (negative) or put money on (positive)."""

    fordringsid: str
    kontonummer: str
    beloeb: Decimal
    egen: bool  # the claim is the letter's borger's own


@dataclass(frozen=True)
class OmposteringBrev:
    ompostering: Ompostering
    borger: Borger  # the borger the letter is about
    til_alternativ: bool
    fra: list[Flytning]
    til: list[Flytning]
    udbetalinger: list[Udbetaling] = field(default_factory=list)

    @property
    def viser_udbetaling(self) -> bool:
        """Only the borger the money went to (and the alternative recipient) reads who is
        paid; the borger it was taken from is not told about another borger's payout."""
        return self.til_alternativ or self.borger.pk == self.ompostering.til_borger_id


def ompostering_brev_data(
    *, ompostering: Ompostering, borger: Borger, til_alternativ: bool, links_til: int | None = None
) -> OmposteringBrev:
    """What moved (seed 004 trin 8): the dækninger taken back and where the money went, the
    reason as booked, the note, and any payout. A claim of another borger is named by its
    number only, never by the other borger's name or CPR. With ``links_til`` (the letter of an
    undo) only the entries the ompostering itself made, not those of the undo."""
    links = OmposteringPostering.objects.filter(ompostering=ompostering)
    if links_til is not None:
        links = links.filter(id__lte=links_til)
    links = (
        links.exclude(rolle=OmposteringRolle.RENTE)
        .select_related("postering__fordring__konto")
        .order_by("id")
    )
    fra: list[Flytning] = []
    til: list[Flytning] = []
    for link in links:
        fordring = link.postering.fordring
        flytning = Flytning(
            fordringsid=fordring.fordringsid,
            kontonummer=fordring.konto.kontonummer,
            beloeb=abs(link.postering.beloeb),
            egen=fordring.konto.borger_id == borger.pk,
        )
        (fra if link.rolle == OmposteringRolle.TILBAGEFOERSEL else til).append(flytning)
    return OmposteringBrev(
        ompostering=ompostering,
        borger=borger,
        til_alternativ=til_alternativ,
        fra=fra,
        til=til,
        udbetalinger=list(
            ompostering.udbetalinger.select_related(
                "modtager_borger", "modtager_alternativ"
            ).order_by("id")
        ),
    )


@dataclass(frozen=True)
class SamlingBrev:
    beslutning: Samlingsbeslutning
    borger: Borger
    fordringer: list[tuple[str, str, Decimal]]  # (from claim, to claim, amount)


def samling_brev_data(*, beslutning: Samlingsbeslutning) -> SamlingBrev:
    return SamlingBrev(
        beslutning=beslutning,
        borger=beslutning.konto.borger,
        fordringer=[
            (s.fra_fordring.fordringsid, s.til_fordring.fordringsid, s.beloeb)
            for s in beslutning.samlede.select_related("fra_fordring", "til_fordring").order_by(
                "id"
            )
        ],
    )


# --- Stored documents -----------------------------------------------------------------------


# --- Rykker ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RykkerBrev:
    """A reminder for one claim (``fordringer.rykker``): what the claim is, what of it stands
    by kind after the reminder's fee, and the fee with its source or why there is none."""

    fordring: Fordring
    nummer: int
    hovedstol: Decimal
    renter: Decimal
    gebyrer: Decimal
    betalt: Decimal  # dækninger, afskrivninger and nedreguleringer, as a positive amount
    restance: Decimal
    gebyr: Decimal | None
    gebyr_hjemmel: str
    uden_gebyr_grund: str


def rykker_brev_data(*, fordring: Fordring, parametre: dict[str, object]) -> RykkerBrev:
    """The claim's standing entries summed by kind (a reversal counts with the kind it
    reverses), so the lines add up to the restance the letter asks for."""
    summer: dict[str, Decimal] = {}
    for art, tilbagefoert_art, beloeb in fordring.posteringer.values_list(
        "art", "tilbagefoerer__art", "beloeb"
    ):
        noegle = tilbagefoert_art if art == PosteringArt.TILBAGEFOERSEL else art
        summer[noegle] = summer.get(noegle, NUL) + beloeb
    gebyr = str(parametre.get("gebyr") or "")
    hovedstol = summer.pop(PosteringArt.HOVEDSTOL, NUL)
    renter = summer.pop(PosteringArt.RENTE, NUL)
    gebyrer = summer.pop(PosteringArt.GEBYR, NUL)
    return RykkerBrev(
        fordring=fordring,
        nummer=int(str(parametre.get("nummer") or 1)),
        hovedstol=hovedstol,
        renter=renter,
        gebyrer=gebyrer,
        betalt=-sum(summer.values(), NUL),
        restance=hovedstol + renter + gebyrer + sum(summer.values(), NUL),
        gebyr=Decimal(gebyr) if gebyr else None,
        gebyr_hjemmel=str(parametre.get("gebyr_hjemmel") or ""),
        uden_gebyr_grund=str(parametre.get("uden_gebyr_grund") or ""),
    )


def dokumenter_for_user(*, user: Bruger | AnonymousUser) -> QuerySet[Dokument]:
    """The user's kommune's documents, without their PDF (loaded only when fetched)."""
    return (
        Dokument.objects.for_user(user)
        .defer("pdf")
        .select_related("borger", "konto", "oprettet_af")
        .order_by("-oprettet", "-id")
    )


def dokument_for_user(*, user: Bruger | AnonymousUser, pk: int) -> Dokument:
    """One document with its PDF (``Dokument.DoesNotExist`` for another kommune's)."""
    return Dokument.objects.for_user(user).select_related("borger", "konto", "kommune").get(pk=pk)
