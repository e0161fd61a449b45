"""Interest on the ledger: the claim's RENTE entries are always what ``rente.py`` computes
from its other entries (DESIGN §7: each figure reproducible from the ledger).

``renter_afstem`` recomputes a claim's interest from its non-interest entries (plus movements
about to be booked), reverses the RENTE entries that no longer hold and books the ones that
now do, each with its own value date. Callers hold the konto and claim locks
(``postering_bogfoer`` takes them again, which is a no-op inside the same transaction).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ky_debitor.money import NUL

from .choices import PosteringArt, Renteregime
from .ledger import postering_bogfoer
from .models import Fordring, Postering, Rentesats
from .rente import Bevaegelse, Rentebogning, Sats, rente_beregn


def rentesatser(renteregime: str) -> list[Sats]:
    """The rate table of a regime, oldest first."""
    return [
        Sats(gyldig_fra=r.gyldig_fra, maanedlig_pct=r.maanedlig_pct)
        for r in Rentesats.objects.filter(renteregime=renteregime).order_by("gyldig_fra")
    ]


def aktive_posteringer(posteringer: Iterable[Postering]) -> list[Postering]:
    """Entries that stand: neither reversed nor a reversal."""
    alle = list(posteringer)
    tilbagefoert = {p.tilbagefoerer_id for p in alle if p.tilbagefoerer_id is not None}
    return [p for p in alle if p.art != PosteringArt.TILBAGEFOERSEL and p.pk not in tilbagefoert]


def bevaegelser(posteringer: Iterable[Postering]) -> list[Bevaegelse]:
    """The standing non-interest entries of a claim as plain movements."""
    return [
        Bevaegelse(dato=p.valoerdato, beloeb=p.beloeb, art=p.art)
        for p in aktive_posteringer(posteringer)
        if p.art != PosteringArt.RENTE
    ]


@dataclass(frozen=True)
class Renteaendring:
    """What recomputing a claim's interest changes: entries to reverse and to book."""

    fordring: Fordring
    tilbagefoer: list[Postering]
    bogfoer: list[Rentebogning]
    restance_efter: Decimal

    @property
    def netto(self) -> Decimal:
        return sum((r.beloeb for r in self.bogfoer), NUL) - sum(
            (p.beloeb for p in self.tilbagefoer), NUL
        )


def rente_aendring(
    *,
    fordring: Fordring,
    til_dato: dt.date,
    ekstra: Sequence[Bevaegelse] = (),
    undtag: Iterable[int] = (),
    posteringer: Sequence[Postering] | None = None,
) -> Renteaendring:
    """The interest change on ``fordring`` if ``ekstra`` were booked and the entries with
    ids in ``undtag`` reversed (read only; ``renter_afstem`` books it)."""
    undtag = set(undtag)
    if posteringer is None:
        posteringer = list(fordring.posteringer.all())
    staaende = [p for p in aktive_posteringer(posteringer) if p.pk not in undtag]
    renter = [p for p in staaende if p.art == PosteringArt.RENTE]
    flyt = [
        Bevaegelse(dato=p.valoerdato, beloeb=p.beloeb, art=p.art)
        for p in staaende
        if p.art != PosteringArt.RENTE
    ] + list(ekstra)
    restance_uden_rente = sum((b.beloeb for b in flyt), NUL)
    if fordring.renteregime == Renteregime.INGEN:
        beholdt = sum((p.beloeb for p in renter), NUL)
        return Renteaendring(fordring, [], [], restance_uden_rente + beholdt)
    oenskede = rente_beregn(
        renteregime=fordring.renteregime,
        forfaldsdato=fordring.forfaldsdato,
        bevaegelser=flyt,
        satser=rentesatser(fordring.renteregime),
        til_dato=til_dato,
    )
    # Keep every booked entry that the computation also wants; reverse the rest.
    mangler = Counter((r.dato, r.beloeb) for r in oenskede)
    tilbagefoer = []
    for p in renter:
        noegle = (p.valoerdato, p.beloeb)
        if mangler[noegle] > 0:
            mangler[noegle] -= 1
        else:
            tilbagefoer.append(p)
    bogfoer = [Rentebogning(d, b) for (d, b), n in sorted(mangler.items()) for _ in range(n)]
    restance = restance_uden_rente + sum((r.beloeb for r in oenskede), NUL)
    return Renteaendring(fordring, tilbagefoer, bogfoer, restance)


def renter_bogfoer(
    *, aendring: Renteaendring, user: Any, begrundelse: str, system: str = "rente"
) -> list[Postering]:
    """Book a computed interest change: new entries first, so the restance never dips
    below zero on the way, then the reversals."""
    nye = [
        postering_bogfoer(
            fordring=aendring.fordring,
            art=PosteringArt.RENTE,
            beloeb=r.beloeb,
            valoerdato=r.dato,
            user=user,
            tekst=f"Rente ({aendring.fordring.get_renteregime_display()})",
            begrundelse=begrundelse,
            system=system,
        )
        for r in aendring.bogfoer
    ]
    nye += [
        postering_bogfoer(
            fordring=aendring.fordring,
            art=PosteringArt.TILBAGEFOERSEL,
            beloeb=-p.beloeb,
            valoerdato=p.valoerdato,
            user=user,
            tekst="Tilbageførsel af rente (genberegnet)",
            begrundelse=begrundelse,
            tilbagefoerer=p,
            system=system,
        )
        for p in aendring.tilbagefoer
    ]
    return nye


def renter_afstem(
    *, fordring: Fordring, til_dato: dt.date, user: Any, begrundelse: str, system: str = "rente"
) -> list[Postering]:
    """Bring the claim's interest in line with its ledger up to ``til_dato``."""
    aendring = rente_aendring(fordring=fordring, til_dato=til_dato)
    return renter_bogfoer(aendring=aendring, user=user, begrundelse=begrundelse, system=system)
