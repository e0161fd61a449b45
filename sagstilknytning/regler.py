"""The linking engine's order of precedence (DESIGN §5), over plain data (no ORM).

The rules themselves — reason codes, normalisation, period cover, the data check and the
reference, text and ydelse-og-periode rules — are the shared vocabulary in
``fordringer.tilknytning.regler``, which the task screen ranks candidates with too. Here they are
applied in order: per fordring the data check, then the rules, then the reason a claim stays
open; per konto the link, the sag, and the first reason code that applies. ``vurder_konto``
returns a ``Beslutning``: the outcome, the chosen bevilling and sag, and per-fordring evidence —
which rule resolved it, which candidates were considered and why each was rejected.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from fordringer.tilknytning.regler import (
    Aarsag,
    BevillingData,
    FordringData,
    afvisning,
    anvend_regler,
    datafejl,
)

__all__ = [
    "Aarsag",
    "Beslutning",
    "BevillingData",
    "FordringData",
    "FordringEvidens",
    "Kandidat",
    "KontoData",
    "Resultat",
    "SagData",
    "vurder_fordring",
    "vurder_konto",
]


class Resultat(StrEnum):
    SAGSTILKNYTTET = "SAGSTILKNYTTET"
    SAGSOPRETTET = "SAGSOPRETTET"
    OPGAVE = "OPGAVE"
    UAENDRET = "UAENDRET"  # linked or referenced by a person: the run leaves it alone


@dataclass(frozen=True)
class SagData:
    id: int
    sagsnummer: str
    ydelsestype_id: int | None
    aaben: bool
    # Created by an earlier sagsoprettelse: it belongs to its bevilling, not to the borger's
    # pool of KY sager, so the decision does not depend on the order konti are processed in.
    oprettet_ved_tilknytning: bool = False


@dataclass(frozen=True)
class KontoData:
    id: int
    kontonummer: str
    borger_id: int
    venter_paa_daekning: bool
    fordringer: Sequence[FordringData]
    bevillinger: Sequence[BevillingData]  # the borger's own: the candidates
    sager: Sequence[SagData]  # the borger's KY sager
    # normalised bevillingsnummer → borger id, for the references the claims name (those of
    # the borger's own bevillinger may be left out: they are never another borger's)
    reference_ejere: Mapping[str, int] = field(default_factory=dict)


# Evidence is made for every claim of every konto: named tuples, cheap to build and to hash.
class Kandidat(NamedTuple):
    bevillingsnummer: str
    afvist: str  # why this candidate was not chosen ("" for the chosen one)


class FordringEvidens(NamedTuple):
    fordring_id: int
    fordringsid: str
    regel: str  # the rule that resolved it, or the reason code
    bevilling_id: int | None
    kandidater: tuple[Kandidat, ...]

    def som_dict(self) -> dict[str, object]:
        return {
            "fordring_id": self.fordring_id,
            "fordringsid": self.fordringsid,
            "regel": self.regel,
            "bevilling_id": self.bevilling_id,
            "kandidater": [
                {"bevillingsnummer": k.bevillingsnummer, "afvist": k.afvist}
                for k in self.kandidater
            ],
        }


@dataclass(frozen=True)
class Beslutning:
    konto_id: int
    resultat: Resultat
    aarsag: Aarsag | None = None
    bevilling_id: int | None = None
    sag_id: int | None = None  # None with SAGSOPRETTET: a new sag is created
    ydelsestype_id: int | None = None
    kandidat_sager: tuple[int, ...] = ()
    evidens: tuple[FordringEvidens, ...] = ()

    @property
    def tilknyttes(self) -> bool:
        return self.resultat in (Resultat.SAGSTILKNYTTET, Resultat.SAGSOPRETTET)


# --- Per fordring -----------------------------------------------------------------------------


def vurder_fordring(f: FordringData, konto: KontoData) -> FordringEvidens:
    """Data check first; then the rules (the first that gives exactly one candidate wins);
    a claim they leave open gets its reason: several fit, the borger has none, or no reference."""
    kandidater = konto.bevillinger
    fejl = datafejl(f, konto.borger_id, konto.reference_ejere)
    if fejl:
        return FordringEvidens(
            f.id, f.fordringsid, Aarsag.DATAFEJL, None, (Kandidat(f.kmd_aktiv_reference, fejl),)
        )
    regel, valgt, flere = anvend_regler(f, kandidater)
    if regel is not None and valgt is not None:
        return FordringEvidens(
            f.id,
            f.fordringsid,
            regel,
            valgt.id,
            tuple(
                Kandidat(b.bevillingsnummer, "" if b is valgt else afvisning(b, f))
                for b in kandidater
            ),
        )
    if flere:
        aarsag = Aarsag.FLERE_BEVILLINGER
    elif not kandidater:
        aarsag = Aarsag.INGEN_BEVILLING
    else:
        aarsag = Aarsag.MANGLER_REFERENCE
    return FordringEvidens(
        f.id,
        f.fordringsid,
        aarsag,
        None,
        tuple(Kandidat(b.bevillingsnummer, afvisning(b, f)) for b in kandidater),
    )


# --- Per konto --------------------------------------------------------------------------------


def _aabne_sager(konto: KontoData, ydelsestype_id: int | None) -> list[SagData]:
    if ydelsestype_id is None:
        return []
    return [
        s
        for s in konto.sager
        if s.aaben and s.ydelsestype_id == ydelsestype_id and not s.oprettet_ved_tilknytning
    ]


def vurder_konto(konto: KontoData) -> Beslutning:
    """Decide one konto (DESIGN §5). Pure: the same data always gives the same decision."""
    evidens = tuple(vurder_fordring(f, konto) for f in konto.fordringer)
    valgte = {e.bevilling_id for e in evidens if e.bevilling_id is not None}
    alle_loest = bool(evidens) and all(e.bevilling_id is not None for e in evidens)

    if alle_loest and len(valgte) == 1:
        bevilling = next(b for b in konto.bevillinger if b.id in valgte)
        ydelsestype_id = bevilling.ydelsestype_id
        if bevilling.sag_id is not None:
            sag_id: int | None = bevilling.sag_id
        else:
            sager = _aabne_sager(konto, ydelsestype_id)
            if len(sager) > 1:
                return Beslutning(
                    konto.id,
                    Resultat.OPGAVE,
                    Aarsag.FLERE_BEVILLINGER,
                    bevilling.id,
                    kandidat_sager=tuple(s.id for s in sager),
                    evidens=evidens,
                    ydelsestype_id=ydelsestype_id,
                )
            sag_id = sager[0].id if sager else None
        return Beslutning(
            konto.id,
            Resultat.SAGSTILKNYTTET if sag_id is not None else Resultat.SAGSOPRETTET,
            Aarsag.YDELSESTYPE_UKENDT if ydelsestype_id is None else None,
            bevilling.id,
            sag_id,
            ydelsestype_id,
            evidens=evidens,
        )
    if alle_loest:
        return Beslutning(konto.id, Resultat.OPGAVE, Aarsag.BLANDEDE_BEVILLINGER, evidens=evidens)

    grunde = {e.regel for e in evidens}
    for aarsag in (
        Aarsag.DATAFEJL,
        Aarsag.VENTER_PAA_DAEKNING,
        Aarsag.BLANDEDE_BEVILLINGER,
        Aarsag.FLERE_BEVILLINGER,
        Aarsag.INGEN_BEVILLING,
    ):
        if (
            (aarsag == Aarsag.VENTER_PAA_DAEKNING and konto.venter_paa_daekning)
            or (aarsag == Aarsag.BLANDEDE_BEVILLINGER and len(valgte) > 1)
            or aarsag in grunde
        ):
            return Beslutning(konto.id, Resultat.OPGAVE, aarsag, evidens=evidens)
    if not konto.bevillinger:
        return Beslutning(konto.id, Resultat.OPGAVE, Aarsag.INGEN_BEVILLING, evidens=evidens)
    return Beslutning(konto.id, Resultat.OPGAVE, Aarsag.MANGLER_REFERENCE, evidens=evidens)
