"""What the "Opret fordringssag" screen shows and suggests, read with the linking run's own rules.

The screen suggests only what the evidence supports (DESIGN §3, §5): a bevilling is
pre-selected only when the rules resolve every claim of the konto to it — the run's full match —
and a sag only when the run would have chosen it for that bevilling. Each claim's reference and
ydelsestype are suggested from that claim alone: its own values first, then what its ydelseskode
says, then the bevilling the rules resolve that claim to. Anything else is left empty for the
caseworker to choose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from fordringer.choices import SagStatus
from fordringer.models import Bevilling, Debitorkonto, Fordring, Sag, Ydelsestype
from fordringer.tilknytning.regler import (
    BevillingData,
    FordringData,
    anvend_regler,
    daekker_periode,
    datafejl,
    forklaring,
    norm,
    regel_reference,
    regel_reference_i_tekst,
    samme_ydelseskode,
)
from fordringer.tilknytning.selectors import bevilling_ejere
from fordringer.ydelser.selectors import ydelseskode_tabel
from ky_debitor.money import NUL

from .models import Opgave
from .selectors import evidens_fordringer

NY_SAG = "ny"


@dataclass(frozen=True)
class BevillingKandidat:
    bevilling: Bevilling
    reference: bool
    ydelseskode: bool
    periode: bool
    ydelsestype_id: int | None
    afgjort: int = 0  # claims the rules resolve to this bevilling, as the run decides them
    lige_god: int = 0  # claims for which rule 3 finds it among several
    krav: int = 0  # the konto's claims

    @property
    def point(self) -> int:
        return 4 * self.reference + 2 * self.ydelseskode + self.periode

    @property
    def rang(self) -> tuple[int, int, int, str]:
        return (-self.afgjort, -self.lige_god, -self.point, self.bevilling.bevillingsnummer)

    @property
    def fuld(self) -> bool:
        """The run's full match: the rules resolve every claim of the konto to this bevilling
        (a claim failing the data check resolves to none, so a Datafejl konto has none)."""
        return self.krav > 0 and self.afgjort == self.krav

    @property
    def sag_id(self) -> int | None:
        return self.bevilling.sag_id


@dataclass(frozen=True)
class FordringEvidensVisning:
    regel: str
    tekst: str
    kandidater: list[dict[str, str]]


@dataclass(frozen=True)
class FordringForslag:
    """What the screen suggests for one claim, and where it comes from (shown as a hint)."""

    reference: str
    ydelsestype_id: int | None
    kilde: str
    datafejl: str | None = None
    fremmed_reference: bool = False  # its reference names another borger's bevilling


@dataclass
class Opgaveskaerm:
    opgave: Opgave
    konto: Debitorkonto
    fordringer: Sequence[Fordring]
    evidens: dict[int, FordringEvidensVisning]
    kandidater: list[BevillingKandidat]
    forslag: dict[int, FordringForslag]
    sager: list[Sag]
    ydelsestyper: list[Ydelsestype]
    aarsag_tekst: str
    parkeret: Decimal
    restance: Decimal
    kun_ydelsestype: bool

    @property
    def evidenslinjer(self) -> list[tuple[Fordring, FordringEvidensVisning | None]]:
        return [(f, self.evidens.get(f.pk)) for f in self.fordringer]

    @property
    def fuld_match(self) -> BevillingKandidat | None:
        return next((k for k in self.kandidater if k.fuld), None)

    @property
    def aabne_sager(self) -> list[Sag]:
        return aabne_sager(self.sager)

    def forvalgt_sag(self, kandidat: BevillingKandidat) -> str:
        """The sag the run would choose with ``kandidat``: the bevilling's own sag; else the one
        open sag of its ydelsestype not made by an earlier run's sagsoprettelse; none of them
        means a new sag; several means nothing is suggested ("")."""
        if kandidat.bevilling.sag_id is not None:
            return str(kandidat.bevilling.sag_id)
        if kandidat.ydelsestype_id is None:
            return ""
        samme = [
            s
            for s in self.aabne_sager
            if s.ydelsestype_id == kandidat.ydelsestype_id and not s.oprettet_ved_tilknytning
        ]
        if len(samme) > 1:
            return ""
        return str(samme[0].pk) if samme else NY_SAG


def _regeldata(
    bevillinger: Sequence[Bevilling], fordringer: Sequence[Fordring], koder: Mapping[str, int]
) -> tuple[list[FordringData], list[BevillingData]]:
    krav = [
        FordringData(
            f.pk,
            f.fordringsid,
            f.kmd_aktiv_reference,
            f.ydelseskode,
            f.tekst,
            f.periode_fra,
            f.periode_til,
        )
        for f in fordringer
    ]
    data = [
        BevillingData(
            b.pk,
            b.bevillingsnummer,
            b.ydelseskode,
            b.periode_fra,
            b.periode_til,
            b.sag_id,
            koder.get(b.ydelseskode.strip().upper()),
        )
        for b in bevillinger
    ]
    return krav, data


def rangerede_kandidater(
    bevillinger: Sequence[Bevilling],
    fordringer: Sequence[Fordring],
    koder: Mapping[str, int],
    *,
    borger_id: int,
    reference_ejere: Mapping[str, int],
) -> list[BevillingKandidat]:
    """The borger's bevillinger, best first, by the linking run's own rules (DESIGN §5,
    ``fordringer.tilknytning.regler``), so the first is the bevilling the run chose or would
    choose: the one the rules resolve the most claims to (a claim failing the data check counts
    for none); then one rule 3 finds among several for the most claims; then by what fits — a
    reference (or the number in a claim's text) counts most, then the ydelseskode, then a
    period covering every claim."""
    krav, data = _regeldata(bevillinger, fordringer, koder)
    afgjort: Counter[int] = Counter()
    lige_gode: Counter[int] = Counter()
    for f in krav:
        if datafejl(f, borger_id, reference_ejere):
            continue
        udfald = anvend_regler(f, data)
        if udfald.valgt is not None:
            afgjort[udfald.valgt.id] += 1
        lige_gode.update(b.id for b in udfald.flere)
    kandidater = [
        BevillingKandidat(
            bevilling=b,
            reference=any(regel_reference(f, [d]) or regel_reference_i_tekst(f, [d]) for f in krav),
            ydelseskode=any(samme_ydelseskode(d, f) for f in krav),
            periode=bool(krav) and all(daekker_periode(d, f) for f in krav),
            ydelsestype_id=d.ydelsestype_id,
            afgjort=afgjort[d.id],
            lige_god=lige_gode[d.id],
            krav=len(krav),
        )
        for b, d in zip(bevillinger, data, strict=True)
    ]
    return sorted(kandidater, key=lambda k: k.rang)


def fordring_forslag(
    bevillinger: Sequence[Bevilling],
    fordringer: Sequence[Fordring],
    koder: Mapping[str, int],
    *,
    borger_id: int,
    reference_ejere: Mapping[str, int],
) -> dict[int, FordringForslag]:
    """Each claim's suggested reference and ydelsestype from that claim's own evidence: its own
    values win; an empty one is filled from its ydelseskode (the type) and from the bevilling
    the rules resolve this claim to; a claim failing the data check gets nothing but the
    reason."""
    krav, data = _regeldata(bevillinger, fordringer, koder)
    forslag: dict[int, FordringForslag] = {}
    for fordring, f in zip(fordringer, krav, strict=True):
        egen_ref = fordring.kmd_aktiv_reference.strip()
        egen_yt = fordring.ydelsestype_id or koder.get(fordring.ydelseskode.strip().upper())
        fejl = datafejl(f, borger_id, reference_ejere)
        valgt = None if fejl else anvend_regler(f, data).valgt
        reference = egen_ref or (valgt.bevillingsnummer if valgt else "")
        ydelsestype_id = egen_yt or (valgt.ydelsestype_id if valgt else None)
        if fejl:
            kilde = f"Datafejl: {fejl}."
        elif egen_ref:
            kilde = "Fordringens egen reference."
        elif valgt is not None:
            kilde = f"Fra bevilling {valgt.bevillingsnummer}, som reglerne finder for fordringen."
        else:
            kilde = "Ingen bevilling passer til fordringen: angiv selv reference."
        if fordring.ydelsestype_id:
            kilde += " Fordringens egen ydelsestype."
        elif egen_yt:
            kilde += " Ydelsestype efter fordringens ydelseskode."
        elif valgt is not None and valgt.ydelsestype_id:
            kilde += f" Ydelsestype fra bevilling {valgt.bevillingsnummer}."
        ejer = reference_ejere.get(f.reference_norm) if f.reference_norm else None
        forslag[fordring.pk] = FordringForslag(
            reference, ydelsestype_id, kilde, fejl, ejer not in (None, borger_id)
        )
    return forslag


def opgaveskaerm(*, opgave: Opgave) -> Opgaveskaerm:
    """Everything the "Opret fordringssag" screen shows, in five queries (six when a claim
    names a bevilling that is not the borger's: the data check looks up its owner)."""
    konto = opgave.konto
    fordringer = list(
        konto.fordringer.select_related("ydelsestype")
        .annotate(
            parkeret=Sum(
                "posteringer__parkering__beloeb",
                filter=Q(posteringer__parkering__frigivet__isnull=True),
            )
        )
        .order_by("forfaldsdato", "fordringsid")
    )
    bevillinger = list(
        Bevilling.objects.for_kommune(konto.kommune_id)
        .filter(borger_id=konto.borger_id)
        .select_related("sag")
    )
    sager = list(
        Sag.objects.for_kommune(konto.kommune_id)
        .filter(borger_id=konto.borger_id)
        .select_related("ydelsestype")
        .order_by("-status", "sagsnummer")
    )
    koder = ydelseskode_tabel()
    # The data check needs the owners of the bevillinger the claims name that are not the
    # borger's own (none to look up, no query, in the common case).
    egne = {norm(b.bevillingsnummer) for b in bevillinger}
    fremmede = {norm(f.kmd_aktiv_reference) for f in fordringer} - egne - {""}
    ejere = bevilling_ejere(kommune_id=konto.kommune_id, numre=fremmede)
    ydelsestyper = list(Ydelsestype.objects.order_by("navn"))
    evidens: dict[int, FordringEvidensVisning] = {}
    for raekke in evidens_fordringer(opgave.evidens or {}):
        evidens[int(raekke.get("fordring_id", 0))] = FordringEvidensVisning(
            regel=str(raekke.get("regel", "")),
            tekst=forklaring(str(raekke.get("regel", ""))),
            kandidater=list(raekke.get("kandidater", [])),
        )
    return Opgaveskaerm(
        opgave=opgave,
        konto=konto,
        fordringer=fordringer,
        evidens=evidens,
        kandidater=rangerede_kandidater(
            bevillinger, fordringer, koder, borger_id=konto.borger_id, reference_ejere=ejere
        ),
        forslag=fordring_forslag(
            bevillinger, fordringer, koder, borger_id=konto.borger_id, reference_ejere=ejere
        ),
        sager=sager,
        ydelsestyper=ydelsestyper,
        aarsag_tekst=forklaring(opgave.aarsag) if opgave.aarsag else "",
        parkeret=sum((f.parkeret or NUL for f in fordringer), NUL),
        restance=sum((f.restance for f in fordringer), NUL),
        kun_ydelsestype=opgave.aarsag == "YDELSESTYPE_UKENDT" and konto.er_tilknyttet,
    )


def aabne_sager(sager: list[Sag]) -> list[Sag]:
    return [s for s in sager if s.status == SagStatus.AABEN]
