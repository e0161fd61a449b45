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


def arbejdsdage(fra: dt.date, til: dt.date) -> int:
    """Working days from ``fra`` to ``til``, both included (0 when ``til`` is before ``fra``)."""
    if til < fra:
        return 0
    antal = 0
    dag = fra
    while dag <= til:
        antal += er_arbejdsdag(dag)
        dag += dt.timedelta(days=1)
    return antal


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
    """The day on which ``antal`` working days from ``fra`` (included) are used up."""
    dag, brugt = fra, 0
    while True:
        if er_arbejdsdag(dag):
            brugt += 1
            if brugt >= antal:
                return dag
        dag += dt.timedelta(days=1)
