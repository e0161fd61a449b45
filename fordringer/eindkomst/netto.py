"""Netting what a kommune reported by hand (seed 000's workaround) out of what we send. Pure.

A by-hand amount is a § 8 O amount per borger and income year. Of the rows a batch would send
for that borger and year (one per ydelsestype), the positive § 8 O rows absorb what is left of
the by-hand amount, in ydelsestype order; corrections (``KORREKTION``) are never netted. What
is left of a by-hand amount after earlier batches is ``manuelt - sum(modregnet so far)``.

The reconciliation uses the same numbers: expected (recomputed from the ledger) = reported +
netted by hand + waiting to be sent; any other difference is listed per borger.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from fordringer.choices import EIndkomstArt
from ky_debitor.money import NUL


@dataclass(frozen=True)
class Raekke:
    """One row of a batch before netting: the lines' sum per borger, year, art, ydelsestype."""

    cpr: str
    indkomstaar: int
    art: str
    ydelsestype_id: int
    linjer: Decimal


@dataclass(frozen=True)
class NettoRaekke:
    raekke: Raekke
    modregnet: Decimal
    beloeb: Decimal  # what is sent: linjer - modregnet


def modregn(raekker: Sequence[Raekke], *, manuel_rest: Decimal) -> list[NettoRaekke]:
    """Net ``manuel_rest`` (what is left of the by-hand amount for one borger and year) out of
    that borger's and year's rows, § 8 O rows in ydelsestype order."""
    rest = max(manuel_rest, NUL)
    resultat = []
    for r in sorted(raekker, key=lambda r: (r.art, r.ydelsestype_id)):
        modregnet = NUL
        if r.art == EIndkomstArt.LL8O and r.linjer > 0 and rest > 0:
            modregnet = min(r.linjer, rest)
            rest -= modregnet
        resultat.append(NettoRaekke(r, modregnet, r.linjer - modregnet))
    return resultat
