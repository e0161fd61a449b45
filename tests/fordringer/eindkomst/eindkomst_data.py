"""eIndkomst lines made the way production makes them: dækninger booked on claims through the
ledger, parked dækninger released by linking the konto, and batches that carried lines. A
date that matters (when a line is written) is set with ``time_machine``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from fordringer.choices import BeskedStatus, BeskedType, PosteringArt
from fordringer.ledger.services import postering_bogfoer, postering_tilbagefoer
from fordringer.models import (
    EIndkomstForsendelse,
    EIndkomstForsendelseLinje,
    EIndkomstLinje,
    Fordring,
    Postering,
    Ydelsestype,
)
from fordringer.tilknytning.services import debitorkonto_tilknyt

from ...factories import (
    BevillingFactory,
    DebitorkontoFactory,
    FordringFactory,
    UdgaaendeBeskedFactory,
)

KOEBENHAVNSK = ZoneInfo("Europe/Copenhagen")


def paa(dag: dt.date) -> Any:
    """Travel to ``dag`` at noon, Danish time, with the clock standing still."""
    return time_machine.travel(dt.datetime.combine(dag, dt.time(12), KOEBENHAVNSK), tick=False)


def ky_konto(borger: Any, kontonummer: str) -> Any:
    return DebitorkontoFactory.create(borger=borger, kontonummer=kontonummer, ky=True)


def ky_fordring(
    konto: Any,
    fordringsid: str,
    *,
    ydelseskode: str = "KTH",
    periode_fra: dt.date = dt.date(2024, 1, 1),
) -> Fordring:
    """A claim on a KY konto with its ydelsestype: a dækning on it is reported at once. Paid
    out in ``periode_fra``'s month."""
    return FordringFactory.create(
        konto=konto,
        fordringsid=fordringsid,
        ydelseskode=ydelseskode,
        ydelsestype=Ydelsestype.objects.get(koder__kode=ydelseskode),
        periode_fra=periode_fra,
        periode_til=periode_fra.replace(day=28),
        hovedstol=Decimal("5000.00"),
    )


def daekning(fordring: Fordring, beloeb: str, valoerdato: dt.date, bruger: Any) -> Postering:
    return postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=Decimal(beloeb),
        valoerdato=valoerdato,
        user=bruger,
    )


def tilbagefoer(postering: Postering, bruger: Any) -> Postering:
    return postering_tilbagefoer(postering=postering, user=bruger, begrundelse="Fejlindbetaling")


def parkeret_konto(
    borger: Any, *, kontonummer: str, beloeb: str, valoerdato: dt.date, bruger: Any
) -> Any:
    """An unlinked KMD Aktiv konto whose claim (kontanthjælp, 2024) has a parked dækning."""
    fordring = FordringFactory.create(
        konto__borger=borger, konto__kontonummer=kontonummer, ydelsestype=None
    )
    daekning(fordring, beloeb, valoerdato, bruger)
    return fordring.konto


def tilknyt(konto: Any, bruger: Any) -> None:
    """Link the konto to a new kontanthjælp bevilling: its parked dækninger are released."""
    bevilling = BevillingFactory.create(borger=konto.borger, ydelseskode="KTH")
    debitorkonto_tilknyt(konto=konto, bevilling=bevilling, sag=None, user=bruger, manual=True)


def indberet(linjer: Iterable[EIndkomstLinje], *, status: str = BeskedStatus.SENDT) -> None:
    """Put the lines in one batch whose message has ``status`` (SENDT: acknowledged)."""
    linjer = list(linjer)
    kommune_id = linjer[0].kommune_id
    besked = UdgaaendeBeskedFactory.create(
        kommune_id=kommune_id,
        type=BeskedType.EINDKOMST,
        status=status,
        payload={"linjer": [linje.pk for linje in linjer]},
    )
    nu = dt.datetime(2027, 1, 2, tzinfo=dt.UTC)
    forsendelse = EIndkomstForsendelse.objects.create(
        kommune_id=kommune_id,
        noegle=f"test-eindkomst:{besked.pk}",
        periode_fra=nu,
        periode_til=nu,
        antal=len(linjer),
        total=sum((linje.beloeb for linje in linjer), Decimal("0.00")),
        besked=besked,
    )
    EIndkomstForsendelseLinje.objects.bulk_create(
        EIndkomstForsendelseLinje(forsendelse=forsendelse, linje=linje) for linje in linjer
    )
