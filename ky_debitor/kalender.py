"""The working-day calendar: which days are working days, and counting them.

Working days are Monday to Friday without Danish public holidays (``holidays.Denmark``) and
without the three days the public sector's agreements give off (juleaftensdag,
nytårsaftensdag and grundlovsdag; the package lists them as "optional"); 1 May is a working day
for most municipal staff and is not excluded. The deadline of the packages med dækninger
(``opgavepakker.frister``), the monthly samling after the payment run
(``fordringer.samling.maanedlig``) and the burn-down report (``rapporter``) all count by it.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import holidays

# "Optional" Danish days that are days off under the public sector's agreements.
_FRIDAGE_OVERENSKOMST = {(12, 24), (12, 31), (6, 5)}


@cache
def _helligdage(aar: int) -> frozenset[dt.date]:
    offentlige = holidays.Denmark(years=aar, categories=(holidays.PUBLIC,))
    valgfri = holidays.Denmark(years=aar, categories=(holidays.OPTIONAL,))
    return frozenset(
        list(offentlige) + [d for d in valgfri if (d.month, d.day) in _FRIDAGE_OVERENSKOMST]
    )


def er_arbejdsdag(dag: dt.date) -> bool:
    return dag.weekday() < 5 and dag not in _helligdage(dag.year)


@cache
def _arbejdsdage_i_aar(aar: int) -> int:
    return _taelt(dt.date(aar, 1, 1), dt.date(aar, 12, 31))


def _taelt(fra: dt.date, til: dt.date) -> int:
    antal = 0
    dag = fra
    while dag <= til:
        antal += er_arbejdsdag(dag)
        dag += dt.timedelta(days=1)
    return antal


def arbejdsdage(fra: dt.date, til: dt.date) -> int:
    """Working days from ``fra`` to ``til``, both included (0 when ``til`` is before ``fra``);
    whole years in between are counted once per year (cached), so a range of decades costs
    what two years do."""
    if til < fra:
        return 0
    if fra.year == til.year:
        if (fra.month, fra.day, til.month, til.day) == (1, 1, 12, 31):
            return _arbejdsdage_i_aar(fra.year)
        return _taelt(fra, til)
    return (
        _taelt(fra, dt.date(fra.year, 12, 31))
        + sum(_arbejdsdage_i_aar(aar) for aar in range(fra.year + 1, til.year))
        + _taelt(dt.date(til.year, 1, 1), til)
    )


def arbejdsdage_tilbage(i_dag: dt.date, antal: int) -> dt.date:
    """The first of the last ``antal`` working days up to and including ``i_dag``."""
    dag, fundet = i_dag, 0
    while True:
        if er_arbejdsdag(dag):
            fundet += 1
            if fundet == antal:
                return dag
        dag -= dt.timedelta(days=1)


def arbejdsdage_frem(fra: dt.date, antal: int) -> dt.date:
    """The day on which ``antal`` working days from ``fra`` (included) are used up (a forecast
    decades ahead skips whole years)."""
    dag, brugt = fra, 0
    while brugt + (rest := arbejdsdage(dag, dt.date(dag.year, 12, 31))) < antal:
        brugt += rest
        dag = dt.date(dag.year + 1, 1, 1)
    while True:
        if er_arbejdsdag(dag):
            brugt += 1
            if brugt >= antal:
                return dag
        dag += dt.timedelta(days=1)
