"""The project lead's burn-down: open "Opret fordringssag" tasks per working day against the
line that meets the deadline of the packages med dækninger (seed 000/002, ``frister``).

*First day* is the day the kommune's first "Opret fordringssag" task was created: tasks are
opened by the linking runs only, so that is the day of the first run that left work (the runs
themselves live in ``sagstilknytning``, which this app may not read). A task is *open at the
end of a day* when it was created on or before that day and not closed by its end; a task
created or closed on a weekend or holiday counts from the next working day. The waiting step's
tasks (parked dækninger) are not counted: they are no work of their own and close by
themselves when the konto's "Opret fordringssag" task is done. A task counts in the package it
is in now.

The *ideal line* runs straight from the first day's open tasks med dækninger to 0 on the last
working day on or before the deadline, counted in working days. The *pace* is tasks closed per
working day over the last ``TEMPO_DAGE`` working days, as the R2.1 report's forecast.

Cost: two queries whatever the number of tasks (the packages; tasks created and tasks closed
per package and day); the days are cumulated here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, QuerySet, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from ky_debitor.kalender import arbejdsdage_tilbage, er_arbejdsdag

from ..frister import frist as frist_for
from ..models import Opgave, Opgavepakke, OpgaveType
from ..workflow import OpgaveStatus

TEMPO_DAGE = 10
STANDARD_FRIST = "31-01"
_EN_DECIMAL = Decimal("0.1")

Antal = Counter[tuple[int, dt.date]]  # tasks per (package id, Danish calendar day)


@dataclass(frozen=True)
class Dag:
    """One working day: tasks open at its end, and the ideal count for packages med dækninger."""

    dato: dt.date
    med_daekninger: int
    uden_daekninger: int
    ideel: int

    @property
    def i_alt(self) -> int:
        return self.med_daekninger + self.uden_daekninger


@dataclass(frozen=True)
class PakkeStatus:
    pakke: Opgavepakke
    aabne: int
    afsluttet: int  # since the first day
    tempo: Decimal  # closed per working day, lately
    pr_arbejdsdag: int  # needed from today to be done by the deadline

    @property
    def i_tide(self) -> bool:
        return self.aabne == 0 or self.tempo >= self.pr_arbejdsdag


@dataclass(frozen=True)
class Burndown:
    i_dag: dt.date
    frist: dt.date
    slutdag: dt.date | None  # the last working day on or before the deadline: the ideal's 0
    arbejdsdage_i_alt: int  # working days from the first day to ``slutdag``, both included
    arbejdsdage_tilbage: int  # from today to the deadline, today included (as ``frister``)
    dage: list[Dag]  # every working day from the first day to today
    tempo: Decimal | None  # tasks med dækninger closed per working day, lately
    tempo_dage: int  # the working days that pace is measured over
    prognose: dt.date | None  # the working day they are done at that pace
    pakker: list[PakkeStatus]

    @property
    def foerste_dag(self) -> dt.date | None:
        return self.dage[0].dato if self.dage else None

    @property
    def start(self) -> int:
        """Open tasks med dækninger at the end of the first day: where the ideal line starts."""
        return self.dage[0].med_daekninger if self.dage else 0

    @property
    def seneste(self) -> Dag | None:
        return self.dage[-1] if self.dage else None

    @property
    def aabne_med_daekninger(self) -> int:
        return self.dage[-1].med_daekninger if self.dage else 0

    @property
    def pr_arbejdsdag(self) -> int:
        return _behov(self.aabne_med_daekninger, self.arbejdsdage_tilbage)

    @property
    def naar_fristen(self) -> bool:
        return self.prognose is not None and self.prognose <= self.frist


def arbejdsdage_liste(fra: dt.date, til: dt.date) -> list[dt.date]:
    return [
        dag
        for dag in (fra + dt.timedelta(days=n) for n in range((til - fra).days + 1))
        if er_arbejdsdag(dag)
    ]


def _behov(aabne: int, arbejdsdage: int) -> int:
    """Tasks a working day to be done by the deadline, rounded up (as ``frister``)."""
    return math.ceil(aabne / arbejdsdage) if arbejdsdage else aabne


def ideel(*, start: int, indeks: int, arbejdsdage_i_alt: int) -> int:
    """The ideal line at working day ``indeks`` (0 is the first day), in whole tasks rounded
    half up: straight from ``start`` on the first day to 0 on the last of
    ``arbejdsdage_i_alt`` working days."""
    if arbejdsdage_i_alt <= 1:
        return 0
    rest = max(arbejdsdage_i_alt - 1 - indeks, 0)
    return int((Decimal(start * rest) / (arbejdsdage_i_alt - 1)).quantize(1, ROUND_HALF_UP))


def _pr_pakke_og_dag(opgaver: QuerySet[Opgave]) -> tuple[Antal, Antal]:
    """Tasks created and tasks closed per (package, Danish calendar day), counted in the
    database in one query (a union of the two counts)."""

    def pr_dag(qs: QuerySet[Opgave], felt: str, art: int) -> QuerySet[Opgave, Any]:
        return (
            qs.filter(**{f"{felt}__isnull": False})
            .annotate(dag=TruncDate(felt), art=Value(art))
            .values("pakke_id", "dag", "art")
            .annotate(n=Count("pk"))
            .values_list("pakke_id", "dag", "art", "n")
            .order_by()
        )

    afsluttet_qs = opgaver.filter(status=OpgaveStatus.AFSLUTTET)
    oprettet, afsluttet = Counter[tuple[int, dt.date]](), Counter[tuple[int, dt.date]]()
    for pakke_id, dag, art, n in pr_dag(opgaver, "oprettet", 1).union(
        pr_dag(afsluttet_qs, "afsluttet", 2), all=True
    ):
        (oprettet if art == 1 else afsluttet)[pakke_id, dag] += n
    return oprettet, afsluttet


def _serie(
    dage: list[dt.date], oprettet: Antal, afsluttet: Antal, med: dict[int, bool]
) -> list[tuple[dt.date, int, int]]:
    """Open tasks (med, uden dækninger) at the end of each of ``dage``."""
    aendring: Counter[tuple[dt.date, bool]] = Counter()
    for (pakke_id, dag), n in oprettet.items():
        aendring[dag, med[pakke_id]] += n
    for (pakke_id, dag), n in afsluttet.items():
        aendring[dag, med[pakke_id]] -= n
    haendelser = sorted(aendring.items())
    aabne = {True: 0, False: 0}
    serie, i = [], 0
    for dag in dage:
        while i < len(haendelser) and haendelser[i][0][0] <= dag:
            (_, er_med), n = haendelser[i]
            aabne[er_med] += n
            i += 1
        serie.append((dag, aabne[True], aabne[False]))
    return serie


def _prognose(aabne: int, tempo: Decimal | None, i_dag: dt.date) -> dt.date | None:
    """The working day ``aabne`` tasks are done at ``tempo`` a working day after today."""
    if aabne == 0:
        return i_dag
    if not tempo:
        return None
    tilbage, dag = math.ceil(aabne / tempo), i_dag
    while tilbage:
        dag += dt.timedelta(days=1)
        tilbage -= er_arbejdsdag(dag)
    return dag


def _lukket(afsluttet: Antal, pakker: Iterable[int], fra: dt.date | None = None) -> int:
    ider = set(pakker)
    return sum(n for (p, dag), n in afsluttet.items() if p in ider and (fra is None or dag >= fra))


def burndown(*, user: Any, i_dag: dt.date | None = None) -> Burndown:
    """The burn-down of the user's kommune from the first day to today (see the module)."""
    i_dag = i_dag or timezone.localdate()
    kommune = getattr(user, "kommune", None)
    frist = frist_for(kommune.frist_maaned_dag if kommune else STANDARD_FRIST, i_dag)
    pakker = list(
        Opgavepakke.objects.for_user(user)
        .filter(venteskridt=False)
        .order_by("-med_daekninger", "raekkefoelge")
    )
    med = {p.pk: p.med_daekninger for p in pakker}
    opgaver = Opgave.objects.for_user(user).filter(
        type=OpgaveType.OPRET_FORDRINGSSAG, pakke__venteskridt=False
    )
    oprettet, afsluttet = _pr_pakke_og_dag(opgaver)

    start = min((dag for _, dag in oprettet), default=None)
    serie = _serie(arbejdsdage_liste(start, i_dag) if start else [], oprettet, afsluttet, med)
    slutdage = arbejdsdage_liste(serie[0][0], frist) if serie else []
    tilbage = len(arbejdsdage_liste(i_dag, frist))
    # The pace's window: the last TEMPO_DAGE working days, or all of them since the first day.
    tempo_fra = max(arbejdsdage_tilbage(i_dag, TEMPO_DAGE), serie[0][0] if serie else i_dag)
    tempo_dage = max(len(arbejdsdage_liste(tempo_fra, i_dag)), 1)

    def tempo(ider: Iterable[int]) -> Decimal:
        return (Decimal(_lukket(afsluttet, ider, tempo_fra)) / tempo_dage).quantize(_EN_DECIMAL)

    def pakke_status(pakke: Opgavepakke) -> PakkeStatus:
        lukket = _lukket(afsluttet, [pakke.pk])
        aabne = sum(n for (p, _), n in oprettet.items() if p == pakke.pk) - lukket
        return PakkeStatus(
            pakke=pakke,
            aabne=aabne,
            afsluttet=lukket,
            tempo=tempo([pakke.pk]),
            pr_arbejdsdag=_behov(aabne, tilbage),
        )

    tempo_med = tempo(p for p, er_med in med.items() if er_med) if serie else None
    aabne_med = serie[-1][1] if serie else 0
    return Burndown(
        i_dag=i_dag,
        frist=frist,
        slutdag=slutdage[-1] if slutdage else None,
        arbejdsdage_i_alt=len(slutdage),
        arbejdsdage_tilbage=tilbage,
        dage=[
            Dag(
                dato=dag,
                med_daekninger=m,
                uden_daekninger=u,
                ideel=ideel(start=serie[0][1], indeks=i, arbejdsdage_i_alt=len(slutdage)),
            )
            for i, (dag, m, u) in enumerate(serie)
        ],
        tempo=tempo_med,
        tempo_dage=tempo_dage,
        prognose=_prognose(aabne_med, tempo_med, i_dag) if serie else None,
        pakker=[pakke_status(p) for p in pakker],
    )
