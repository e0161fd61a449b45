"""The working-day calendar around Christmas, New Year and the other Danish days off."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ky_debitor.kalender import arbejdsdage, arbejdsdage_frem, arbejdsdage_tilbage, er_arbejdsdag

D = dt.date


@pytest.mark.parametrize(
    ("dag", "forventet"),
    [
        (D(2026, 12, 23), True),
        (D(2026, 12, 24), False),  # juleaftensdag
        (D(2026, 12, 25), False),
        (D(2026, 12, 28), True),
        (D(2026, 12, 31), False),  # nytårsaftensdag
        (D(2027, 1, 1), False),
        (D(2027, 1, 2), False),  # lørdag
        (D(2027, 1, 4), True),
        (D(2027, 3, 25), False),  # skærtorsdag
        (D(2027, 5, 1), False),  # lørdag
        (D(2026, 5, 1), True),  # 1. maj er en arbejdsdag
        (D(2026, 6, 5), False),  # grundlovsdag
    ],
)
def test_working_days(dag, forventet):
    assert er_arbejdsdag(dag) is forventet


def test_working_days_from_before_christmas_to_the_deadline():
    # 21-23 Dec (3), 28-30 Dec (3), 4-29 Jan (20): 26 working days.
    assert arbejdsdage(D(2026, 12, 21), D(2027, 1, 31)) == 26
    assert arbejdsdage(D(2026, 12, 24), D(2027, 1, 3)) == 3
    assert arbejdsdage(D(2027, 2, 1), D(2027, 1, 31)) == 0


def test_working_day_helpers_skip_weekends_and_danish_holidays():
    # 12-01-2026 is a Monday; 1 January and 24-26 and 31 December are days off.
    assert arbejdsdage_tilbage(D(2026, 1, 12), 10) == D(2025, 12, 23)
    assert arbejdsdage_frem(D(2026, 1, 12), 15) == D(2026, 1, 30)


def _dag_for_dag(fra: dt.date, til: dt.date) -> int:
    return sum(
        er_arbejdsdag(fra + dt.timedelta(days=n)) for n in range(max(0, (til - fra).days + 1))
    )


@pytest.mark.slow
@given(
    fra=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2040, 12, 31)),
    dage=st.integers(min_value=-10, max_value=5000),
)
def test_counting_whole_years_at_once_gives_the_day_by_day_count(fra, dage):
    """A forecast years ahead (a pakke with thousands of tasks at a slow pace) counts whole
    years at once: the same working days as counting each day."""
    til = fra + dt.timedelta(days=dage)
    assert arbejdsdage(fra, til) == _dag_for_dag(fra, til)
    antal = max(1, _dag_for_dag(fra, til))
    slut = arbejdsdage_frem(fra, antal)
    assert er_arbejdsdag(slut) and _dag_for_dag(fra, slut) == antal
