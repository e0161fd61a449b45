"""The one rule: which eIndkomst lines the ledger calls for (DESIGN §7). Pure: no database.

A booked dækning (not parked, not reversed) on a claim with a ydelsestype gives at most one
line for the borger who owns the claim:

* repaid in the payout's own year (the claim's period start, else its due date): a
  ``KORREKTION`` of that year's income, ``-beløb``, when the benefit is a forsørgelsesydelse
  (taxable income; enkeltydelser and særlig støtte never were income);
* repaid in a later year: an ``LL8O`` deduction of ``+beløb`` in the repayment year, when the
  § 8 O list of that income year covers the ydelsestype.

Everything else (afskrivninger, interest, samling, a reversed or still parked dækning) gives
nothing. ``forventede_linjer`` applied to the ledger is "what should have been reported"; the
reporting ledger is kept equal to it (``services.eindkomst_afstem``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from fordringer.choices import EIndkomstArt, PosteringArt


@dataclass(frozen=True)
class Daekning:
    """The ledger facts one line depends on."""

    postering_id: int
    art: str
    beloeb: Decimal  # signed as in the ledger: a dækning is negative
    valoerdato: dt.date
    tilbagefoert: bool
    parkeret: bool
    ydelsestype_id: int | None
    udbetalt: dt.date | None  # the payout: the claim's period start, else its due date
    cpr: str


@dataclass(frozen=True)
class Linje:
    """One expected line (or the state of a written one, for comparison)."""

    postering_id: int
    art: str
    cpr: str
    indkomstaar: int
    beloeb: Decimal
    ydelsestype_id: int


LL8ODaekker = Callable[[int, int], bool]  # (ydelsestype_id, indkomstaar) → covered?


def linje_for(d: Daekning, *, ll8o: LL8ODaekker, forsoergelse: Collection[int]) -> Linje | None:
    """The line one ledger entry calls for, or None."""
    if d.art != PosteringArt.DAEKNING or d.tilbagefoert or d.parkeret or d.beloeb >= 0:
        return None
    yt = d.ydelsestype_id
    if yt is None:
        return None
    aar = d.valoerdato.year
    if d.udbetalt is not None and d.udbetalt.year == aar:
        if yt not in forsoergelse:
            return None
        return Linje(d.postering_id, EIndkomstArt.KORREKTION, d.cpr, aar, d.beloeb, yt)
    if not ll8o(yt, aar):
        return None
    return Linje(d.postering_id, EIndkomstArt.LL8O, d.cpr, aar, -d.beloeb, yt)


def forventede_linjer(
    daekninger: Iterable[Daekning], *, ll8o: LL8ODaekker, forsoergelse: Collection[int]
) -> dict[int, Linje]:
    """Per ledger entry id, the line it calls for (entries that call for none are absent)."""
    resultat = {}
    for d in daekninger:
        linje = linje_for(d, ll8o=ll8o, forsoergelse=forsoergelse)
        if linje is not None:
            resultat[d.postering_id] = linje
    return resultat


def frist(indkomstaar: int) -> dt.date:
    """The last day a line of this income year reaches the årsopgørelse: 31 January of the next
    year (seed 002). A line written later is an efterregulering."""
    return dt.date(indkomstaar + 1, 1, 31)


def er_efterregulering(indkomstaar: int, idag: dt.date) -> bool:
    return idag > frist(indkomstaar)
