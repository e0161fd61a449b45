"""What the interest run's admin panel shows (``rente/admin.py``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from fordringer.models import Rentekoersel
from fordringer.rente.koersel import AKTIVE, STANDSEDE
from ky_debitor.fremdrift import Tempo, tempo


@dataclass(frozen=True)
class Rentefremdrift:
    """A run's progress, computed at one instant from its row alone (no query)."""

    status: str
    status_tekst: str
    aktiv: bool
    kan_genoptages: bool
    behandlet: int
    i_alt: int
    aendret: int
    bogfoert: Decimal
    dele_faerdige: int
    tempo: Tempo
    fejl: str


def rentekoersel_fremdrift(
    koersel: Rentekoersel, *, nu: dt.datetime | None = None
) -> Rentefremdrift:
    aktiv = koersel.status in AKTIVE
    # Counted when a worker takes the run; until then (or if the count fell behind) it is at
    # least what has been gone over.
    i_alt = max(koersel.antal_i_alt, koersel.antal_behandlet)
    return Rentefremdrift(
        status=koersel.status,
        status_tekst=koersel.get_status_display(),
        aktiv=aktiv,
        kan_genoptages=koersel.status in STANDSEDE,
        behandlet=koersel.antal_behandlet,
        i_alt=i_alt,
        aendret=koersel.antal_aendret,
        bogfoert=koersel.beloeb_bogfoert,
        dele_faerdige=koersel.dele_faerdige,
        tempo=tempo(
            behandlet=koersel.antal_behandlet,
            total=i_alt,
            aktiv=aktiv,
            startet=koersel.startet,
            afsluttet=koersel.afsluttet,
            nu=nu or timezone.now(),
        ),
        fejl=koersel.fejl,
    )
