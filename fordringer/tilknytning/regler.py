"""The matching vocabulary of DESIGN §5, once: reason codes and rule names with their Danish
labels, normalisation, period cover, the data check and the three rules, as small pure functions
over plain data (no ORM).

Both users sit above it: the linking engine (``sagstilknytning.regler``) applies the rules in its
order of precedence and decides a konto; the task screen (``opgavepakker.selectors``) ranks a
konto's bevillinger with the very same functions, so its first candidate is the bevilling the run
chose. Nothing here imports either of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple


class Aarsag(StrEnum):
    """Reason codes in the precedence order of DESIGN §5 (first that applies wins)."""

    DATAFEJL = "DATAFEJL"
    VENTER_PAA_DAEKNING = "VENTER_PAA_DAEKNING"
    BLANDEDE_BEVILLINGER = "BLANDEDE_BEVILLINGER"
    FLERE_BEVILLINGER = "FLERE_BEVILLINGER"
    INGEN_BEVILLING = "INGEN_BEVILLING"
    MANGLER_REFERENCE = "MANGLER_REFERENCE"
    YDELSESTYPE_UKENDT = "YDELSESTYPE_UKENDT"


class Regel(StrEnum):
    """The rules of DESIGN §5 by the name a run stores as evidence, in their order."""

    REFERENCE = "reference"
    REFERENCE_I_TEKST = "reference_i_tekst"
    YDELSE_OG_PERIODE = "ydelse_og_periode"


REGELNAVNE: frozenset[str] = frozenset(r.value for r in Regel)


class Tekst(NamedTuple):
    navn: str  # a label: a package's name, a filter choice, the admin's column
    forklaring: str  # a sentence for the caseworker


# One table of every code a run stores (rule names and reason codes) with its Danish texts.
TEKSTER: dict[str, Tekst] = {
    Regel.REFERENCE: Tekst(
        "Regel 1: KMD Aktiv reference er bevillingsnummeret",
        "Fordringens KMD Aktiv reference er bevillingsnummeret",
    ),
    Regel.REFERENCE_I_TEKST: Tekst(
        "Regel 2: bevillingsnummeret står i fordringens tekst",
        "Bevillingsnummeret står i fordringens tekst",
    ),
    Regel.YDELSE_OG_PERIODE: Tekst(
        "Regel 3: ydelseskode og periode passer",
        "Én bevilling har fordringens ydelseskode og dækker perioden",
    ),
    Aarsag.DATAFEJL: Tekst(
        "Datafejl",
        "Uoverensstemmende data: en reference peger på en anden borgers bevilling, "
        "eller en periode slutter før den begynder.",
    ),
    Aarsag.VENTER_PAA_DAEKNING: Tekst(
        "Venter på dækning",
        "Debitorkontoen har status 'Venter på dækning' og kunne ikke tilknyttes automatisk.",
    ),
    Aarsag.BLANDEDE_BEVILLINGER: Tekst(
        "Blandede bevillinger", "Fordringerne peger på forskellige bevillinger."
    ),
    Aarsag.FLERE_BEVILLINGER: Tekst(
        "Flere bevillinger eller sager passer", "Mere end én bevilling eller sag passer."
    ),
    Aarsag.INGEN_BEVILLING: Tekst(
        "Ingen bevilling",
        "Borgeren har ingen bevilling (fx særlig støtte eller manuelle fordringer).",
    ),
    Aarsag.MANGLER_REFERENCE: Tekst(
        "Manglende KMD Aktiv reference", "Der kunne ikke udledes en KMD Aktiv reference."
    ),
    Aarsag.YDELSESTYPE_UKENDT: Tekst(
        "Ydelsestype kan ikke udledes",
        "Kontoen er tilknyttet, men ydelsestypen kan ikke udledes af bevillingens ydelseskode.",
    ),
}


def navn(kode: str) -> str:
    """The label of a rule name or reason code (the code itself if it is neither)."""
    tekst = TEKSTER.get(kode)
    return tekst.navn if tekst else kode


def forklaring(kode: str) -> str:
    """The caseworker's sentence for a rule name or reason code (the code if it is neither)."""
    tekst = TEKSTER.get(kode)
    return tekst.forklaring if tekst else kode


# --- Normalisation ----------------------------------------------------------------------------


def norm(reference: str) -> str:
    """References compare trimmed and case-insensitively."""
    return reference.strip().casefold()


def tekst_ord(tekst: str) -> frozenset[str]:
    """The words of a claim text, normalised, without surrounding punctuation: ``(B7).`` is
    the word ``b7``."""
    return frozenset(w.strip(".,;:()[]'\"") for w in tekst.casefold().split())


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
        """The words of the claim text (only read when the reference rule fails, so not
        kept)."""
        return tekst_ord(self.tekst)


# --- The data check and the rules, per claim ---------------------------------------------------


def datafejl(f: FordringData, borger_id: int, reference_ejere: Mapping[str, int]) -> str | None:
    """The data check: a reference naming another borger's bevilling, or a reversed period.
    ``reference_ejere`` maps a normalised bevillingsnummer to its borger's id."""
    if f.periode_fra and f.periode_til and f.periode_til < f.periode_fra:
        return "perioden slutter før den begynder"
    ejer = reference_ejere.get(f.reference_norm) if f.reference_norm else None
    if ejer is not None and ejer != borger_id:
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


def samme_ydelseskode(b: BevillingData, f: FordringData) -> bool:
    """The claim has a ydelseskode, and it is the bevilling's."""
    return bool(f.ydelseskode_norm) and b.ydelseskode_norm == f.ydelseskode_norm


def daekker_periode(b: BevillingData, f: FordringData) -> bool:
    """The bevilling's period covers the claim's whole period. An empty ``periode_til`` is
    open-ended, on both sides: an open-ended claim is covered only by an open-ended bevilling."""
    if f.periode_fra is None or b.periode_fra > f.periode_fra:
        return False
    if b.periode_til is None:
        return True
    return f.periode_til is not None and f.periode_til <= b.periode_til


def regel_ydelse_og_periode(
    f: FordringData, kandidater: Sequence[BevillingData]
) -> list[BevillingData]:
    """Rule 3: candidates with the claim's ydelseskode whose period covers the claim's."""
    return [b for b in kandidater if samme_ydelseskode(b, f) and daekker_periode(b, f)]


Regelfunktion = Callable[[FordringData, Sequence[BevillingData]], list[BevillingData]]
REGLER: tuple[tuple[Regel, Regelfunktion], ...] = (
    (Regel.REFERENCE, regel_reference),
    (Regel.REFERENCE_I_TEKST, regel_reference_i_tekst),
    (Regel.YDELSE_OG_PERIODE, regel_ydelse_og_periode),
)


class Udfald(NamedTuple):
    """What the rules make of one claim: the rule that found exactly one candidate and that
    candidate, or neither; and the candidates rule 3 found when it found several."""

    regel: Regel | None
    valgt: BevillingData | None
    flere: tuple[BevillingData, ...]


def anvend_regler(f: FordringData, kandidater: Sequence[BevillingData]) -> Udfald:
    """The rules in their order; the first that gives exactly one candidate wins (DESIGN §5).
    The data check comes before, and is the caller's."""
    flere: tuple[BevillingData, ...] = ()
    for regel, funktion in REGLER:
        fundet = funktion(f, kandidater)
        if len(fundet) == 1:
            return Udfald(regel, fundet[0], ())
        if regel is Regel.YDELSE_OG_PERIODE and len(fundet) > 1:
            flere = tuple(fundet)
    return Udfald(None, None, flere)


def afvisning(b: BevillingData, f: FordringData) -> str:
    """Why a candidate was not chosen for a claim, in Danish (the evidence of DESIGN §4.7)."""
    grunde = []
    if not f.kmd_aktiv_reference or b.nummer_norm != f.reference_norm:
        grunde.append("referencen passer ikke")
    if b.ydelseskode_norm != f.ydelseskode_norm:
        grunde.append(f"ydelseskode {b.ydelseskode or 'mangler'} ≠ {f.ydelseskode or 'mangler'}")
    elif not daekker_periode(b, f):
        grunde.append("perioden dækker ikke fordringens periode")
    return "; ".join(grunde) or "flere bevillinger passer"
