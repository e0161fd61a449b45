"""Borgere with § 8 O lines and hand-made eIndkomst batches, for the by-hand and
reconciliation tests (service, screens, API, report, browser).

The batches are written directly, as the batch service would leave them: a forsendelse, its
lines, its rows per borger/year/art/ydelsestype and its outbox message (SENDT once delivered).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils import timezone

from fordringer.choices import BeskedStatus, BeskedType, EIndkomstArt, Kilde, PosteringArt
from fordringer.ledger.services import postering_bogfoer
from fordringer.models import (
    Borger,
    EIndkomstForsendelse,
    EIndkomstForsendelseLinje,
    EIndkomstForsendelseRaekke,
    EIndkomstLinje,
    Fordring,
    UdgaaendeBesked,
    Ydelsestype,
)
from ky_debitor.models import Bruger
from tests.factories import BorgerFactory, FordringFactory, kommune

_NR = count(1)


def kontanthjaelp() -> Ydelsestype:
    return Ydelsestype.objects.get(koder__kode="KTH")


def borger_med_ll8o(
    *,
    bogholder: Bruger,
    beloeb: Decimal = Decimal("300.00"),
    valoerdato: dt.date = dt.date(2026, 3, 2),
    kode: int = 101,
    cpr: str = "0502824567",
    navn: str = "Erik Eriksen",
) -> tuple[Borger, Fordring]:
    """A borger whose kontanthjælp of January 2024 (a KY konto) is repaid by ``beloeb`` on
    ``valoerdato``: a § 8 O line of ``beloeb`` in that year (kontanthjælp is § 8 O from 2024)."""
    borger = BorgerFactory.create(kommune=kommune(kode), cpr=cpr, navn=navn)
    fordring = FordringFactory.create(
        konto__borger=borger, konto__kilde=Kilde.KY, ydelsestype=kontanthjaelp()
    )
    postering_bogfoer(
        fordring=fordring,
        art=PosteringArt.DAEKNING,
        beloeb=beloeb,
        valoerdato=valoerdato,
        user=bogholder,
    )
    return borger, fordring


def forsendelse(
    *,
    linjer: Sequence[EIndkomstLinje],
    modregnet: Decimal = Decimal("0.00"),
    status: str = BeskedStatus.SENDT,
) -> EIndkomstForsendelse:
    """One batch carrying ``linjer`` (of one kommune), one row per borger/year/art/ydelsestype,
    ``modregnet`` netted out of the first positive § 8 O row, as ``netto.modregn`` does."""
    kommune_id = linjer[0].kommune_id
    nr = next(_NR)
    nu = timezone.now()
    besked = UdgaaendeBesked.objects.create(
        kommune_id=kommune_id,
        type=BeskedType.EINDKOMST,
        noegle=f"test-eindkomst-{nr}",
        payload={},
        status=status,
        sendt=nu if status == BeskedStatus.SENDT else None,
    )
    grupper: dict[tuple[str, int, str, int], Decimal] = {}
    for linje in linjer:
        noegle = (linje.cpr, linje.indkomstaar, linje.art, linje.ydelsestype_id)
        grupper[noegle] = grupper.get(noegle, Decimal("0.00")) + linje.beloeb
    rest = modregnet
    raekker = []
    for (cpr, aar, art, yt), sum_linjer in sorted(grupper.items()):
        netto = min(rest, sum_linjer) if art == EIndkomstArt.LL8O and sum_linjer > 0 else 0
        rest -= netto
        raekker.append((cpr, aar, art, yt, sum_linjer, Decimal(netto)))
    batch = EIndkomstForsendelse.objects.create(
        kommune_id=kommune_id,
        noegle=f"eindkomst-test-{nr}",
        periode_fra=nu - dt.timedelta(days=1),
        periode_til=nu,
        antal=len(linjer),
        antal_raekker=len(raekker),
        total=sum((r[4] - r[5] for r in raekker), Decimal("0.00")),
        modregnet=modregnet,
        besked=besked,
    )
    for linje in linjer:
        EIndkomstForsendelseLinje.objects.create(forsendelse=batch, linje=linje)
    for cpr, aar, art, yt, sum_linjer, netto in raekker:
        EIndkomstForsendelseRaekke.objects.create(
            forsendelse=batch,
            cpr=cpr,
            indkomstaar=aar,
            art=art,
            ydelsestype_id=yt,
            linjer=sum_linjer,
            modregnet=netto,
            beloeb=sum_linjer - netto,
        )
    return batch
