"""The linking rules of DESIGN §5 as small pure functions over plain data (no ORM).

``vurder_konto`` applies them to one konto and returns a ``Beslutning``: the outcome, the chosen
bevilling and sag, and per-fordring evidence — which rule resolved it, which candidates were
considered and why each was rejected. Rule names are the evidence shown to the caseworker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Resultat(StrEnum):
    SAGSTILKNYTTET = "SAGSTILKNYTTET"
    SAGSOPRETTET = "SAGSOPRETTET"
    OPGAVE = "OPGAVE"
    UAENDRET = "UAENDRET"  # linked or referenced by a person: the run leaves it alone


class Aarsag(StrEnum):
    """Reason codes in the precedence order of DESIGN §5 (first that applies wins)."""

    DATAFEJL = "DATAFEJL"
    VENTER_PAA_DAEKNING = "VENTER_PAA_DAEKNING"
    BLANDEDE_BEVILLINGER = "BLANDEDE_BEVILLINGER"
    FLERE_BEVILLINGER = "FLERE_BEVILLINGER"
    INGEN_BEVILLING = "INGEN_BEVILLING"
    MANGLER_REFERENCE = "MANGLER_REFERENCE"
    YDELSESTYPE_UKENDT = "YDELSESTYPE_UKENDT"


AARSAG_TEKST: dict[str, str] = {
    Aarsag.DATAFEJL: "Uoverensstemmende data: en reference peger på en anden borgers bevilling, "
    "eller en periode slutter før den begynder.",
    Aarsag.VENTER_PAA_DAEKNING: "Debitorkontoen har status 'Venter på dækning' og kunne ikke "
    "tilknyttes automatisk.",
    Aarsag.BLANDEDE_BEVILLINGER: "Fordringerne peger på forskellige bevillinger.",
    Aarsag.FLERE_BEVILLINGER: "Mere end én bevilling eller sag passer.",
    Aarsag.INGEN_BEVILLING: "Borgeren har ingen bevilling (fx særlig støtte eller manuelle "
    "fordringer).",
    Aarsag.MANGLER_REFERENCE: "Der kunne ikke udledes en KMD Aktiv reference.",
    Aarsag.YDELSESTYPE_UKENDT: "Kontoen er tilknyttet, men ydelsestypen kan ikke udledes af "
    "bevillingens ydelseskode.",
}


def norm(reference: str) -> str:
    """References compare trimmed and case-insensitively."""
    return reference.strip().casefold()


@dataclass(frozen=True)
class BevillingData:
    id: int
    bevillingsnummer: str
    ydelseskode: str
    periode_fra: dt.date
    periode_til: dt.date | None
    sag_id: int | None
    ydelsestype_id: int | None

    # Normalised once per bevilling: the rules compare them for every claim of the borger.
    # Set eagerly: a cached_property takes a lock on every read (Python 3.11), and these are
    # read for every claim and candidate.
    nummer_norm: str = field(init=False, repr=False, compare=False)
    ydelseskode_norm: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "nummer_norm", norm(self.bevillingsnummer))
        object.__setattr__(self, "ydelseskode_norm", norm(self.ydelseskode))


@dataclass(frozen=True)
class SagData:
    id: int
    sagsnummer: str
    ydelsestype_id: int | None
    aaben: bool
    # Created by an earlier sagsoprettelse: it belongs to its bevilling, not to the borger's
    # pool of KY sager, so the decision does not depend on the order konti are processed in.
    oprettet_ved_tilknytning: bool = False


@dataclass(slots=True)
class FordringData:
    """One claim as the rules see it. Not frozen, unlike the rest: a chunk builds ten thousand
    of these, and a frozen dataclass sets each field through ``object.__setattr__`` (three
    times slower). The rules only read them."""

    id: int
    fordringsid: str
    kmd_aktiv_reference: str
    ydelseskode: str
    tekst: str
    periode_fra: dt.date | None
    periode_til: dt.date | None

    reference_norm: str = field(init=False, repr=False, compare=False)
    ydelseskode_norm: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.reference_norm = norm(self.kmd_aktiv_reference)
        self.ydelseskode_norm = norm(self.ydelseskode)

    @property
    def tekst_ord(self) -> frozenset[str]:
        """The words of the claim text, normalised, without surrounding punctuation (only read
        when the reference rule fails, so not kept)."""
        return frozenset(w.strip(".,;:()[]'\"") for w in self.tekst.casefold().split())


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


def datafejl(f: FordringData, konto: KontoData) -> str | None:
    """The data check: a reference naming another borger's bevilling, or a reversed period."""
    if f.periode_fra and f.periode_til and f.periode_til < f.periode_fra:
        return "perioden slutter før den begynder"
    ejer = konto.reference_ejere.get(f.reference_norm) if f.reference_norm else None
    if ejer is not None and ejer != konto.borger_id:
        return f"referencen {f.kmd_aktiv_reference} er en anden borgers bevilling"
    return None


def regel_reference(f: FordringData, kandidater: Sequence[BevillingData]) -> list[BevillingData]:
    """Rule 1: the claim's KMD Aktiv reference equals a candidate's bevillingsnummer."""
    ref = f.reference_norm
    return [b for b in kandidater if ref and b.nummer_norm == ref]


def regel_reference_i_tekst(
    f: FordringData, kandidater: Sequence[BevillingData]
) -> list[BevillingData]:
    """Rule 2: a word of the claim text equals a candidate's bevillingsnummer."""
    tekst = f.tekst.casefold()
    # Half the claims come this far; in most the text holds no candidate's number at all.
    if not any(b.nummer_norm in tekst for b in kandidater):
        return []
    ord_ = f.tekst_ord
    return [b for b in kandidater if b.nummer_norm in ord_]


def daekker_periode(b: BevillingData, f: FordringData) -> bool:
    """The bevilling's period covers the claim's whole period (empty ``periode_til`` is open)."""
    if f.periode_fra is None or b.periode_fra > f.periode_fra:
        return False
    if b.periode_til is None:
        return True
    return f.periode_til is not None and f.periode_til <= b.periode_til


def regel_ydelse_og_periode(
    f: FordringData, kandidater: Sequence[BevillingData]
) -> list[BevillingData]:
    """Rule 3: candidates with the claim's ydelseskode whose period covers the claim's."""
    kode = f.ydelseskode_norm
    return [b for b in kandidater if kode and b.ydelseskode_norm == kode and daekker_periode(b, f)]


Regel = Callable[[FordringData, Sequence[BevillingData]], list[BevillingData]]
REGLER: tuple[tuple[str, Regel], ...] = (
    ("reference", regel_reference),
    ("reference_i_tekst", regel_reference_i_tekst),
    ("ydelse_og_periode", regel_ydelse_og_periode),
)


def _afvisning(b: BevillingData, f: FordringData) -> str:
    grunde = []
    if not f.kmd_aktiv_reference or b.nummer_norm != f.reference_norm:
        grunde.append("referencen passer ikke")
    if b.ydelseskode_norm != f.ydelseskode_norm:
        grunde.append(f"ydelseskode {b.ydelseskode or 'mangler'} ≠ {f.ydelseskode or 'mangler'}")
    elif not daekker_periode(b, f):
        grunde.append("perioden dækker ikke fordringens periode")
    return "; ".join(grunde) or "flere bevillinger passer"


def vurder_fordring(f: FordringData, konto: KontoData) -> FordringEvidens:
    """Data check first; then the first rule that gives exactly one candidate wins."""
    kandidater = konto.bevillinger
    fejl = datafejl(f, konto)
    if fejl:
        return FordringEvidens(
            f.id, f.fordringsid, Aarsag.DATAFEJL, None, (Kandidat(f.kmd_aktiv_reference, fejl),)
        )
    flere = False
    for navn, regel in REGLER:
        fundet = regel(f, kandidater)
        if len(fundet) == 1:
            valgt = fundet[0]
            return FordringEvidens(
                f.id,
                f.fordringsid,
                navn,
                valgt.id,
                tuple(
                    Kandidat(b.bevillingsnummer, "" if b is valgt else _afvisning(b, f))
                    for b in kandidater
                ),
            )
        if navn == "ydelse_og_periode" and len(fundet) > 1:
            flere = True
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
        tuple(Kandidat(b.bevillingsnummer, _afvisning(b, f)) for b in kandidater),
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
