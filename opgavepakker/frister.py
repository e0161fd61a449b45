"""The deadline for packages *med dækninger* and the pace needed to meet it.

Seed 000/002: packages with dækninger must be done before the tax year is closed, at the end of
January after the tax year (``Kommune.frist_maaned_dag``, "31-01"), or dækninger are not in the
citizen's årsopgørelse. Working days are those of ``ky_debitor.kalender``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ky_debitor.kalender import arbejdsdage


def frist(frist_maaned_dag: str, i_dag: dt.date) -> dt.date:
    """The next deadline on or after ``i_dag``: "dd-mm" in the year after the tax year.

    Before the deadline in January the tax year just ended is still being closed, so the
    deadline is this January's; after it, the current tax year's deadline is next year's.
    """
    dag, maaned = (int(del_) for del_ in frist_maaned_dag.split("-"))
    i_aar = dt.date(i_dag.year, maaned, dag)
    return i_aar if i_dag <= i_aar else dt.date(i_dag.year + 1, maaned, dag)


@dataclass(frozen=True)
class Fristberegning:
    frist: dt.date
    kalenderdage: int
    arbejdsdage: int
    aabne_med_daekninger: int
    pr_arbejdsdag: int
    overskredet: bool


def fristberegning(
    *, frist_maaned_dag: str, i_dag: dt.date, aabne_med_daekninger: int
) -> Fristberegning:
    """Countdown to the deadline and tasks per working day needed (today counts if it is a
    working day), rounded up so the pace really meets the deadline."""
    slut = frist(frist_maaned_dag, i_dag)
    dage = arbejdsdage(i_dag, slut)
    pr_dag = math.ceil(aabne_med_daekninger / dage) if dage else aabne_med_daekninger
    return Fristberegning(
        frist=slut,
        kalenderdage=(slut - i_dag).days,
        arbejdsdage=dage,
        aabne_med_daekninger=aabne_med_daekninger,
        pr_arbejdsdag=pr_dag,
        overskredet=dage == 0 and aabne_med_daekninger > 0,
    )
