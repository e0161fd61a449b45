"""Interest on claims: pure calculation over plain data (DESIGN §7).

The regime of a claim is ``Fordring.renteregime``, stamped from the regime table per ydelsestype
(``Renteregimeregel``, ``renteregime_stempl`` in ``rente/services.py``); the rates are data too
(``Rentesats``: one row per regime and valid-from date, with its source). Nothing here touches
the database: the service ``renter_afstem`` (``fordringer/rente/services.py``) feeds it a
claim's ledger and books the difference, so every booked figure can be recomputed from the
ledger alone.

Rules, from DESIGN §7:

* Interest is charged on the outstanding principal only (no interest on interest), and a
  payment covers booked interest (and fees) before principal. Paying on the due date is
  paying on time.
* *Gebyrloven § 3*: on the due date and on the same day of every following month (the last
  day of a month that has no such day), the month's rate of the principal then outstanding is
  booked, rounded half-up to the øre. A payment dated on such a day is applied before that
  day's interest.
* *Opkrævningsloven § 7*: for each calendar day after the due date, interest accrues on the
  principal outstanding at the start of that day at (monthly rate * 12 / 365), the monthly
  rate being the rate of that day's calendar year (basisrente + tillæg). The unrounded sum is
  booked at each month's last day and on each payment date (before the payment is applied),
  rounded half-up to the øre.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from fordringer.choices import PosteringArt, Renteregime
from ky_debitor.money import NUL, afrund

HUNDREDE = Decimal(100)
DAGE_I_AARET = Decimal(365)
MAANEDER = Decimal(12)

# Credits that reduce the principal directly; every other credit covers interest first.
HOVEDSTOLSREGULERINGER = frozenset({PosteringArt.NEDREGULERING.value})


@dataclass(frozen=True)
class Sats:
    """A monthly rate in percent, valid from ``gyldig_fra`` until the next row."""

    gyldig_fra: dt.date
    maanedlig_pct: Decimal


@dataclass(frozen=True)
class Bevaegelse:
    """One non-interest movement on a claim: ``beloeb`` > 0 raises it (hovedstol, gebyr),
    ``beloeb`` < 0 is a credit (dækning, afskrivning, nedregulering)."""

    dato: dt.date
    beloeb: Decimal
    art: str


@dataclass(frozen=True)
class Rentebogning:
    dato: dt.date
    beloeb: Decimal


@functools.cache
def sidste_dag(aar: int, maaned: int) -> int:
    """The month's last day (cached: a run asks for the same few hundred months millions of
    times)."""
    return calendar.monthrange(aar, maaned)[1]


def rentedage_gebyrloven(forfaldsdato: dt.date, til_dato: dt.date) -> list[dt.date]:
    """The due date and the same day of each following month, the last day of a month that
    has no such day (gebyrloven § 3), up to and including ``til_dato``.

    The day comes back after a short month: due 31 January gives 28/29 February, 31 March.
    """
    dage: list[dt.date] = []
    aar, maaned = forfaldsdato.year, forfaldsdato.month
    while True:
        dag = dt.date(aar, maaned, min(forfaldsdato.day, sidste_dag(aar, maaned)))
        if dag > til_dato:
            return dage
        dage.append(dag)
        aar, maaned = (aar + 1, 1) if maaned == 12 else (aar, maaned + 1)


def sats_paa(satser: Sequence[Sats], dag: dt.date) -> Decimal:
    """The monthly rate in force on ``dag`` (the last row valid from on or before it)."""
    gaeldende = None
    for sats in satser:
        if sats.gyldig_fra <= dag:
            gaeldende = sats
    if gaeldende is None:
        raise ValueError(f"Ingen rentesats gælder {dag:%d-%m-%Y}.")
    return gaeldende.maanedlig_pct


class _Saldo:
    """Principal and booked-but-uncovered interest/fees of one claim while simulating."""

    def __init__(self, bevaegelser: Iterable[Bevaegelse]) -> None:
        # The principal exists from the claim's creation; interest runs from the due date.
        self.hovedstol = sum(
            (b.beloeb for b in bevaegelser if b.art == PosteringArt.HOVEDSTOL), NUL
        )
        self.rente = NUL

    def anvend(self, bevaegelse: Bevaegelse) -> None:
        if bevaegelse.art == PosteringArt.HOVEDSTOL:
            return
        if bevaegelse.beloeb > 0:  # a fee: covered with the interest, bears none itself
            self.rente += bevaegelse.beloeb
            return
        kredit = -bevaegelse.beloeb
        if bevaegelse.art in HOVEDSTOLSREGULERINGER:
            fra_hovedstol = min(kredit, max(self.hovedstol, NUL))
            self.hovedstol -= fra_hovedstol
            self.rente -= kredit - fra_hovedstol
            return
        fra_rente = min(kredit, max(self.rente, NUL))
        self.rente -= fra_rente
        self.hovedstol -= kredit - fra_rente

    def bogfoer_rente(self, beloeb: Decimal) -> None:
        self.rente += beloeb


def _per_dato(bevaegelser: Sequence[Bevaegelse]) -> dict[dt.date, list[Bevaegelse]]:
    per_dato: dict[dt.date, list[Bevaegelse]] = {}
    for b in sorted(bevaegelser, key=lambda b: b.dato):
        per_dato.setdefault(b.dato, []).append(b)
    return per_dato


def rente_gebyrloven(
    *,
    forfaldsdato: dt.date,
    bevaegelser: Sequence[Bevaegelse],
    satser: Sequence[Sats],
    til_dato: dt.date,
) -> list[Rentebogning]:
    """Gebyrloven § 3 interest up to and including ``til_dato`` (see module docstring)."""
    saldo = _Saldo(bevaegelser)
    per_dato = _per_dato(bevaegelser)
    rentedage = rentedage_gebyrloven(forfaldsdato, til_dato)
    bogninger = []
    for dag in sorted(set(per_dato) | set(rentedage)):
        if dag > til_dato:
            break
        for b in per_dato.get(dag, []):
            saldo.anvend(b)  # a payment on an interest day is applied first
        if dag in rentedage and saldo.hovedstol > 0:
            beloeb = afrund(saldo.hovedstol * sats_paa(satser, dag) / HUNDREDE)
            if beloeb > 0:
                saldo.bogfoer_rente(beloeb)
                bogninger.append(Rentebogning(dag, beloeb))
    return bogninger


def rente_opkraevningsloven(
    *,
    forfaldsdato: dt.date,
    bevaegelser: Sequence[Bevaegelse],
    satser: Sequence[Sats],
    til_dato: dt.date,
) -> list[Rentebogning]:
    """Opkrævningsloven § 7 interest up to and including ``til_dato`` (see module docstring).

    Only interest whose booking day (a month's last day or a payment date) has come is
    returned; accrual since the last booking day waits for the next one.
    """
    saldo = _Saldo(bevaegelser)
    per_dato = _per_dato(bevaegelser)
    bogninger = []
    # Movements up to the due date only move the balance: nothing accrues yet.
    for dag in sorted(d for d in per_dato if d <= forfaldsdato):
        for b in per_dato[dag]:
            saldo.anvend(b)
    # Between two break days the principal and the rate are constant, so the daily amounts
    # of the days up to and including a break day are added as one product (the same sum).
    brud = set(d for d in per_dato if forfaldsdato < d <= til_dato)
    brud |= {s.gyldig_fra - dt.timedelta(days=1) for s in satser}
    aar, maaned = forfaldsdato.year, forfaldsdato.month
    while (ultimo := dt.date(aar, maaned, sidste_dag(aar, maaned))) <= til_dato:
        brud.add(ultimo)
        aar, maaned = (aar + 1, 1) if maaned == 12 else (aar, maaned + 1)
    paaloebet = Decimal(0)
    forrige = forfaldsdato
    for dag in sorted(d for d in brud if forfaldsdato < d <= til_dato):
        if saldo.hovedstol > 0:
            dage = (dag - forrige).days
            paaloebet += (
                saldo.hovedstol * sats_paa(satser, dag) * MAANEDER * dage / HUNDREDE / DAGE_I_AARET
            )
        forrige = dag
        bevaegelser_i_dag = per_dato.get(dag, [])
        er_betaling = any(b.beloeb < 0 for b in bevaegelser_i_dag)
        if er_betaling or dag.day == sidste_dag(dag.year, dag.month):
            beloeb = afrund(paaloebet)
            paaloebet = Decimal(0)
            if beloeb > 0:
                saldo.bogfoer_rente(beloeb)
                bogninger.append(Rentebogning(dag, beloeb))
        for b in bevaegelser_i_dag:
            saldo.anvend(b)
    return bogninger


def rente_beregn(
    *,
    renteregime: str,
    forfaldsdato: dt.date | None,
    bevaegelser: Sequence[Bevaegelse],
    satser: Sequence[Sats],
    til_dato: dt.date,
) -> list[Rentebogning]:
    """The interest a claim should carry up to ``til_dato`` under its regime (DESIGN §7)."""
    if forfaldsdato is None or renteregime == Renteregime.INGEN:
        return []
    if renteregime == Renteregime.GEBYRLOVEN_3:
        beregn = rente_gebyrloven
    elif renteregime == Renteregime.OPKRAEVNINGSLOVEN_7:
        beregn = rente_opkraevningsloven
    else:
        raise ValueError(f"Ukendt renteregime {renteregime}.")
    return beregn(
        forfaldsdato=forfaldsdato, bevaegelser=bevaegelser, satser=satser, til_dato=til_dato
    )


def restance_beregn(
    *, bevaegelser: Sequence[Bevaegelse], renter: Sequence[Rentebogning]
) -> Decimal:
    """The restance the movements and interest add up to."""
    return sum((b.beloeb for b in bevaegelser), NUL) + sum((r.beloeb for r in renter), NUL)
