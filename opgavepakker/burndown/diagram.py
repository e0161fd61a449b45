"""The burn-down's chart as coordinates for a server-rendered SVG (``_burndown.html``).

Pure geometry, no markup: the template draws it, so every text goes through the template's
escaping and filters (``dato``, ``intcomma``). The x axis is working days from the first day
to the deadline's last working day; the y axis open tasks, from 0 to a round number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from .selectors import Burndown, arbejdsdage_liste

BREDDE, HOEJDE = 800, 380
VENSTRE, HOEJRE, TOP, BUND = 64, 780, 28, 318  # the plot area inside the picture
X_MAERKER = 5  # date labels along the x axis, besides the first

Skala = Callable[[int | Decimal], float]


@dataclass(frozen=True)
class Punkt:
    x: float
    y: float


@dataclass(frozen=True)
class Streg:
    fra: Punkt
    til: Punkt


@dataclass(frozen=True)
class Maerke:
    pos: float
    vaerdi: int | dt.date


@dataclass(frozen=True)
class Diagram:
    bredde: int
    hoejde: int
    venstre: int
    hoejre: int
    top: int
    bund: int
    y_maerker: list[Maerke]
    x_maerker: list[Maerke]
    med: list[Punkt]
    uden: list[Punkt]
    ideel: Streg
    prognose: Streg | None
    i_dag: Maerke

    @property
    def midte_x(self) -> float:
        return (self.venstre + self.hoejre) / 2

    @property
    def midte_y(self) -> float:
        return (self.top + self.bund) / 2

    @staticmethod
    def punkter(linje: list[Punkt]) -> str:
        return " ".join(f"{p.x},{p.y}" for p in linje)

    @property
    def med_punkter(self) -> str:
        return self.punkter(self.med)

    @property
    def uden_punkter(self) -> str:
        return self.punkter(self.uden)

    @property
    def i_dag_anker(self) -> str:
        """The "I dag" label sits left of its line, or right of it near the y axis."""
        return "end" if self.i_dag.pos - self.venstre > 60 else "start"

    @property
    def med_sidste(self) -> Punkt:
        return self.med[-1]

    @property
    def uden_sidste(self) -> Punkt:
        return self.uden[-1]


def trin(stoerst: int, hoejst: int = 5) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most ``hoejst`` steps to
    ``stoerst``."""
    if stoerst <= hoejst:
        return 1
    potens = 10 ** int(math.log10(stoerst / hoejst))
    for faktor in (1, 2, 5, 10):
        if stoerst <= faktor * potens * hoejst:
            return faktor * potens
    return 10 * potens  # pragma: no cover - the loop always finds one


def diagram(bd: Burndown) -> Diagram | None:
    """The chart of ``bd``; ``None`` while there is no task yet."""
    if not bd.dage or bd.foerste_dag is None:
        return None
    akse = arbejdsdage_liste(bd.foerste_dag, max(bd.slutdag or bd.i_dag, bd.dage[-1].dato))
    sidste = max(len(akse) - 1, 1)
    stoerst = max(max(max(d.med_daekninger, d.uden_daekninger) for d in bd.dage), 1)
    skridt = trin(stoerst)
    top_vaerdi = skridt * math.ceil(stoerst / skridt)

    def x(indeks: int | Decimal) -> float:
        return round(VENSTRE + (HOEJRE - VENSTRE) * float(indeks) / sidste, 1)

    def y(vaerdi: int | Decimal) -> float:
        return round(BUND - (BUND - TOP) * float(vaerdi) / top_vaerdi, 1)

    i_dag = len(bd.dage) - 1
    indeks = sorted({round(k * sidste / X_MAERKER) for k in range(X_MAERKER + 1)})
    return Diagram(
        bredde=BREDDE,
        hoejde=HOEJDE,
        venstre=VENSTRE,
        hoejre=HOEJRE,
        top=TOP,
        bund=BUND,
        y_maerker=[Maerke(y(v), v) for v in range(0, top_vaerdi + 1, skridt)],
        x_maerker=[Maerke(x(i), akse[i]) for i in indeks if i < len(akse)],
        med=[Punkt(x(i), y(d.med_daekninger)) for i, d in enumerate(bd.dage)],
        uden=[Punkt(x(i), y(d.uden_daekninger)) for i, d in enumerate(bd.dage)],
        ideel=Streg(Punkt(x(0), y(bd.start)), Punkt(x(sidste), y(0))),
        prognose=_prognose(bd, i_dag, sidste, x, y),
        i_dag=Maerke(x(i_dag), bd.dage[-1].dato),
    )


def _prognose(bd: Burndown, i_dag: int, sidste: int, x: Skala, y: Skala) -> Streg | None:
    """From today's open tasks med dækninger at the recent pace: to 0 on the day they are
    done, or to what is left on the deadline (flat when nothing was closed lately)."""
    aabne = bd.aabne_med_daekninger
    if not aabne or bd.tempo is None:
        return None
    fra = Punkt(x(i_dag), y(aabne))
    faerdig = i_dag + math.ceil(aabne / bd.tempo) if bd.tempo else sidste + 1
    if faerdig <= sidste:
        return Streg(fra, Punkt(x(faerdig), y(0)))
    return Streg(fra, Punkt(x(sidste), y(aabne - bd.tempo * (sidste - i_dag))))
